"""Periods the figures are read for: a week, month, quarter, year or any run of whole days.

A period's days are days in its zone: from local midnight to local midnight (the API's periods stay in UTC;
the supervisor's pages read them in the program's zone and say so)."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

PERIOD_KINDS = ("week", "month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    """Whole days of `zone` from `first` to `last`, both included."""

    kind: str
    first: date
    last: date
    zone: str = "UTC"

    @property
    def start(self) -> datetime:
        """Local midnight starting the first day, in UTC."""
        return local_midnight(self.first, self.zone)

    @property
    def end(self) -> datetime:
        """The exclusive end: local midnight after the last day, in UTC."""
        return local_midnight(self.last + timedelta(days=1), self.zone)

    def in_zone(self, zone: str) -> Period:
        return Period(self.kind, self.first, self.last, zone)

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "from": self.first.isoformat(), "to": self.last.isoformat()}


def local_midnight(day: date, zone: str) -> datetime:
    """The UTC instant a day begins in a zone (a day that skips midnight begins at its first hour)."""
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(timezone.utc)


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
