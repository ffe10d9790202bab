"""What the seal workflows share: who may act where, the request's lifecycle, deciding again."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

import mr_agreements as mr

from ..models import BorderDecision, Inspection, InspectionRequest, Inspector, InspectorBooking, Seal, User
from . import recognition
from .audit import record
from .errors import WorkflowError

# Which status a shipment may move to from which; anything else is refused with a message.
# at_border -> released is left to the border inspection's own workflow.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "inspected": ("scheduled",),
    "sealed": ("scheduled",),
    "rejected": ("scheduled",),
    "at_border": ("inspected", "sealed"),
    "released": ("inspected", "sealed", "at_border"),
    "rejected_at_border": ("at_border",),
}
STATUS_TIMESTAMP = {
    "inspected": "inspected_at", "sealed": "sealed_at", "rejected": "rejected_at",
    "at_border": "at_border_at", "released": "released_at", "rejected_at_border": "rejected_at",
}
SEAL_EXCEPTION_STATUSES = ("broken", "missing", "mismatch")


class OutOfScope(LookupError):
    """The object is not the actor's to act on; pages and the API answer "not found"."""


def lock_shipment(session: Session, request: InspectionRequest, inspection: Inspection | None = None) -> None:
    """Lock the shipment (then its inspection) and read them again before deciding anything.

    Every step at the border or at the joint inspection takes the locks in this one order, so
    two people acting on one shipment queue instead of deadlocking, and the second sees what
    the first committed (PostgreSQL; SQLite's request-wide write lock does the same there).
    """
    session.refresh(request, with_for_update=True)
    if inspection is not None:
        session.refresh(inspection, with_for_update=True)


def check_version(entity: object, expected_version: int | None) -> None:
    """A form or API call made on an older copy loses: the same answer as a concurrent flush."""
    if expected_version is not None and getattr(entity, "version_id") != expected_version:
        raise StaleDataError(f"{type(entity).__name__} changed since it was read")


def officer_port_id(session: Session, user: User) -> int | None:
    """The border port an officer works at: their inspector row's home site, None when unassigned."""
    return session.scalar(
        sa.select(Inspector.home_site_id).where(Inspector.user_id == user.id, Inspector.active)
    )


def inspector_of(session: Session, user: User) -> Inspector | None:
    return session.scalar(sa.select(Inspector).where(Inspector.user_id == user.id))


def is_booked(session: Session, user: User, inspection: Inspection) -> bool:
    return session.scalar(
        sa.select(InspectorBooking.inspection_id)
        .join(Inspector, Inspector.id == InspectorBooking.inspector_id)
        .where(InspectorBooking.inspection_id == inspection.id, InspectorBooking.active,
               Inspector.user_id == user.id)
    ) is not None


def require_officer_at_port(session: Session, actor: User, request: InspectionRequest) -> None:
    """Only an officer of the shipment's own port acts on it at the border."""
    if actor.role != "officer" or officer_port_id(session, actor) != request.port_id:
        raise OutOfScope(request.id)


def check_transition(request: InspectionRequest, status: str) -> None:
    if request.status not in TRANSITIONS[status]:
        raise WorkflowError(status_refusal(request), field="status")


def status_refusal(request: InspectionRequest) -> str:
    """Why nothing can be done at this step, in words that say where the shipment stands."""
    messages = {
        "requested": _("This shipment has not been scheduled for its joint inspection yet."),
        "scheduled": _("The joint inspection of this shipment has not been recorded yet."),
        "at_border": _("This shipment is already in the port's queue for a border inspection."),
        "released": _("This shipment was already released."),
        "cancelled": _("This shipment was cancelled."),
        "rejected": _("This shipment was rejected at its joint inspection."),
        "inspected": _("This shipment was inspected but not sealed."),
        "sealed": _("This shipment is sealed and on its way to the border."),
    }
    return messages.get(request.status, _("This step does not apply to the shipment now."))


def move(session: Session, actor: User | None, request: InspectionRequest, status: str, at: datetime,
         reason: str | None = None) -> None:
    """Move the shipment along its lifecycle, stamping the time and auditing before and after."""
    check_transition(request, status)
    before = {"status": request.status, "status_reason": request.status_reason}
    status = "rejected" if status == "rejected_at_border" else status
    request.status = status
    setattr(request, STATUS_TIMESTAMP.get(status, "rejected_at"), at)
    if status in ("sealed", "rejected") and request.inspected_at is None:
        request.inspected_at = at
    if reason is not None:
        request.status_reason = reason
    record(session, actor, f"request.{status}", request, before=before,
           after={"status": status, "status_reason": request.status_reason})


def decide_now(session: Session, request: InspectionRequest, seal: str | None) -> mr.BorderDecision:
    """The rules' decision now. An unsealed shipment after its inspection is judged as unsealable:
    in the engine, seal None means "planning", where a sealable load may still be sealed."""
    if seal is not None or not request.sealable:
        return recognition.evaluate(session, request, seal=seal)
    inspection = recognition.inland_inspection(session, request)
    shipment = dataclasses.replace(recognition.engine_shipment(session, request), sealable=False)
    rules, agreements = recognition.engine_rules_and_agreements(session)
    return mr.decide(shipment, inspection.end if inspection else None, rules, agreements)


def not_vouched_for() -> mr.BorderDecision:
    """A failed or held inland inspection vouches for nothing: as if there had been none."""
    return mr.BorderDecision(mr.REQUIRED, reasons=(mr.Reason.of("no_inland_inspection"),))


def shipment_seals(session: Session, request: InspectionRequest) -> list[Seal]:
    return list(session.scalars(sa.select(Seal).where(Seal.request_id == request.id).order_by(Seal.id)))


def decision_trail(session: Session, request: InspectionRequest) -> list[BorderDecision]:
    """Every decision the shipment had, oldest first, with the rule version it was made under."""
    return list(session.scalars(
        sa.select(BorderDecision).where(BorderDecision.request_id == request.id)
        .order_by(BorderDecision.decided_at, BorderDecision.id)
    ))
