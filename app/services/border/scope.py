"""Who may act on a shipment where: the booked inspectors, the officers of its port; and its locks."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ...models import Inspection, Inspector, InspectorBooking, Seal, Shipment, User

SEAL_EXCEPTION_STATUSES = ("broken", "missing", "mismatch")


class OutOfScope(LookupError):
    """The object is not the actor's to act on; pages and the API answer "not found"."""


def lock_shipment(session: Session, request: Shipment, inspection: Inspection | None = None) -> None:
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


def require_officer_at_port(session: Session, actor: User, request: Shipment) -> None:
    """Only an officer of the shipment's own port acts on it at the border."""
    if actor.role != "officer" or officer_port_id(session, actor) != request.port_id:
        raise OutOfScope(request.id)


def shipment_seals(session: Session, request: Shipment) -> list[Seal]:
    return list(session.scalars(sa.select(Seal).where(Seal.request_id == request.id).order_by(Seal.id)))
