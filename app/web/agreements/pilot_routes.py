"""Pilots in their corridors: participants, success criteria as read now, and the gate reviews both agencies decide."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for

from ...auth.decorators import role_required
from ...extensions import db
from ...models import GateReview, utcnow
from ...roles import PROGRAM_STAFF
from ...services.agreements import pilots as pilot_service
from ...services.errors import WorkflowError
from .blueprint import bp
from .forms import GateDecisionForm, show_refusal
from .routes import WRITERS, _me, can_write, flash_proposed


@bp.route("/pilots", methods=["GET"])
@role_required(*PROGRAM_STAFF)
def pilots():
    today = utcnow().date()
    return render_template("agreements/pilots.html", pilots=pilot_service.pilots(db.session), today=today,
                           open_gate=pilot_service.open_gate, labels=pilot_service.STATUS_LABELS,
                           sectors=pilot_service.SECTOR_LABELS)


@bp.route("/pilots/<code>", methods=["GET"])
@role_required(*PROGRAM_STAFF)
def pilot(code: str, form: GateDecisionForm | None = None):
    found = pilot_service.get_pilot(db.session, code) or abort(404)
    today = utcnow().date()
    gate = pilot_service.open_gate(found)
    readings = pilot_service.readings(db.session, gate, today) if gate is not None else []
    return render_template(
        "agreements/pilot.html", pilot=found, gate=gate, readings=readings, today=today,
        form=form or (GateDecisionForm(formdata=None) if can_write() else None),
        labels=pilot_service.STATUS_LABELS, gate_labels=pilot_service.GATE_LABELS,
        decision_labels=pilot_service.DECISION_LABELS, sectors=pilot_service.SECTOR_LABELS)


@bp.route("/pilots/<code>/gates/<int:gate_id>", methods=["POST"])
@role_required(*WRITERS)
def gate_decision(code: str, gate_id: int):
    found = pilot_service.get_pilot(db.session, code) or abort(404)
    gate = db.session.get(GateReview, gate_id)
    if gate is None or gate.pilot_id != found.id:
        abort(404)
    form = GateDecisionForm()
    if form.validate_on_submit():
        try:
            proposal = pilot_service.propose_gate_decision(db.session, _me(), gate, form.decision.data,
                                                           today=utcnow().date(), notes=form.notes.data,
                                                           extend_to=form.extend_to.data)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            flash_proposed(proposal)
            return redirect(url_for(".pilot", code=code))
    return pilot(code, form), 422
