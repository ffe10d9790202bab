"""The exporter's shipments and the page of one shipment."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from ...auth.decorators import role_required
from ...days import viewer_zone
from ...extensions import db
from ...models import BorderDecision, Inspection, Interception, Seal, Shipment, User
from ...models.shipment import SHIPMENT_STATUSES
from ...reasons import reason_text
from ...services.agreements.suspensions import visible_suspensions
from ...services.border.overview import exporter_view
from ...services.shipments import lifecycle
from ...services.shipments.records import EDITABLE_STATUSES, current_values, list_requests
from ...services.shipments.checks import InvalidRequest
from ...services.shipments.precheck import precheck_for
from .blueprint import bp
from .chain import ChainForm, chain_codes, chain_context, save_chain
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
    filters, problems = list_filters(request.args, viewer_zone())  # a list across ports: the viewer's days
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
    suspensions = visible_suspensions(db.session, db.session.get(User, current_user.id), in_force_only=True)
    return render_template("exporter/home.html", shipments=page.items, page=page, counts=counts,
                           filters=filters, problems=problems, query=query, statuses=SHIPMENT_STATUSES,
                           suspensions=suspensions)


@bp.route("/shipments/<int:request_id>")
@role_required("exporter")
def shipment(request_id: int, chain_form: ChainForm | None = None):
    shipment = owned_request(request_id)
    inspections = exporter_view(db.session, shipment, db.session.scalars(
        sa.select(Inspection).where(Inspection.request_id == shipment.id).order_by(Inspection.start)
    ).all())
    seals = db.session.scalars(sa.select(Seal).where(Seal.request_id == shipment.id).order_by(Seal.applied_at)).all()
    decisions = db.session.scalars(
        sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id).order_by(BorderDecision.decided_at)
    ).all()
    interceptions = db.session.scalars(sa.select(Interception).where(Interception.request_id == shipment.id)
                                       .order_by(Interception.recorded_at)).all()
    return render_template(
        "exporter/shipment.html", shipment=shipment, inspections=inspections, seals=seals, decisions=decisions,
        interceptions=interceptions,
        reason_text=reason_text, precheck=_stored_precheck(shipment), chain=chain_context(shipment, chain_form),
        can_edit=shipment.status in EDITABLE_STATUSES, can_cancel=lifecycle.can(shipment, "cancel"),
    )


def _stored_precheck(shipment: Shipment):
    """The pre-check of a request not yet inspected, so the exporter sees where it stands today."""
    if shipment.status not in lifecycle.PLANNABLE:
        return None
    try:
        return precheck_for(db.session, shipment.exporter_id,
                            {**current_values(shipment), "parties": chain_codes(shipment)})
    except InvalidRequest:
        return None  # e.g. the port has closed since; the page still shows the shipment


@bp.route("/shipments/<int:request_id>/chain", methods=["POST"])
@role_required("exporter")
def name_chain(request_id: int):
    """The exporter names its shipment's packhouse, carrier, driver, importer and customs broker."""
    found = owned_request(request_id)
    form = ChainForm()
    if save_chain(found, form):
        return redirect(url_for(".shipment", request_id=found.id, _anchor="chain"))
    return shipment(request_id, chain_form=form), 422
