"""The officer's port: arriving shipments, seal verification, reinstating border inspections."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ...auth.decorators import role_required
from ...extensions import db
from ...models import Inspection, Interception, Shipment, Site
from ...services import recognition
from ...services.border import overview as seal_service
from ...roles import PROGRAM_STAFF
from ...services.border.border_result import record_border_result
from ...services.border.interceptions import Finding, record_interceptions, record_lab_result
from ...services.border.notices import emergency_action_notice, notice_xml
from ...services.shipments import lifecycle
from ...models import utcnow
from ...services.errors import ConflictError, WorkflowError
from .blueprint import bp
from .forms import BorderResultForm, LabResultForm, ReinstateForm, interception_form, verify_form


@bp.route("/")
@role_required("officer")
def home():
    """The officer's own port; an officer without one may look at any port's queue (and act on none)."""
    port = seal_service.officer_port(db.session, current_user)
    ports = []
    if port is None:
        ports = db.session.scalars(sa.select(Site).where(Site.kind == "port").order_by(Site.name)).all()
        chosen = request.args.get("port", "")
        port = next((p for p in ports if p.code == chosen), None)
    own = port is not None and not ports
    queue = seal_service.port_queue(db.session, port.id) if port else []
    inspections = seal_service.border_inspections(db.session, port.id) if port else []
    return render_template("officer/home.html", port=port, ports=ports, own=own, queue=queue,
                           border_inspections=inspections, reason_line=seal_service.reason_line)


@bp.route("/shipments/<int:request_id>")
@role_required("officer")
def shipment(request_id: int):
    shipment = _own_shipment(request_id)
    return _page(shipment)


@bp.route("/shipments/<int:request_id>/verify", methods=["POST"])
@role_required("officer")
def verify(request_id: int):
    """Record the arrival and the seals as found; a verification that changes the border decision is
    shown first, and only recorded once the officer confirms it."""
    shipment = _own_shipment(request_id)
    form = verify_form([seal.number for seal in seal_service.shipment_seals(db.session, shipment)])
    if not form.validate_on_submit():
        return _page(shipment, verify=form), 422
    before = recognition.current_decision(db.session, shipment)
    before = (before.decision, before.rule_code) if before else None
    try:
        step = db.session.begin_nested()
        outcome = seal_service.verify_seals(
            db.session, current_user, shipment, form.observations(), form.presented_numbers(),
            arrived_at=form.arrival(shipment.port.timezone), expected_version=_int(form.version.data))
        preview = seal_service.verification_preview(db.session, outcome)
        if (preview.decision, preview.rule) != before and form.confirmed.data != "yes":
            step.rollback()
            form.confirmed.data = "yes"
            return _page(shipment, verify=form, preview=preview)
        step.commit()
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        _attach_verify(form, error)
        return _page(shipment, verify=form), 409 if isinstance(error, ConflictError) else 422
    except StaleDataError:
        return _stale(shipment)
    flash(preview.message, "success" if preview.decision == "waived" else "warning")
    return redirect(url_for("officer.shipment", request_id=request_id))


@bp.route("/shipments/<int:request_id>/reinstate", methods=["POST"])
@role_required("officer")
def reinstate(request_id: int):
    shipment = _own_shipment(request_id)
    form = ReinstateForm()
    if not form.validate_on_submit():
        return _page(shipment, reinstate=form), 422
    try:
        seal_service.reinstate_inspection(db.session, current_user, shipment, form.reason.data,
                                          expected_version=_int(form.version.data))
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        form.reason.errors = [error.message]
        return _page(shipment, reinstate=form), 422
    except StaleDataError:
        return _stale(shipment)
    flash(_("Border inspection reinstated; the shipment is in the port's queue."), "success")
    return redirect(url_for("officer.shipment", request_id=request_id))


@bp.route("/shipments/<int:request_id>/border-result", methods=["POST"])
@role_required("officer")
def border_result(request_id: int):
    shipment = _own_shipment(request_id)
    form = BorderResultForm()
    if not form.validate_on_submit():
        return _page(shipment, border=form), 422
    try:
        record_border_result(db.session, current_user, shipment, form.result.data, form.findings.data,
                             pests_found=form.pests.data == "found", expected_version=_int(form.version.data))
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        getattr(form, error.field if error.field in ("result", "findings", "pests") else "findings").errors = [error.message]
        return _page(shipment, border=form), 422
    except StaleDataError:
        return _stale(shipment)
    flash(_("Border inspection recorded."), "success")
    return redirect(url_for("officer.shipment", request_id=request_id))


@bp.route("/shipments/<int:request_id>/interceptions", methods=["POST"])
@role_required("officer")
def interception(request_id: int):
    """Record one pest found at the shipment's border inspection."""
    shipment = _own_shipment(request_id)
    form = interception_form(db.session, shipment)
    if not form.validate_on_submit():
        return _page(shipment, interception=form), 422
    finding = Finding(organism=form.organism.data, other_organism=form.other_organism.data or None,
                      life_stage=form.life_stage.data, count=form.count.data, action=form.action.data,
                      sent_to_lab=form.sent_to_lab.data)
    try:
        record_interceptions(db.session, current_user, shipment, [finding])
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        name = (error.field or "").rsplit(".", 1)[-1]
        getattr(form, name if name in form._fields else "organism").errors = [error.message]
        return _page(shipment, interception=form), 422
    flash(_("Interception recorded. Send the emergency action notice to SENASICA."), "warning")
    return redirect(url_for("officer.shipment", request_id=request_id, _anchor="interceptions"))


@bp.route("/shipments/<int:request_id>/interceptions/<int:interception_id>/lab-result", methods=["POST"])
@role_required("officer")
def lab_result(request_id: int, interception_id: int):
    shipment = _own_shipment(request_id)
    row = db.session.get(Interception, interception_id)
    if row is None or row.request_id != shipment.id:
        abort(404)
    form = LabResultForm()
    if form.validate_on_submit():
        try:
            record_lab_result(db.session, current_user, shipment, row, form.result.data, form.note.data)
            db.session.commit()
            flash(_("Laboratory result recorded."), "success")
        except WorkflowError as error:
            db.session.rollback()
            flash(error.message, "error")
    else:
        flash(_("Choose the laboratory's result."), "error")
    return redirect(url_for("officer.shipment", request_id=request_id, _anchor="interceptions"))


@bp.route("/shipments/<int:request_id>/notice")
@bp.route("/shipments/<int:request_id>/notice.xml", endpoint="notice_xml")
@role_required("officer", *PROGRAM_STAFF)
def notice(request_id: int):
    """The emergency action notice to SENASICA, in English and Spanish (or as XML)."""
    shipment = _visible_shipment(request_id)
    try:
        content = emergency_action_notice(db.session, shipment)
    except WorkflowError:
        abort(404)
    if request.path.endswith(".xml"):
        return Response(notice_xml(content), mimetype="application/xml")
    return render_template("officer/notice.html", notice=content, shipment=shipment)


def _visible_shipment(request_id: int):
    if current_user.role == "officer":
        return _own_shipment(request_id)
    shipment = db.session.get(Shipment, request_id)
    if shipment is None:
        abort(404)
    return shipment


def _own_shipment(request_id: int):
    try:
        return seal_service.officer_request(db.session, current_user, request_id)
    except seal_service.OutOfScope:
        abort(404)


def _page(shipment, verify=None, reinstate=None, border=None, preview=None, interception=None):
    seals = seal_service.shipment_seals(db.session, shipment)
    zone = ZoneInfo(shipment.port.timezone)
    verify = verify or verify_form([seal.number for seal in seals], arrived_default=utcnow().astimezone(zone),
                                   version=shipment.version_id, formdata=None)
    reinstate = reinstate or ReinstateForm(version=shipment.version_id, formdata=None)
    border = border or BorderResultForm(version=shipment.version_id, formdata=None)
    return render_template(
        "officer/shipment.html", shipment=shipment, seals=seals, verify=verify, reinstate=reinstate, border=border,
        preview=preview, found=seal_service.found_at_border(db.session, shipment),
        interceptions=_interceptions(shipment), interception=interception or interception_form(db.session, shipment),
        lab_form=LabResultForm(formdata=None), pests_known=bool(_border_done(shipment)),
        can_verify=lifecycle.can(shipment, "queue_at_border"),
        can_reinstate=seal_service.can_reinstate(db.session, shipment),
        decisions=seal_service.decision_trail(db.session, shipment),
        current=recognition.current_decision(db.session, shipment), reason_line=seal_service.reason_line,
    )


def _interceptions(shipment) -> list[Interception]:
    return list(db.session.scalars(sa.select(Interception).where(Interception.request_id == shipment.id)
                                   .order_by(Interception.recorded_at, Interception.id)))


def _border_done(shipment) -> Inspection | None:
    return db.session.scalar(sa.select(Inspection).where(Inspection.request_id == shipment.id,
                                                         Inspection.kind == "border", Inspection.status == "done"))


def _attach_verify(form, error: WorkflowError) -> None:
    field = error.field or ""
    by_number = dict(form.seal_fields())
    if field.startswith("observations[") and field[13:-1] in by_number:
        by_number[field[13:-1]].errors = [error.message]
    elif field.startswith("presented"):
        form.presented.errors = [error.message]
    elif field == "arrived_at":
        form.arrived_at.errors = [error.message]
    else:
        form.form_errors.append(error.message)


def _stale(shipment):
    db.session.rollback()
    flash(_("Someone else changed this shipment meanwhile; check it again."), "error")
    return _page(shipment), 409


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
