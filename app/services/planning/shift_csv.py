"""Shifts from a CSV file: inspector, day, start, end in the inspector's home-site time; all or nothing.

    inspector,day,start,end
    APHIS-ZAM-01,2027-03-01,07:00,15:00
    SENASICA-ZAM-01,2027-03-01,22:00,06:00      (past midnight: ends the next day)

Each line is read with the exchange format's field readers and every shift goes through the same
checks as the week page (shifts.apply_changes); every problem is reported with its line number.
"""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from scheduling.exchange.fields import Reader

from ...models import Inspector, User
from .reference_checks import InvalidFields, refuse_if
from .shifts import PLANNABLE_YEARS, ShiftChanges, apply_changes, local_times

COLUMNS = ("inspector", "day", "start", "end")
MAX_LINES = 5000


def import_shifts(session: Session, actor: User | None, text: str) -> int:
    """Add every shift of the file, or none; returns how many were added."""
    rows = _rows(text)
    inspectors = _inspectors(session, {row.get("inspector") for _n, row in rows})
    problems: dict[str, str] = {}
    plans: dict[str, ShiftChanges] = {}
    for number, row in rows:
        reader = Reader([], "", row)
        day, start, end = reader.day("day"), reader.clock("start"), reader.clock("end", allow_midnight_end=True)
        inspector = inspectors.get(row.get("inspector"))
        if inspector is None:
            problems[_line(number)] = _("No inspector has the code %(code)s.", code=row.get("inspector") or "")
        elif reader.failed or start == end or day.year not in PLANNABLE_YEARS:
            problems[_line(number)] = _("Write the day as YYYY-MM-DD and the times as HH:MM, such as "
                                        "2027-03-01,07:00,15:00.")
        else:
            plan = plans.setdefault(inspector.code, ShiftChanges(inspector))
            plan.added.append(local_times(day, (start, end), inspector.home_site.timezone))
    refuse_if(problems)
    try:
        apply_changes(session, actor, list(plans.values()), "csv")
    except InvalidFields as error:  # name the inspector's lines, not only the inspector
        raise InvalidFields({f"{code} ({_lines_of(rows, code)})": message
                             for code, message in error.problems.items()}) from None
    return sum(len(plan.added) for plan in plans.values())


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))  # the csv module reads \r itself
    try:
        lines = list(reader)
    except csv.Error as error:  # a NUL byte, a cell past the csv module's 131,072 characters
        raise InvalidFields({_line(reader.line_num or 1): _("This line cannot be read as CSV (%(problem)s).",
                                                            problem=str(error))}) from None
    if lines and [cell.strip().lower() for cell in lines[0]] == list(COLUMNS):
        numbered = list(enumerate(lines, start=1))[1:]
    else:
        numbered = list(enumerate(lines, start=1))
    numbered = [(n, cells) for n, cells in numbered if any(cell.strip() for cell in cells)]
    if not numbered:
        raise InvalidFields({"file": _("The file has no shifts: one line per shift, %(columns)s.",
                                       columns=",".join(COLUMNS))})
    if len(numbered) > MAX_LINES:
        raise InvalidFields({"file": _("At most %(count)d shifts a file.", count=MAX_LINES)})
    problems = {_line(n): _("A line has four values: %(columns)s.", columns=",".join(COLUMNS))
                for n, cells in numbered if len(cells) != len(COLUMNS)}
    refuse_if(problems)
    return [(n, {name: cell.strip() for name, cell in zip(COLUMNS, cells)}) for n, cells in numbered]


def _inspectors(session: Session, codes: set[str | None]) -> dict[str, Inspector]:
    wanted = {code for code in codes if code}
    rows = session.scalars(sa.select(Inspector).where(Inspector.code.in_(wanted))
                           .options(selectinload(Inspector.shifts), selectinload(Inspector.home_site)))
    return {inspector.code: inspector for inspector in rows}


def _line(number: int) -> str:
    return _("line %(number)d", number=number)


def _lines_of(rows: list[tuple[int, dict[str, str]]], code: str) -> str:
    return ", ".join(_line(n) for n, row in rows if row.get("inspector") == code)
