"""The exporter's shipments and the page of one shipment."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template
from flask_login import current_user

from ...auth.decorators import role_required
from ...extensions import db
from ...models import BorderDecision, Inspection, InspectionRequest, Seal
from . import bp


def owned_request(request_id: int) -> InspectionRequest:
    """A shipment of the signed-in exporter's company; anyone else's is "not found"."""
    shipment = db.session.scalar(
        sa.select(InspectionRequest).where(
            InspectionRequest.id == request_id,
            InspectionRequest.exporter_id == current_user.exporter_id,
        )
    )
    if shipment is None:
        abort(404)
    return shipment


@bp.route("/")
@role_required("exporter")
def home():
    shipments = db.session.scalars(
        sa.select(InspectionRequest)
        .where(InspectionRequest.exporter_id == current_user.exporter_id)
        .order_by(InspectionRequest.cross_by.desc())
        .limit(50)
    ).all()
    counts = dict(
        db.session.execute(
            sa.select(InspectionRequest.status, sa.func.count())
            .where(InspectionRequest.exporter_id == current_user.exporter_id)
            .group_by(InspectionRequest.status)
        ).all()
    )
    return render_template("exporter/home.html", shipments=shipments, counts=counts)


@bp.route("/shipments/<int:request_id>")
@role_required("exporter")
def shipment(request_id: int):
    shipment = owned_request(request_id)
    inspections = db.session.scalars(
        sa.select(Inspection).where(Inspection.request_id == shipment.id).order_by(Inspection.start)
    ).all()
    seals = db.session.scalars(sa.select(Seal).where(Seal.request_id == shipment.id)).all()
    decisions = db.session.scalars(
        sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id).order_by(BorderDecision.decided_at)
    ).all()
    return render_template(
        "exporter/shipment.html", shipment=shipment, inspections=inspections, seals=seals, decisions=decisions
    )
