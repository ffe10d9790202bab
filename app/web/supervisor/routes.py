"""The supervisor's dashboard, its printable report, and a read-only shipment page for its links."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import abort, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy.orm import selectinload

from ...days import today_in, viewer_zone
from ...roles import OVERSEERS
from ...auth.decorators import role_required
from ...extensions import db
from ...models import BorderDecision, Inspection, Shipment, Seal, utcnow
from ...reasons import reason_text
from ...services.dashboard import overview as dashboard
from ...services.dashboard.safety import safety
from . import charts
from .blueprint import bp
from .cells import rows_html
from .filters import CHOICE_LABELS, CHOICES, Filters, cache_seconds, page_number, parse_filters
from .tables import dashboard_tables, period_text, seal_status



def _today() -> date:
    """Today in the zone the dashboard's days are in."""
    return today_in(viewer_zone())


def _context(filters: Filters, per_page: int, seals_page: int = 1, runs_page: int = 1) -> dict[str, Any]:
    language = str(get_locale())
    data = dashboard.build(db.session, filters.period, _today(), language, seals_page, runs_page, per_page,
                           cache_seconds=cache_seconds())
    pages = {"seals_page": seals_page, "runs_page": runs_page}

    def page_url(param: str, number: int) -> str:
        return url_for("supervisor.home", **filters.query_args(), **{**pages, param: number},
                       _anchor=param.removesuffix("_page"))

    return {
        "data": data, "filters": filters, "tables": dashboard_tables(data, language), "rows": rows_html,
        "charts": {"weeks": charts.weekly_chart(data.weeks), "ports": charts.port_chart(data.ports),
                   "commodities": charts.commodity_chart(data.commodities)},
        "period_text": period_text(filters.period), "choice_label": CHOICE_LABELS[filters.choice],
        "choices": [(choice, CHOICE_LABELS[choice]) for choice in CHOICES], "page_url": page_url,
        "csv_url": lambda name: url_for("supervisor.export", table=name, **filters.query_args()),
        "safety": safety(db.session, filters.period, utcnow(), language),
    }


@bp.route("/")
@role_required(*OVERSEERS)
def home():
    filters = parse_filters(request.args, _today(), viewer_zone())
    context = _context(filters, dashboard.PER_PAGE, page_number(request.args, "seals_page"),
                       page_number(request.args, "runs_page"))
    return render_template("supervisor/home.html", report=False,
                           report_url=url_for("supervisor.report", **filters.query_args()), **context)


@bp.route("/report")
@role_required(*OVERSEERS)
def report():
    """Everything on one page for print: no navigation, no pages, the period and time it was made."""
    filters = parse_filters(request.args, _today(), viewer_zone())
    return render_template("supervisor/report.html", report=True, generated_at=utcnow(),
                           home_url=url_for("supervisor.home", **filters.query_args()),
                           **_context(filters, dashboard.REPORT_ROWS))


@bp.route("/shipments/<int:request_id>")
@role_required(*OVERSEERS)
def shipment(request_id: int):
    """What happened to one shipment: where the seal exception links lead."""
    found = db.session.scalar(sa.select(Shipment).where(Shipment.id == request_id).options(
        selectinload(Shipment.port), selectinload(Shipment.commodity)))
    if found is None:
        abort(404)
    inspections = db.session.scalars(sa.select(Inspection).where(Inspection.request_id == request_id)
                                     .options(selectinload(Inspection.site)).order_by(Inspection.start)).all()
    seals = db.session.scalars(sa.select(Seal).where(Seal.request_id == request_id)
                               .options(selectinload(Seal.events)).order_by(Seal.applied_at)).all()
    decisions = db.session.scalars(sa.select(BorderDecision).where(BorderDecision.request_id == request_id)
                                   .order_by(BorderDecision.decided_at, BorderDecision.id)).all()
    return render_template("supervisor/shipment.html", shipment=found, inspections=inspections, seals=seals,
                           decisions=decisions, reason_text=reason_text, seal_status=seal_status)
