"""One table, two outputs: a cell shows as HTML on the page and as a plain value in the CSV export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import format_decimal, format_number, format_percent
from markupsafe import Markup, escape

from ...i18n import local_time

DASH = "—"


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Strong:
    """Text that must stand out by more than colour (an overdue milestone, a missed target)."""

    text: str


@dataclass(frozen=True)
class Percent:
    """A share from 0 to 1; the CSV gets percentage points."""

    share: float | None


@dataclass(frozen=True)
class LocalTime:
    """A UTC time shown in a site's zone with the zone's name."""

    at: datetime
    timezone: str


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False
    nowrap: bool = False
    # Long text keeps a readable width on a phone; the table scrolls sideways instead.
    wide: bool = False

    @property
    def classes(self) -> str:
        return " ".join(name for name, on in (("num", self.numeric), ("nowrap", self.nowrap), ("wide", self.wide))
                        if on)


@dataclass(frozen=True)
class Table:
    name: str
    caption: str
    columns: list[Column]
    rows: list[list[Any]]
    row_classes: list[str] = field(default_factory=list)
    # The column that names each row for screen readers (<th scope="row">).
    header_column: int = 0

    @property
    def headers(self) -> list[str]:
        return [column.label for column in self.columns]


def cell_html(value: Any) -> Markup:
    if value is None:
        return Markup(DASH)
    if isinstance(value, Link):
        return Markup('<a href="{}">{}</a>').format(value.url, value.text)
    if isinstance(value, Strong):
        return Markup("<strong>{}</strong>").format(value.text)
    if isinstance(value, Percent):
        return escape(DASH if value.share is None else format_percent(value.share, "#,##0.0%"))
    if isinstance(value, LocalTime):
        return escape(local_time(value.at, value.timezone, "short"))
    if isinstance(value, bool):
        return escape(str(value))
    if isinstance(value, int):
        return escape(format_number(value))
    if isinstance(value, float):
        return escape(format_decimal(value, "#,##0.##"))
    if isinstance(value, (date, datetime)):
        return escape(value.isoformat())
    return escape(str(value))


def cell_csv(value: Any) -> Any:
    """A plain value: numbers stay numbers (dot decimals), times are ISO 8601 with their offset."""
    if value is None:
        return ""
    if isinstance(value, (Link, Strong)):
        return value.text
    if isinstance(value, Percent):
        return "" if value.share is None else round(100 * value.share, 1)
    if isinstance(value, LocalTime):
        return value.at.astimezone(ZoneInfo(value.timezone)).isoformat(timespec="minutes")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
