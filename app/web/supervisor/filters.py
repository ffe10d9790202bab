"""The dashboard's period selector: read from the query string, refused input explained, never a crash."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ...days import parse_day
from ...services.dashboard.periods import PERIOD_KINDS, Period, period_between, period_containing

CHOICES = ("last12",) + PERIOD_KINDS + ("custom",)
CHOICE_LABELS = {
    "last12": _l("Last 12 weeks"), "week": _l("Week"), "month": _l("Month"), "quarter": _l("Quarter"),
    "year": _l("Year"), "custom": _l("From – to"),
}
# Ten years is more than the data holds; a bigger range is a typo.
MAX_DAYS = 3660


@dataclass(frozen=True)
class Filters:
    choice: str
    on: date
    first: date | None
    last: date | None
    period: Period
    errors: dict[str, Any] = field(default_factory=dict)

    def query_args(self) -> dict[str, str]:
        """The query string that selects this period again (for export, report and page links)."""
        if self.choice == "custom":
            return {"period": "custom", "from": self.period.first.isoformat(), "to": self.period.last.isoformat()}
        if self.choice == "last12":
            return {}
        return {"period": self.choice, "on": self.on.isoformat()}


def last_12_weeks(today: date, zone: str = "UTC") -> Period:
    """The current calendar week and the eleven before it, whole weeks Monday to Sunday."""
    monday = today - timedelta(days=today.weekday())
    return period_between(monday - timedelta(weeks=11), monday + timedelta(days=6)).in_zone(zone)


def parse_filters(args: MultiDict, today: date, zone: str = "UTC") -> Filters:
    """The period asked for, in days of `zone` (give `today` in that zone too)."""
    filters = _parse(args, today, zone)
    return replace(filters, period=filters.period.in_zone(zone))


def _parse(args: MultiDict, today: date, zone: str) -> Filters:
    errors: dict[str, Any] = {}
    choice = args.get("period", "")
    if choice == "" and (args.get("from") or args.get("to")):
        choice = "custom"
    if choice not in CHOICES:
        choice = "last12"
    on = _date(args, "on", errors) or today
    if choice == "custom":
        first, last = _date(args, "from", errors), _date(args, "to", errors)
        period = _custom(first, last, errors)
        if period is not None:
            return Filters(choice, on, first, last, period)
        return Filters("last12", on, first, last, last_12_weeks(today), errors)
    period = last_12_weeks(today) if choice == "last12" else period_containing(choice, on)
    return Filters(choice, on, None, None, period, errors)


def _custom(first: date | None, last: date | None, errors: dict[str, Any]) -> Period | None:
    if first is None and "from" not in errors:
        errors["from"] = _l("Give the first day.")
    if last is None and "to" not in errors:
        errors["to"] = _l("Give the last day.")
    if first is None or last is None:
        return None
    if last < first:
        errors["to"] = _l("The last day comes before the first.")
        return None
    if (last - first).days > MAX_DAYS:
        errors["to"] = _l("Choose at most ten years.")
        return None
    return period_between(first, last)


def _date(args: MultiDict, name: str, errors: dict[str, Any]) -> date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        errors[name] = _l("Write the date as YYYY-MM-DD.")
        return None


def page_number(args: MultiDict, name: str) -> int:
    """A page number from the query string; anything odd is the first page."""
    try:
        return max(1, min(int(args.get(name, "1")), 10_000))
    except ValueError:
        return 1


def cache_seconds() -> float:
    """A year of decisions takes a while to scan; a minute-old total is fine, and new records refresh it at once."""
    return float(current_app.config.get("DASHBOARD_CACHE_SECONDS", 0 if current_app.testing else 60))
