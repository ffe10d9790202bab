"""One table, two outputs: a cell shows as HTML on the page and as a plain value in the CSV export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import parse_pattern
from flask_babel import get_locale
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


class CellFormat:
    """Cells as HTML in the reader's locale, with the locale and number patterns looked up once per table."""

    def __init__(self) -> None:
        self.locale = get_locale()
        self.integer = self.locale.decimal_formats[None]
        self.decimal = parse_pattern("#,##0.##")
        self.percent = parse_pattern("#,##0.0%")

    def html(self, value: Any) -> Markup:
        if value is None:
            return Markup(DASH)
        if isinstance(value, Link):
            return Markup('<a href="{}">{}</a>').format(value.url, value.text)
        if isinstance(value, Strong):
            return Markup("<strong>{}</strong>").format(value.text)
        if isinstance(value, Percent):
            return escape(DASH if value.share is None else self.percent.apply(value.share, self.locale))
        if isinstance(value, LocalTime):
            return escape(local_time(value.at, value.timezone, "short"))
        if isinstance(value, bool):
            return escape(str(value))
        if isinstance(value, int):
            return escape(self.integer.apply(value, self.locale))
        if isinstance(value, float):
            return escape(self.decimal.apply(value, self.locale))
        if isinstance(value, (date, datetime)):
            return escape(value.isoformat())
        return escape(str(value))


def rows_html(table: Table) -> Markup:
    """The table's body rows as one string: a year of weeks is a few milliseconds, not a template loop per cell."""
    cells = []
    for index, column in enumerate(table.columns):
        tag, scope = ("th", ' scope="row"') if index == table.header_column else ("td", "")
        classes = f' class="{column.classes}"' if column.classes else ""
        cells.append((f"<{tag}{scope}{classes}>", f"</{tag}>"))
    formats = CellFormat()
    out = []
    for index, row in enumerate(table.rows):
        row_class = table.row_classes[index] if table.row_classes else ""
        out.append(Markup('<tr class="{}">').format(row_class) if row_class else "<tr>")
        out.extend(f"{start}{formats.html(value)}{end}" for (start, end), value in zip(cells, row))
        out.append("</tr>\n")
    return Markup("".join(out))


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
