"""Bilateral approval: a change waits for one approver of each party; the last approval makes it effective.

The parties are the agreement's (APHIS and SENASICA); a task owned by another agency of one side (a CBP task)
is approved by that agency for its side. The proposer approves for their own agency when they may; the same
person never approves twice. SAT has no accounts here: SENASICA's staff record its approval with SAT's reference.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.orm import Session

from ...models import Agreement, Approval, ChangeProposal, User, utcnow
from ...roles import ADMINISTRATIONS, APPROVERS, COUNTRY_OF, RECORDED_FOR
from ..access.audit import record
from ..errors import ConflictError, WorkflowError
from .agreement import check_expected_version, check_text, flush_or_conflict

KIND_LABELS = {"rule_version": _l("Rule version"), "agreement_status": _l("Agreement status"),
               "milestone_done": _l("Milestone done"), "gate_decision": _l("Pilot gate decision")}
STATUS_LABELS = {"pending": _l("Waiting for approval"), "effective": _l("In effect"), "withdrawn": _l("Withdrawn"),
                 "failed": _l("Could not take effect")}


def agreement_parties(agreement: Agreement, owner: str | None = None) -> list[str]:
    """The agreement's parties ("APHIS-SENASICA"); an owner agency not among them stands in for its country's."""
    parties = [p for p in agreement.parties.replace("–", "-").split("-") if p in ADMINISTRATIONS] or ["APHIS",
                                                                                                      "SENASICA"]
    if owner in ADMINISTRATIONS and owner not in parties:
        parties = [owner if COUNTRY_OF.get(p) == COUNTRY_OF[owner] else p for p in parties]
    return parties


def propose(session: Session, actor: User, *, kind: str, agreement: Agreement, subject: str,
            payload: dict[str, Any], parties: list[str], subject_id: int | None = None,
            at: datetime | None = None) -> ChangeProposal:
    """A pending change; the proposer's own approval counts at once when their agency is a party."""
    _check_may_propose(session, actor, kind, subject_id)
    proposal = ChangeProposal(kind=kind, agreement_id=agreement.id, subject=subject[:300], subject_id=subject_id,
                              payload=payload, parties=parties, status="pending", proposed_by_id=actor.id,
                              proposed_at=at or utcnow())
    try:
        with session.begin_nested():
            session.add(proposal)
    except IntegrityError as error:
        # Proposed by someone else at the same moment: the database keeps one pending change of a thing.
        raise ConflictError(_("A change of this is already waiting for approval; reload the page."),
                            "proposal") from error
    record(session, actor, f"proposal.{kind}", proposal, after={"subject": proposal.subject, "payload": payload,
                                                                  "parties": parties})
    party = party_for(actor, proposal)
    if party is not None and party not in RECORDED_FOR:
        _add(session, actor, proposal, party, None, proposal.proposed_at)
    return proposal


def _check_may_propose(session: Session, actor: User, kind: str, subject_id: int | None) -> None:
    if subject_id is None:
        return
    waiting = session.scalar(sa.select(ChangeProposal.id).where(
        ChangeProposal.kind == kind, ChangeProposal.subject_id == subject_id, ChangeProposal.status == "pending"))
    if waiting is not None:
        raise ConflictError(_("A change of this is already waiting for approval (proposal %(id)s).", id=waiting),
                            "proposal")


def add_approval(session: Session, actor: User, proposal: ChangeProposal, *, reference: Any = None,
                 expected_version: int | None = None, at: datetime | None = None) -> bool:
    """Record the actor's approval for their party; True when every party has now approved."""
    check_expected_version(proposal.version_id, expected_version)
    if proposal.status != "pending":
        raise ConflictError(_("This change is no longer waiting for approval (%(status)s).",
                              status=str(STATUS_LABELS[proposal.status]).lower()), "proposal")
    if actor.role not in APPROVERS or not actor.agency:
        raise WorkflowError(_("Only a coordinator or supervisor of a party approves, for their own agency."),
                            "proposal")
    if any(a.user_id == actor.id for a in proposal.approvals):
        raise WorkflowError(_("You have approved this already; the other party's approver must give the second "
                              "approval."), "proposal")
    party = party_for(actor, proposal)
    if party is None:
        raise WorkflowError(_("This change waits for %(parties)s; your agency (%(agency)s) has approved or is not "
                              "a party.", parties=", ".join(proposal.waiting_for), agency=actor.agency), "proposal")
    reference = check_text(reference, "reference", 200, required=party in RECORDED_FOR)
    _add(session, actor, proposal, party, reference, at or utcnow())
    return not proposal.waiting_for


def party_for(actor: User, proposal: ChangeProposal) -> str | None:
    """The party the actor approves for: their agency, or one they record for (SENASICA for SAT)."""
    waiting = proposal.waiting_for
    if actor.role not in APPROVERS or not actor.agency:
        return None
    if actor.agency in waiting:
        return actor.agency
    return next((p for p in waiting if RECORDED_FOR.get(p) == actor.agency), None)


def _add(session: Session, actor: User, proposal: ChangeProposal, party: str, reference: str | None,
         at: datetime) -> None:
    proposal.approvals.append(Approval(agency=party, user_id=actor.id, approved_at=at, reference=reference))
    flush_or_conflict(session)
    record(session, actor, "proposal.approved", proposal, after={"agency": party, "reference": reference,
                                                                   "waiting_for": proposal.waiting_for})


def close(session: Session, actor: User | None, proposal: ChangeProposal, status: str, outcome: str,
          at: datetime | None = None) -> ChangeProposal:
    proposal.status, proposal.outcome, proposal.closed_at = status, outcome, at or utcnow()
    flush_or_conflict(session)
    record(session, actor, f"proposal.{status}", proposal, after={"outcome": outcome})
    return proposal


def withdraw(session: Session, actor: User, proposal: ChangeProposal) -> ChangeProposal:
    """The proposer (or a planner) takes back a change still waiting for approval."""
    if proposal.status != "pending":
        raise ConflictError(_("This change is no longer waiting for approval (%(status)s).",
                              status=str(STATUS_LABELS[proposal.status]).lower()), "proposal")
    if proposal.proposed_by_id != actor.id and actor.role != "admin":
        raise WorkflowError(_("Only the person who proposed a change withdraws it."), "proposal")
    return close(session, actor, proposal, "withdrawn", _("Withdrawn by %(name)s.", name=actor.display_name))


def proposals(session: Session, status: str | None = None, agreement: Agreement | None = None,
              kind: str | None = None) -> list[ChangeProposal]:
    query = sa.select(ChangeProposal).order_by(ChangeProposal.proposed_at.desc(), ChangeProposal.id.desc())
    if status:
        query = query.where(ChangeProposal.status == status)
    if agreement is not None:
        query = query.where(ChangeProposal.agreement_id == agreement.id)
    if kind:
        query = query.where(ChangeProposal.kind == kind)
    return list(session.scalars(query))


def pending_for(session: Session, kind: str, subject_id: int) -> ChangeProposal | None:
    return session.scalar(sa.select(ChangeProposal).where(
        ChangeProposal.kind == kind, ChangeProposal.subject_id == subject_id, ChangeProposal.status == "pending"))
