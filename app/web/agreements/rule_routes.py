"""Pages that change rules (always as a new version) and the Joint Work Plan's milestones."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth.decorators import role_required
from ...extensions import db
from ...models import Milestone, utcnow
from ...services.agreements import rules as agreement_rules
from ...services.agreements import work_plan
from ...services.errors import WorkflowError
from .blueprint import bp
from .forms import MilestoneForm, MilestoneStatusForm, RuleForm, show_refusal, version_or_none
from .routes import WRITERS, _me, agreement_or_404, detail_page, flash_proposed


@bp.route("/<code>/rules/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new_rule(code: str):
    agreement = agreement_or_404(code)
    form = RuleForm()
    if not form.is_submitted():
        form.requires_seal.data = form.active.data = True
    elif form.validate():
        try:
            proposal = agreement_rules.propose_rule(db.session, _me(), agreement, form.code.data,
                                                    form.rule_fields(), form.change_note.data)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            flash_proposed(proposal)
            return redirect(url_for(".detail", code=code, _anchor="pending"))
    return _rule_page(agreement, form, None)


@bp.route("/<code>/rules/<rule_code>/versions/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new_rule_version(code: str, rule_code: str):
    agreement = agreement_or_404(code)
    current = agreement_rules.current_rule(db.session, rule_code)
    if current is None or current.agreement_id != agreement.id:
        abort(404)
    form = RuleForm()
    if not form.is_submitted():
        form.fill_from(current)
    elif form.validate():
        try:
            proposal = agreement_rules.propose_rule_version(db.session, _me(), rule_code, form.rule_fields(),
                                                            form.change_note.data,
                                                            version_or_none(form.based_on_version.data))
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            flash_proposed(proposal)
            return redirect(url_for(".detail", code=code, _anchor="pending"))
    return _rule_page(agreement, form, current)


def _rule_page(agreement, form: RuleForm, current):
    status = 422 if form.is_submitted() else 200
    return render_template("agreements/rule_form.html", agreement=agreement, form=form, current=current), status


@bp.route("/<code>/milestones", methods=["POST"])
@role_required(*WRITERS)
def new_milestone(code: str):
    agreement = agreement_or_404(code)
    form = MilestoneForm()
    if form.validate_on_submit():
        try:
            work_plan.create_milestone(db.session, current_user, agreement, title=form.title.data,
                                       title_es=form.title_es.data, owner_agency=form.owner_agency.data,
                                       due_on=form.due_on.data, notes=form.notes.data, gates=form.gates.data)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            flash(_("Milestone added to the Joint Work Plan."), "success")
            return redirect(url_for(".detail", code=code, _anchor="work-plan"))
    return detail_page(agreement, milestone_form=form), 422


@bp.route("/<code>/milestones/<int:milestone_id>", methods=["POST"])
@role_required(*WRITERS)
def update_milestone(code: str, milestone_id: int):
    agreement = agreement_or_404(code)
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.agreement_id != agreement.id:
        abort(404)
    form = MilestoneStatusForm(prefix=f"m{milestone.id}")
    if form.validate_on_submit():
        try:
            proposal = _save_milestone(milestone, form)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            if proposal is not None:
                flash_proposed(proposal)
            else:
                flash(_("Milestone updated."), "success")
            return redirect(url_for(".detail", code=code, _anchor=f"milestone-{milestone.id}"))
    return detail_page(agreement, status_forms={milestone.id: form}), 422


def _save_milestone(milestone: Milestone, form: MilestoneStatusForm):
    """Gates and status as the form says; done is proposed to both parties rather than made at once."""
    today = utcnow().date()
    gates = sorted({code.strip().upper() for code in (form.gates.data or "").split(",") if code.strip()})
    if form.gates.data is not None and gates != milestone.gated_rules:
        work_plan.set_gates(db.session, current_user, milestone, form.gates.data)
    if form.status.data == "done" and milestone.status != "done":
        return work_plan.propose_completion(db.session, _me(), milestone, today=today,
                                            completed_on=form.completed_on.data)
    if form.status.data != milestone.status:
        work_plan.update_milestone(db.session, current_user, milestone, today=today, status=form.status.data,
                                   completed_on=form.completed_on.data)
    return None
