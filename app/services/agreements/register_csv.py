"""Statuses as the registers publish them, one CSV line per holder and program: all lines or none."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import User
from ..errors import WorkflowError
from .register import DATE_FIELDS, record_status

COLUMNS = ("program", "holder", "certificate_id", "status", "tier", "valid_from", "valid_until", "applied_on",
           "certified_on", "validation_planned_on", "last_validated_on", "revalidation_due", "validator",
           "status_since", "status_reason")
REQUIRED_COLUMNS = ("program", "holder", "certificate_id", "status")
MAX_LINES = 5000
MAX_BYTES = 2_000_000


@dataclass
class ImportResult:
    """How many lines created, updated or left an entry as it was."""

    counts: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, int]:
        return {outcome: self.counts[outcome] for outcome in ("created", "updated", "unchanged")}


class ImportRefused(WorkflowError):
    """Some lines are wrong; nothing was recorded. `problems` names each line and field."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        first = problems[0]
        super().__init__(_("Line %(line)s, %(field)s: %(message)s", line=first["line"], field=first["field"],
                           message=first["message"]), "file")
        self.problems = problems

    def field_messages(self, default_field: str = "_schema") -> dict[str, str]:
        return {f"line {p['line']}.{p['field']}": p["message"] for p in self.problems[:50]}


def import_statuses(session: Session, actor: User | None, text: str) -> ImportResult:
    """Record every line in one savepoint; any wrong line refuses the whole file, naming every fault."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise WorkflowError(_("The file is larger than 2 MB; split it."), "file")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise WorkflowError(_("The first line must name the columns; missing: %(columns)s.",
                              columns=", ".join(missing)), "file")
    result, problems = ImportResult(), []
    savepoint = session.begin_nested()
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_LINES:
            problems.append({"line": number, "field": "file", "message": _("At most 5000 lines per file.")})
            break
        try:
            with session.begin_nested():
                result.counts[record_status(session, actor, _values(row), source="csv").outcome] += 1
        except WorkflowError as error:
            problems.append({"line": number, "field": error.field or "file", "message": error.message})
    if problems:
        savepoint.rollback()
        raise ImportRefused(problems)
    savepoint.commit()
    if not sum(result.counts.values()):
        raise WorkflowError(_("The file has no line after the column names."), "file")
    return result


def _values(row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {name: (row.get(name) or "").strip() or None for name in COLUMNS}
    for name in DATE_FIELDS:
        if values[name] is not None:
            try:
                values[name] = date.fromisoformat(values[name])
            except ValueError:
                raise WorkflowError(_("Give a date as YYYY-MM-DD."), name) from None
    return values
