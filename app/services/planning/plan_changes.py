"""A plan applied to what is scheduled, as changes: an inspection keeps its id and what was recorded on it.

Publishing a run, moving one inspection of the live plan and the demo seeding all bring a shipment's
scheduled inspections to the slots planned for it: an unchanged inspection is left alone, a moved one
changes in place and says what moved, a new one is added, one the plan no longer has is cancelled with
a reason. Inspectors' bookings are released first and taken again afterwards, so two inspections that
exchange places never look double-booked in between (the PostgreSQL exclusion constraint checks each
statement).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ...models import Inspection, InspectorBooking, Shipment, Site, User, utcnow
from ...models.inspector import Inspector
from .. import recognition
from ..access.audit import record
from ..shipments import lifecycle


@dataclass(frozen=True)
class Slot:
    """One inspection as a plan has it."""

    kind: str
    site_id: int
    start: datetime
    end: datetime
    inspector_ids: tuple[int, ...]


@dataclass
class Changes:
    """What applying plans did, by inspection id, and the bookings still to be taken again."""

    kept: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)
    released: list[str] = field(default_factory=list)  # shipments given back to the queue
    pending: list[InspectorBooking] = field(default_factory=list)

    def take_bookings(self, session: Session) -> None:
        """Once every released booking is flushed, book the inspectors on their new times."""
        session.flush()
        for booking in self.pending:
            booking.active = True
        self.pending.clear()
        session.flush()

    def counts(self) -> dict[str, int]:
        return {"kept": len(self.kept), "moved": len(self.moved), "added": len(self.added),
                "dropped": len(self.dropped), "released": len(self.released)}


def scheduled_inspections(session: Session, shipment: Shipment) -> list[Inspection]:
    return list(session.scalars(
        sa.select(Inspection).where(Inspection.request_id == shipment.id, Inspection.status == "scheduled")
        .options(selectinload(Inspection.bookings)).order_by(Inspection.id)))


def apply_slots(session: Session, actor: User | None, shipment: Shipment, slots: Sequence[Slot], at: datetime,
                changes: Changes, run_id: int | None = None, drop_reason: str | None = None) -> None:
    """Bring the shipment's scheduled inspections to these slots and schedule it (call take_bookings after)."""
    existing = {inspection.kind: inspection for inspection in scheduled_inspections(session, shipment)}
    inland_end_changed = False
    for slot in slots:
        inspection = existing.pop(slot.kind, None)
        if inspection is None:
            inspection = _add(session, shipment, slot, run_id, changes)
            inland_end_changed |= slot.kind == "joint_inland"
        elif _same(inspection, slot):
            changes.kept.append(inspection.id)
            inspection.schedule_run_id = run_id or inspection.schedule_run_id
        else:
            inland_end_changed |= slot.kind == "joint_inland" and inspection.end != slot.end
            _move(session, actor, inspection, slot, at, run_id, changes)
    for inspection in existing.values():
        cancel_inspection(session, actor, inspection, drop_reason or "no longer in the plan", changes)
    if shipment.status == lifecycle.REQUESTED:
        lifecycle.take(session, actor, shipment, "schedule", at)
    inland = next((slot for slot in slots if slot.kind == "joint_inland"), None)
    if inland is not None and (inland_end_changed or recognition.current_decision(session, shipment) is None):
        session.flush()
        decision = recognition.planned_decision(session, shipment, inland.end, site=session.get(Site, inland.site_id))
        recognition.store_decision(session, shipment, decision, basis="plan", actor=actor, at=at)


def release_shipment(session: Session, actor: User | None, shipment: Shipment, reason: str, at: datetime,
                     changes: Changes) -> None:
    """A plan that no longer has the shipment: its inspections are cancelled and it waits to be planned."""
    for inspection in scheduled_inspections(session, shipment):
        cancel_inspection(session, actor, inspection, reason, changes)
    if lifecycle.can(shipment, "unschedule"):
        lifecycle.take(session, actor, shipment, "unschedule", at, reason=reason)
        changes.released.append(shipment.reference)


def cancel_inspection(session: Session, actor: User | None, inspection: Inspection, reason: str,
                      changes: Changes | None = None) -> None:
    """Cancelled with its reason; its inspectors are free again, the record stays."""
    inspection.status, inspection.cancel_reason = "cancelled", reason
    inspection.changed_at = utcnow()
    for booking in inspection.bookings:
        booking.active = False
    if changes is not None:
        changes.dropped.append(inspection.id)
    record(session, actor, "inspection.cancelled", inspection, after={"reason": reason})


def _same(inspection: Inspection, slot: Slot) -> bool:
    team = sorted(b.inspector_id for b in inspection.bookings if b.active)
    return ((inspection.site_id, inspection.start, inspection.end, team)
            == (slot.site_id, slot.start, slot.end, sorted(slot.inspector_ids)))


def _add(session: Session, shipment: Shipment, slot: Slot, run_id: int | None, changes: Changes) -> Inspection:
    inspection = Inspection(request_id=shipment.id, kind=slot.kind, site_id=slot.site_id, start=slot.start,
                            end=slot.end, status="scheduled", schedule_run_id=run_id)
    session.add(inspection)
    for inspector_id in slot.inspector_ids:
        booking = InspectorBooking(inspector_id=inspector_id, start=slot.start, end=slot.end, active=False)
        inspection.bookings.append(booking)
        changes.pending.append(booking)
    session.flush()
    changes.added.append(inspection.id)
    return inspection


def _move(session: Session, actor: User | None, inspection: Inspection, slot: Slot, at: datetime,
          run_id: int | None, changes: Changes) -> None:
    """Change the inspection in place and note what moved, in words its readers know (codes and times)."""
    before = _described(session, inspection.site_id, inspection.start,
                        [b.inspector_id for b in inspection.bookings if b.active])
    after = _described(session, slot.site_id, slot.start, list(slot.inspector_ids))
    kept = {booking.inspector_id: booking for booking in inspection.bookings}
    for booking in inspection.bookings:
        booking.active = False
    for inspector_id in slot.inspector_ids:
        booking = kept.pop(inspector_id, None)
        if booking is None:
            booking = InspectorBooking(inspector_id=inspector_id, active=False)
            inspection.bookings.append(booking)
        booking.start, booking.end = slot.start, slot.end
        changes.pending.append(booking)
    # Inspectors taken off keep their booking, inactive: their page can still tell them what changed.
    inspection.site_id, inspection.start, inspection.end = slot.site_id, slot.start, slot.end
    inspection.schedule_run_id = run_id or inspection.schedule_run_id
    inspection.changed_at = at
    inspection.change_note = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    changes.moved.append(inspection.id)
    record(session, actor, "inspection.moved", inspection, before=before, after=after)


def _described(session: Session, site_id: int, start: datetime, inspector_ids: list[int]) -> dict[str, object]:
    site = session.get(Site, site_id)
    codes = sorted(session.scalars(sa.select(Inspector.code).where(Inspector.id.in_(inspector_ids))))
    return {"site": site.code, "start": start.isoformat(), "inspectors": codes}
