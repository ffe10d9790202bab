"""Electronic seal events (ISO 18185): opened, closed or tampered with, posted by a seal's gateway."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import BorderDecision, Shipment, Seal, SealEvent, User, utcnow
from ..access.audit import record
from ..errors import WorkflowError
from .. import recognition
from .verification import reinstate_required
from .scope import officer_port_id
from .seal_numbers import normalise

EVENT_KINDS = ("opened", "closed", "tamper")
BREAKING_KINDS = ("opened", "tamper")
# Gateways' clocks drift; a few minutes ahead is a clock, more is a wrong time.
CLOCK_SKEW = timedelta(minutes=5)
MAX_DETAILS = 4000


@dataclass(frozen=True)
class SealEventOutcome:
    event: SealEvent
    seal: Seal
    decision: BorderDecision | None


def post_seal_event(session: Session, actor: User, seal_number: str, kind: str, occurred_at: datetime,
                    place: str | None = None, lat: float | None = None, lon: float | None = None,
                    details: dict[str, Any] | None = None) -> SealEventOutcome:
    """Record the event; an opening or tampering before the border check breaks the seal and
    reinstates the border inspection, as a broken seal found at the border does."""
    seal = _visible_seal(session, actor, seal_number)
    _check_event(seal, kind, occurred_at, place, lat, lon, details)
    event = SealEvent(seal=seal, kind=kind, occurred_at=occurred_at, place=place, lat=lat, lon=lon,
                      source="electronic", recorded_by_id=actor.id, details=details)
    session.add(event)
    session.flush()
    record(session, actor, f"seal_event.{kind}", seal, after={"occurred_at": occurred_at.isoformat(), "place": place})
    request = session.get(Shipment, seal.request_id)
    decision = None
    # Only a seal still on its way counts: after the border check, opening the load is unloading.
    if kind in BREAKING_KINDS and seal.status == "applied" and request.status == "sealed":
        before = {"status": seal.status}
        seal.status = "broken"
        record(session, actor, "seal.broken", seal, before=before, after={"status": "broken", "event": kind})
        session.flush()
        decision = reinstate_required(session, actor, request, [seal], "seal_event", [recognition.reason("seal_broken")],
                              utcnow()).decision
    return SealEventOutcome(event, seal, decision)


def _visible_seal(session: Session, actor: User, seal_number: str) -> Seal:
    """Admins and gateway accounts (officers without a port) see every seal; an officer, their port's."""
    query = sa.select(Seal).where(Seal.number == normalise(seal_number))
    port_id = officer_port_id(session, actor) if actor.role == "officer" else None
    if actor.role not in ("officer", "admin"):
        query = query.where(sa.false())
    elif port_id is not None:
        query = query.join(Shipment, Shipment.id == Seal.request_id).where(
            Shipment.port_id == port_id)
    seal = session.scalar(query)
    if seal is None:
        # The same answer for a seal that does not exist and one the caller may not see.
        raise WorkflowError(_("No seal with this number is known to you."), field="seal_number")
    return seal


def _check_event(seal: Seal, kind: str, occurred_at: datetime, place: str | None, lat: float | None,
                 lon: float | None, details: dict[str, Any] | None) -> None:
    if seal.kind != "electronic":
        raise WorkflowError(_("Only electronic seals report events."), field="seal_number")
    if kind not in EVENT_KINDS:
        raise WorkflowError(_("The event is opened, closed or tamper."), field="kind")
    if occurred_at.tzinfo is None:
        raise WorkflowError(_("Give the time with its UTC offset."), field="occurred_at")
    if occurred_at > utcnow() + CLOCK_SKEW:
        raise WorkflowError(_("The event cannot happen in the future."), field="occurred_at")
    if occurred_at < seal.applied_at:
        raise WorkflowError(_("The event is before the seal was applied."), field="occurred_at")
    if (lat is None) != (lon is None):
        raise WorkflowError(_("Give both latitude and longitude, or neither."), field="lat" if lat is None else "lon")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise WorkflowError(_("The position is not on Earth."), field="lat")
    if place is not None and len(place) > 200:
        raise WorkflowError(_("The place is limited to %(count)s characters.", count=200), field="place")
    if details is not None and len(json.dumps(details, default=str)) > MAX_DETAILS:
        raise WorkflowError(_("The details are limited to %(count)s characters.", count=MAX_DETAILS),
                            field="details")
