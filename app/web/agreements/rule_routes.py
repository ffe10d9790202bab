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
from .routes import WRITERS, agreement_or_404, detail_page


@bp.route("/<code>/rules/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new_rule(code: str):
    agreement = agreement_or_404(code)
    form = RuleForm()
    if not form.is_submitted():
        form.requires_seal.data = form.active.data = True
    elif form.validate():
        try:
            rule = agreement_rules.create_rule(db.session, current_user, agreement, form.code.data,
                                               form.rule_fields(), form.change_note.data)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            flash(_("Rule %(code)s created.", code=rule.code), "success")
            return redirect(url_for(".detail", code=code, _anchor=f"rule-{rule.code}"))
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
            rule = agreement_rules.revise_rule(db.session, current_user, rule_code, form.rule_fields(),
                                               form.change_note.data, version_or_none(form.based_on_version.data))
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            flash(_("Rule %(code)s is now at version %(version)s.", code=rule.code, version=rule.version), "success")
            return redirect(url_for(".detail", code=code, _anchor=f"rule-{rule.code}"))
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
                                       due_on=form.due_on.data, notes=form.notes.data)
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
            work_plan.update_milestone(db.session, current_user, milestone, today=utcnow().date(),
                                       status=form.status.data, completed_on=form.completed_on.data)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            flash(_("Milestone updated."), "success")
            return redirect(url_for(".detail", code=code, _anchor=f"milestone-{milestone.id}"))
    return detail_page(agreement, status_forms={milestone.id: form}), 422
