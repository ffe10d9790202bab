"""Periods the figures are read for: a week, month, quarter, year or any run of whole days."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import sqlalchemy as sa

PERIOD_KINDS = ("week", "month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    """Whole UTC days from `first` to `last`, both included."""

    kind: str
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), timezone.utc)

    @property
    def end(self) -> datetime:
        """The exclusive end: midnight after the last day."""
        return datetime.combine(self.last + timedelta(days=1), time(), timezone.utc)

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "from": self.first.isoformat(), "to": self.last.isoformat()}


def period_containing(kind: str, on: date) -> Period:
    """The calendar week (Monday first), month, quarter or year that contains `on`."""
    if kind == "week":
        first = on - timedelta(days=on.weekday())
        return Period(kind, first, first + timedelta(days=6))
    if kind == "month":
        return Period(kind, on.replace(day=1), on.replace(day=monthrange(on.year, on.month)[1]))
    if kind == "quarter":
        first_month = 3 * ((on.month - 1) // 3) + 1
        last_month = first_month + 2
        return Period(kind, date(on.year, first_month, 1), date(on.year, last_month, monthrange(on.year, last_month)[1]))
    if kind == "year":
        return Period(kind, date(on.year, 1, 1), date(on.year, 12, 31))
    raise ValueError(f"unknown period {kind!r}; expected one of {', '.join(PERIOD_KINDS)}")


def period_between(first: date, last: date) -> Period:
    if last < first:
        raise ValueError("the period ends before it starts")
    return Period("custom", first, last)


def week_of(dialect: str, day: Any) -> Any:
    """The Monday of the week a date falls in, as an ISO date."""
    if dialect == "postgresql":
        return sa.cast(sa.func.date_trunc("week", day), sa.Date)
    # SQLite: the next-or-same Sunday, six days back, is that week's Monday.
    return sa.func.date(day, "weekday 0", "-6 days")
