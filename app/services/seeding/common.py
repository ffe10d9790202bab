"""What every seeding step shares: the report, the seed files, and upserting rows by their key."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

SEED_DATA = Path(__file__).resolve().parents[3] / "seed_data"

Progress = Callable[[str], None]


class SeedError(RuntimeError):
    """The seed data contradicts itself or the database; the message says where."""


@dataclass
class SeedReport:
    """What one seeding run did, by kind of row: created, updated, or already as seeded."""

    today: date
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    # (username, role) of the demo accounts, when seeded for a demo.
    demo_accounts: list[tuple[str, str]] = field(default_factory=list)
    demo_password: str | None = None

    def count(self, kind: str, outcome: str) -> None:
        getattr(self, outcome)[kind] += 1

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        lines = [f"{'kind':<22}{'created':>9}{'updated':>9}{'as seeded':>11}"]
        for kind in kinds:
            lines.append(
                f"{kind:<22}{self.created[kind]:>9}{self.updated[kind]:>9}{self.unchanged[kind]:>11}"
            )
        return "\n".join(lines)


def upsert(session: Session, report: SeedReport, kind: str, model: type, key: dict[str, Any],
           values: dict[str, Any]) -> Any:
    """Find the row by its natural key, create it or bring its fields to the seeded values."""
    row = session.scalars(sa.select(model).filter_by(**key)).one_or_none()
    if row is None:
        row = model(**key, **values)
        session.add(row)
        report.count(kind, "created")
        return row
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    report.count(kind, "updated" if changed else "unchanged")
    return row


def load_json(name: str) -> dict[str, Any]:
    with open(SEED_DATA / name, encoding="utf-8") as handle:
        return json.load(handle)


def load_reference_csv(name: str) -> list[dict[str, str]]:
    with open(SEED_DATA / "reference" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
