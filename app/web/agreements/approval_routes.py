"""Changes waiting for the other party's approval, and approving or withdrawing them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...auth.decorators import role_required
from ...extensions import db
from ...models import ChangeProposal
from ...roles import APPROVERS, PROGRAM_STAFF
from ...services.agreements import approvals, changes
from ...services.errors import WorkflowError
from .blueprint import bp
from .forms import ApprovalForm, version_or_none
from .routes import _me

STATUS_FILTERS = ("pending", "effective", "withdrawn", "failed")


@bp.route("/approvals", methods=["GET"])
@role_required(*PROGRAM_STAFF)
def approvals_page(form: ApprovalForm | None = None, failed_id: int | None = None):
    status = request.args.get("status", "pending")
    if status not in STATUS_FILTERS:
        status = "pending"
    found = approvals.proposals(db.session, status=status)
    return render_template("agreements/approvals.html", proposals=found, status=status, form=form or ApprovalForm(),
                           failed_id=failed_id, kind_labels=approvals.KIND_LABELS,
                           status_labels=approvals.STATUS_LABELS, may_approve=_may_approve)


def _may_approve(proposal: ChangeProposal) -> bool:
    me = _me()
    return (proposal.status == "pending" and me.role in APPROVERS
            and all(a.user_id != me.id for a in proposal.approvals) and approvals.party_for(me, proposal) is not None)


@bp.route("/approvals/<int:proposal_id>/approve", methods=["POST"])
@role_required(*APPROVERS)
def approve(proposal_id: int):
    proposal = db.session.get(ChangeProposal, proposal_id) or abort(404)
    form = ApprovalForm()
    if form.validate_on_submit():
        try:
            changes.approve(db.session, _me(), proposal, reference=form.reference.data or None,
                            expected_version=version_or_none(form.version_id.data))
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            return approvals_page(form, proposal_id), 422
        _say(proposal)
        return redirect(url_for(".approvals_page", status="pending" if proposal.status == "pending" else proposal.status))
    return approvals_page(form, proposal_id), 422


def _say(proposal: ChangeProposal) -> None:
    if proposal.status == "effective":
        flash(_("Approved by both parties and now in effect: %(outcome)s", outcome=proposal.outcome), "success")
    elif proposal.status == "failed":
        flash(_("Approved, but it could not take effect: %(outcome)s", outcome=proposal.outcome), "error")
    else:
        flash(_("Approved for your agency; waiting for %(parties)s.", parties=", ".join(proposal.waiting_for)),
              "info")


@bp.route("/approvals/<int:proposal_id>/withdraw", methods=["POST"])
@role_required(*PROGRAM_STAFF)
def withdraw(proposal_id: int):
    proposal = db.session.get(ChangeProposal, proposal_id) or abort(404)
    form = ApprovalForm()
    if form.validate_on_submit():
        try:
            changes.withdraw(db.session, _me(), proposal)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            return approvals_page(form, proposal_id), 422
        flash(_("Withdrawn."), "success")
        return redirect(url_for(".approvals_page"))
    return approvals_page(form, proposal_id), 422
