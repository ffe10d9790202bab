"""Publishing a run: its assignments become the inspections exporters and inspectors see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ...db import begin_write
from ...models import (
    Inspection, Shipment, InspectorBooking, ScheduleAssignment, ScheduleRun, Site, User, utcnow,
)
from ..access.audit import record
from ..errors import ConflictError, WorkflowError
from .. import recognition
from ..shipments import lifecycle


class PublishConflict(ConflictError):
    """Publishing would double-book an inspector or overfill a site; nothing was published."""


@dataclass
class PublishReport:
    published: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # requests no longer open for scheduling


def publish_run(session: Session, actor: User, run_id: int) -> PublishReport:
    """Replace the planned requests' scheduled inspections by the run's, all or nothing.

    Publishing runs in a transaction of its own (what the session held before is committed):
    one publisher at a time per site, so the checks see what the other one committed.
    """
    _serialise(session, run_id)
    run = session.get(ScheduleRun, run_id)
    if run is None:
        raise WorkflowError("no such run", field="run")
    if run.status != "succeeded":
        raise WorkflowError("only a finished run can be published", field="run")
    if run.published_at is not None:
        raise WorkflowError("this run is already published", field="run")
    try:
        report = _replace_inspections(session, actor, run)
        _check_capacity(session, run)
        run.published_at, run.published_by_id = utcnow(), actor.id
        session.flush()
    except IntegrityError as error:  # PostgreSQL's exclusion constraint: the last word on overlaps
        raise PublishConflict("an inspector would be booked twice at once; re-plan and publish again",
                              field="run") from error
    record(session, actor, "schedule_run.published", run,
           after={"published": report.published, "skipped": report.skipped})
    return report


def _replace_inspections(session: Session, actor: User, run: ScheduleRun) -> PublishReport:
    report = PublishReport()
    by_request: dict[int, list[ScheduleAssignment]] = defaultdict(list)
    for assignment in run.assignments:
        by_request[assignment.request_id].append(assignment)
    for request_id, assignments in by_request.items():
        request = session.get(Shipment, request_id)
        if not lifecycle.can(request, "schedule"):
            report.skipped.append(request.reference)
            continue
        book_inspections(session, actor, request, [_inspection(request, a, run) for a in assignments], utcnow())
        report.published.append(request.reference)
    return report


def _serialise(session: Session, run_id: int) -> None:
    """The write lock on SQLite; row locks on the run's sites elsewhere (the exclusion constraint backs them)."""
    if session.get_bind().dialect.name == "sqlite":
        begin_write(session)
        return
    site_ids = sa.select(ScheduleAssignment.site_id).where(ScheduleAssignment.run_id == run_id)
    session.execute(sa.select(Site.id).where(Site.id.in_(site_ids)).order_by(Site.id).with_for_update())


def _cancel_scheduled(session: Session, request: Shipment) -> None:
    for inspection in session.scalars(
        sa.select(Inspection).where(Inspection.request_id == request.id, Inspection.status == "scheduled")
        .options(selectinload(Inspection.bookings))
    ):
        inspection.status = "cancelled"
        for booking in inspection.bookings:
            booking.active = False
    session.flush()


def _inspection(request: Shipment, assignment: ScheduleAssignment, run: ScheduleRun) -> Inspection:
    inspection = Inspection(request_id=request.id, kind=assignment.kind, site_id=assignment.site_id,
                            start=assignment.start, end=assignment.end, status="scheduled", schedule_run_id=run.id)
    inspection.bookings = [InspectorBooking(inspector_id=i.id, start=assignment.start, end=assignment.end)
                           for i in assignment.inspectors]
    return inspection


def book_inspections(session: Session, actor: User, shipment: Shipment, inspections: list[Inspection],
                     at: datetime) -> None:
    """The shipment's planned inspections become these: it is scheduled, with its plan's border decision."""
    _cancel_scheduled(session, shipment)
    session.add_all(inspections)
    lifecycle.take(session, actor, shipment, "schedule", at)
    inland = next((i for i in inspections if i.kind == "joint_inland"), None)
    if inland is not None:
        decision = recognition.planned_decision(session, shipment, inland.end)
        recognition.store_decision(session, shipment, decision, basis="plan", actor=actor, at=at)


def _check_capacity(session: Session, run: ScheduleRun) -> None:
    """No inspector in two places at once and no site over its bays, counting what was there before."""
    session.flush()
    _check_inspector_overlaps(session, run)
    _check_bays(session, run)


def _check_inspector_overlaps(session: Session, run: ScheduleRun) -> None:
    mine = sa.orm.aliased(InspectorBooking)
    other = sa.orm.aliased(InspectorBooking)
    clash = session.execute(
        sa.select(mine.inspector_id).join(Inspection, Inspection.id == mine.inspection_id)
        .join(other, sa.and_(other.inspector_id == mine.inspector_id, other.inspection_id != mine.inspection_id,
                             other.active, other.start < mine.end, mine.start < other.end))
        .where(Inspection.schedule_run_id == run.id, mine.active).limit(1)
    ).first()
    if clash is not None:
        raise PublishConflict("an inspector would be booked twice at once; re-plan and publish again", field="run")


def _check_bays(session: Session, run: ScheduleRun) -> None:
    for site_id in {a.site_id for a in run.assignments}:
        site = session.get(Site, site_id)
        rows = session.execute(
            sa.select(Inspection.start, Inspection.end)
            .where(Inspection.site_id == site_id, Inspection.status == "scheduled",
                   Inspection.end > run.horizon_start, Inspection.start < run.horizon_end)
        ).all()
        if _max_concurrent(rows) > site.bays:
            raise PublishConflict(f"{site.name} would run more inspections at once than its {site.bays} bays",
                                  field="run")


def _max_concurrent(intervals) -> int:
    events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    best = current = 0
    for _, delta in events:
        current += delta
        best = max(best, current)
    return best
