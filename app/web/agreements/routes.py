"""Agreement list and detail, and the confirmed status changes of the lifecycle."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...roles import PLANNERS, PROGRAM_STAFF
from ...auth.decorators import role_required
from ...extensions import db
from ...models import Agreement, User, utcnow
from ...services.agreements import rules as agreement_rules
from ...services.agreements import agreement as agreements
from ...services.agreements import approvals, changes
from ...services.agreements import measures as metrics
from ...services.agreements import work_plan
from ...services.errors import WorkflowError
from .blueprint import bp
from .forms import AgreementForm, MilestoneForm, MilestoneStatusForm, StatusForm, show_refusal, version_or_none

READERS, WRITERS = PROGRAM_STAFF, PLANNERS


def agreement_or_404(code: str) -> Agreement:
    agreement = agreements.get_agreement(db.session, code)
    if agreement is None:
        abort(404)
    return agreement


def can_write() -> bool:
    return current_user.role in WRITERS


def _me() -> User:
    return db.session.get(User, current_user.id)


def flash_proposed(proposal) -> None:
    """Say what a proposal waits for: it is not in effect until every party approved."""
    waiting = ", ".join(proposal.waiting_for)
    flash(_("Proposed: %(subject)s. It takes effect when %(parties)s approve.", subject=proposal.subject,
            parties=waiting), "info")


@bp.route("/", methods=["GET"])
@role_required(*READERS)
def index():
    return _index_page(AgreementForm() if can_write() else None)


@bp.route("/", methods=["POST"])
@role_required(*WRITERS)
def create():
    form = AgreementForm()
    if form.validate_on_submit():
        try:
            agreement = agreements.create_agreement(db.session, current_user, **_form_values(form))
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            flash(_("Agreement %(code)s created as a draft.", code=agreement.code), "success")
            return redirect(url_for(".detail", code=agreement.code))
    return _index_page(form), 422


def _form_values(form: AgreementForm) -> dict[str, Any]:
    return {name: form[name].data for name in
            ("code", "title", "parties", "signed_on", "effective_from", "effective_to")}


def _index_page(form: AgreementForm | None):
    return render_template("agreements/index.html", agreements=agreements.list_agreements(db.session), form=form,
                           status_label=agreements.status_label)


@bp.route("/<code>", methods=["GET"])
@role_required(*READERS)
def detail(code: str):
    return detail_page(agreement_or_404(code))


def detail_page(agreement: Agreement, milestone_form: MilestoneForm | None = None,
                status_forms: dict[int, MilestoneStatusForm] | None = None):
    """The agreement with its rule history, Joint Work Plan and measures for the current period."""
    today = utcnow().date()
    session = db.session
    grouped = agreement_rules.rules_by_code(session, agreement)
    creators = _creator_names([rule.created_by_id for versions in grouped.values() for rule in versions])
    plan = work_plan.milestones(session, agreement)
    forms = {}
    if can_write():
        forms = {m.id: _status_form(m) for m in plan}
        forms.update(status_forms or {})
    return render_template(
        "agreements/detail.html", agreement=agreement, today=today, can_write=can_write(),
        transitions=agreements.allowed_statuses(agreement), rules=grouped, creators=creators,
        changes=agreement_rules.version_changes, milestones=plan, status_forms=forms,
        milestone_form=milestone_form or (MilestoneForm(formdata=None) if can_write() else None),
        measures=metrics.performance(session, today, agreement, trend=metrics.TREND_PERIODS),
        metric_labels=metrics.METRICS, status_label=agreements.status_label,
        pending=approvals.proposals(session, status="pending", agreement=agreement),
    )


def _creator_names(ids: list[int | None]) -> dict[int, str]:
    wanted = {user_id for user_id in ids if user_id is not None}
    if not wanted:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(wanted))).all())


@bp.route("/<code>/status/<to_status>", methods=["GET", "POST"])
@role_required(*WRITERS)
def change_status(code: str, to_status: str):
    """A confirmation page: the date it takes effect and, for a suspension, the reason."""
    agreement = agreement_or_404(code)
    if to_status not in agreements.STATUS_LABELS:
        abort(404)
    form = StatusForm()
    if not form.is_submitted():
        form.on.data = utcnow().date()
        form.version_id.data = str(agreement.version_id)
    elif form.validate():
        try:
            proposal = changes.propose_status_change(db.session, _me(), agreement, to_status, form.on.data,
                                                     form.reason.data,
                                                     expected_version=version_or_none(form.version_id.data))
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            flash_proposed(proposal)
            return redirect(url_for(".detail", code=code))
    status = 422 if form.is_submitted() else 200
    return render_template("agreements/status.html", agreement=agreement, to_status=to_status, form=form,
                           status_label=agreements.status_label), status


def _status_form(milestone) -> MilestoneStatusForm:
    form = MilestoneStatusForm(prefix=f"m{milestone.id}", formdata=None, status=milestone.status,
                               completed_on=milestone.completed_on)
    form.gates.data = ", ".join(milestone.gated_rules)
    return form
