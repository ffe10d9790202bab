"""Changes both parties agree: proposing an agreement's new status, approving any change, and its effect.

The last approval makes a change effective at once: a rule version is made, the agreement changes status,
the milestone is done, the gate is decided. When the change can no longer be made (the rule moved meanwhile,
the agreement changed status), the proposal is closed as failed with the reason, and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Agreement, ChangeProposal, GateReview, User
from ..errors import WorkflowError
from . import approvals, pilots, rules, work_plan
from .agreement import change_status, checked_status_change, status_label


def propose_status_change(session: Session, actor: User, agreement: Agreement, to_status: Any, on: Any,
                          reason: Any = None, expected_version: int | None = None) -> ChangeProposal:
    """An agreement's new status from `on`, checked now against its lifecycle, made when both parties approve."""
    on, reason = checked_status_change(agreement, to_status, on, reason, expected_version)[1:]
    payload = {"status": to_status, "on": on.isoformat(), "reason": reason, "version_id": agreement.version_id}
    return approvals.propose(session, actor, kind="agreement_status", agreement=agreement, payload=payload,
                             subject=_("%(code)s becomes %(status)s", code=agreement.code,
                                       status=status_label(to_status).lower()),
                             subject_id=agreement.id, parties=approvals.agreement_parties(agreement))


def _apply_status(session: Session, proposal: ChangeProposal) -> str:
    payload = proposal.payload
    change_status(session, session.get(User, proposal.proposed_by_id or 0), proposal.agreement, payload["status"],
                  date.fromisoformat(payload["on"]), payload.get("reason"), expected_version=payload["version_id"])
    return _("Agreement %(code)s is now %(status)s.", code=proposal.agreement.code,
             status=status_label(payload["status"]).lower())


EFFECTS: dict[str, Callable[[Session, ChangeProposal], str]] = {
    "rule_version": rules.apply_rule_proposal,
    "agreement_status": _apply_status,
    "milestone_done": work_plan.apply_completion,
    "gate_decision": pilots.apply_gate_decision,
}


def approve(session: Session, actor: User, proposal: ChangeProposal, *, reference: Any = None,
            expected_version: int | None = None) -> ChangeProposal:
    """The actor's approval for their party; the last one makes the change effective (or failed, saying why)."""
    if approvals.add_approval(session, actor, proposal, reference=reference, expected_version=expected_version):
        try:
            with session.begin_nested():
                outcome = EFFECTS[proposal.kind](session, proposal)
        except WorkflowError as error:
            _reopen(session, proposal)
            return approvals.close(session, actor, proposal, "failed", error.message)
        approvals.close(session, actor, proposal, "effective", outcome)
    return proposal


def withdraw(session: Session, actor: User, proposal: ChangeProposal) -> ChangeProposal:
    """The proposer takes the change back; a gate proposed for a decision can be reviewed again."""
    approvals.withdraw(session, actor, proposal)
    _reopen(session, proposal)
    return proposal


def _reopen(session: Session, proposal: ChangeProposal) -> None:
    if proposal.kind == "gate_decision":
        gate = session.get(GateReview, proposal.subject_id)
        if gate is not None and gate.status == "proposed":
            gate.status = "scheduled"
            session.flush()
