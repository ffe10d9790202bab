"""The exporter's shipments and the page of one shipment."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request
from flask_login import current_user

from ...auth.decorators import role_required
from ...extensions import db
from ...models import BorderDecision, Inspection, Shipment, Seal
from ...models.shipment import SHIPMENT_STATUSES
from ...reasons import reason_text
from ...services.shipments import lifecycle
from ...services.shipments.records import EDITABLE_STATUSES, current_values, list_requests
from ...services.shipments.checks import InvalidRequest
from ...services.shipments.precheck import precheck_for
from .blueprint import bp
from .forms import list_filters


def owned_request(request_id: int) -> Shipment:
    """A shipment of the signed-in exporter's company; anyone else's is "not found"."""
    shipment = db.session.scalar(
        sa.select(Shipment).where(
            Shipment.id == request_id,
            Shipment.exporter_id == current_user.exporter_id,
        )
    )
    if shipment is None:
        abort(404)
    return shipment


@bp.route("/")
@role_required("exporter")
def home():
    filters, problems = list_filters(request.args)
    page = list_requests(db.session, current_user, filters)
    counts = dict(
        db.session.execute(
            sa.select(Shipment.status, sa.func.count())
            .where(Shipment.exporter_id == current_user.exporter_id)
            .group_by(Shipment.status)
        ).all()
    )
    # Page links keep the filters; only the page number changes.
    query = {k: v for k, v in (("status", filters.status), ("from", request.args.get("from")),
                               ("to", request.args.get("to"))) if v and k not in problems}
    return render_template("exporter/home.html", shipments=page.items, page=page, counts=counts,
                           filters=filters, problems=problems, query=query, statuses=SHIPMENT_STATUSES)


@bp.route("/shipments/<int:request_id>")
@role_required("exporter")
def shipment(request_id: int):
    shipment = owned_request(request_id)
    inspections = db.session.scalars(
        sa.select(Inspection).where(Inspection.request_id == shipment.id).order_by(Inspection.start)
    ).all()
    seals = db.session.scalars(sa.select(Seal).where(Seal.request_id == shipment.id).order_by(Seal.applied_at)).all()
    decisions = db.session.scalars(
        sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id).order_by(BorderDecision.decided_at)
    ).all()
    return render_template(
        "exporter/shipment.html", shipment=shipment, inspections=inspections, seals=seals, decisions=decisions,
        reason_text=reason_text, precheck=_stored_precheck(shipment),
        can_edit=shipment.status in EDITABLE_STATUSES, can_cancel=lifecycle.can(shipment, "cancel"),
    )


def _stored_precheck(shipment: Shipment):
    """The pre-check of a request not yet inspected, so the exporter sees where it stands today."""
    if shipment.status not in lifecycle.PLANNABLE:
        return None
    try:
        return precheck_for(db.session, shipment.exporter_id, current_values(shipment))
    except InvalidRequest:
        return None  # e.g. the port has closed since; the page still shows the shipment
