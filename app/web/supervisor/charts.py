"""The dashboard's three charts, titled and summarised in the reader's language."""

from __future__ import annotations

from flask_babel import format_percent, gettext as _
from markupsafe import Markup

from ...services.dashboard.overview import PortRow
from .svg import Series, bar_chart, column_chart
from ...services.dashboard.avoided import AvoidedRow

WAIVED_FILL, REQUIRED_FILL, SHARE_FILL = "#1e7a3c", "#b9c2cc", "#0b5d7a"


def _percent(share: float | None) -> str:
    return "—" if share is None else format_percent(share, "#,##0%")


def _waived_required(rows: list[AvoidedRow]) -> list[Series]:
    return [Series(_("Waived"), "waived", WAIVED_FILL, [r.waived for r in rows]),
            Series(_("Required"), "required", REQUIRED_FILL, [r.required for r in rows])]


def _summary(rows: list[AvoidedRow], kind: str) -> str:
    waived, required = sum(r.waived for r in rows), sum(r.required for r in rows)
    return _("%(kind)s: %(count)s. Border inspections waived: %(waived)s; required: %(required)s. "
             "The table after the chart gives every number.", kind=kind, count=len(rows), waived=waived,
             required=required)


def weekly_chart(rows: list[AvoidedRow]) -> Markup | None:
    """One group of columns per week with data; the line is the share waived that week."""
    if not rows:
        return None
    share = Series(_("Share waived"), "share", SHARE_FILL, [r.share or 0 for r in rows])
    return column_chart("chart-weeks", _("Border inspections waived and required per week"),
                        _summary(rows, _("Weeks with decisions")), [r.key[5:] for r in rows], _waived_required(rows),
                        share, percent=_percent)


def port_chart(rows: list[PortRow]) -> Markup | None:
    avoided = [row.avoided for row in rows]
    return _stacked("chart-ports", _("Border inspections by port"), avoided, _("Ports"))


def commodity_chart(rows: list[AvoidedRow]) -> Markup | None:
    return _stacked("chart-commodities", _("Border inspections by commodity"), rows, _("Commodities"))


def _stacked(chart_id: str, title: str, rows: list[AvoidedRow], kind: str) -> Markup | None:
    if not rows:
        return None
    return bar_chart(chart_id, title, _summary(rows, kind), [r.label for r in rows], _waived_required(rows),
                     note=lambda i: _("%(share)s waived", share=_percent(rows[i].share)))
