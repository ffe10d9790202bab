"""The demo's plans for this week: the first one published, the live one that replaced it, an inspector
taken ill under a pinned inspection of the live plan.

They are made from the demo shipments' own scheduled inspections (which went through the live
workflows), so the board, the runs list and the re-plan tell the same story the shipments do.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import (
    Inspection, Inspector, ScheduleAssignment, ScheduleRun, Shift, Shipment, Site, User,
)
from ..planning.disruptions import mark_unavailable
from ..recognition import current_decision
from .common import SeedError, SeedReport, load_json
from .reference import local_time
from .timeline import workday

DEMO = "demo week"
ILLNESS = "Taken ill on the morning of the inspection (fever); off until further notice."


def seed_demo_plans(session: Session, report: SeedReport) -> None:
    """Two published runs for the demo week and the illness; made again only when the week moved."""
    start = local_time(workday(report.today, 0), "00:00", "America/Mexico_City")
    end = start + timedelta(days=7)
    existing = session.scalars(sa.select(ScheduleRun).where(ScheduleRun.settings["demo"].as_string() == DEMO)).all()
    if any(run.horizon_start == start for run in existing):
        report.count("demo plan", "unchanged")
        return
    for run in existing:
        session.delete(run)
    session.flush()
    coordinator = session.scalar(sa.select(User).where(User.username == "coordinator"))
    inspections = _scheduled(session, start, end)
    if not inspections:
        return
    first = _run(session, coordinator, start, end, inspections, earlier=True)
    live = _run(session, coordinator, start, end, inspections, earlier=False)
    first.superseded_at, first.superseded_by_id = live.published_at, live.id
    for inspection in inspections:
        inspection.schedule_run_id = live.id
    _taken_ill(session, coordinator, live)
    report.count("demo plan", "created")


def _scheduled(session: Session, start: datetime, end: datetime) -> list[Inspection]:
    references = [s["reference"] for s in load_json("demo_shipments.json")["shipments"]]
    return list(session.scalars(
        sa.select(Inspection).join(Shipment, Shipment.id == Inspection.request_id)
        .where(Shipment.reference.in_(references), Shipment.status == "scheduled", Inspection.status == "scheduled",
               Inspection.start >= start, Inspection.start < end).order_by(Inspection.start)))


def _run(session: Session, coordinator: User, start: datetime, end: datetime, inspections: list[Inspection],
         earlier: bool) -> ScheduleRun:
    """A finished, published run holding these inspections (as the first plan had them, when `earlier`)."""
    published = min(i.start for i in inspections) - timedelta(days=2 if earlier else 1)
    run = ScheduleRun(created_by_id=coordinator.id, created_at=published - timedelta(minutes=5), horizon_start=start,
                      horizon_end=end, status="succeeded", settings={"demo": DEMO, "time_limit_s": 30, "workers": 2},
                      progress={"phase": "done"}, started_at=published - timedelta(minutes=5), finished_at=published,
                      solver_status="FEASIBLE", published_at=published, published_by_id=coordinator.id)
    for inspection in inspections:
        run.assignments.append(_assignment(session, inspection, earlier))
    by_shipment: dict[int, int] = defaultdict(int)
    for assignment in run.assignments:
        by_shipment[assignment.request_id] += 1
    run.stats = {"requests": len(by_shipment), "served": len(by_shipment), "status": "FEASIBLE",
                 "border_inspections_avoided": sum(1 for a in run.assignments if a.waived)}
    session.add(run)
    session.flush()
    return run


def _assignment(session: Session, inspection: Inspection, earlier: bool) -> ScheduleAssignment:
    site_id, start, inspectors = inspection.site_id, inspection.start, [b.inspector for b in inspection.bookings
                                                                        if b.active]
    note = inspection.change_note or {}
    if earlier and note:  # where the first plan had it, before the live plan moved it
        if "site" in note:
            site_id = session.scalar(sa.select(Site.id).where(Site.code == note["site"][0]))
        if "start" in note:
            start = datetime.fromisoformat(note["start"][0])
        if "inspectors" in note:
            inspectors = list(session.scalars(sa.select(Inspector).where(Inspector.code.in_(note["inspectors"][0]))))
    waived = inspection.kind == "joint_inland" and _waived(session, inspection)
    return ScheduleAssignment(request_id=inspection.request_id, kind=inspection.kind, site_id=site_id, start=start,
                              end=start + (inspection.end - inspection.start), waived=waived, inspectors=inspectors)


def _waived(session: Session, inspection: Inspection) -> bool:
    decision = current_decision(session, session.get(Shipment, inspection.request_id))
    return decision is not None and decision.decision == "waived"


def _taken_ill(session: Session, coordinator: User, live: ScheduleRun) -> None:
    """The story of an inspector taken ill after publishing: their inspection was pinned on the live plan."""
    spec = next((s for s in load_json("demo_shipments.json")["shipments"] if s.get("taken_ill")), None)
    if spec is None:
        return
    assignment = next((a for a in live.assignments
                       if a.kind == "joint_inland" and a.request.reference == spec["reference"]), None)
    if assignment is None:
        raise SeedError(f"{spec['reference']}: the inspector taken ill has no inspection in the demo week")
    for a in live.assignments:
        if a.request_id == assignment.request_id:
            a.pinned = True
    ill = next(i for i in assignment.inspectors if i.agency == spec["taken_ill"])
    shift = session.scalar(sa.select(Shift).where(Shift.inspector_id == ill.id, Shift.start <= assignment.start,
                                                  Shift.end >= assignment.end))
    if shift is not None and shift.available:
        mark_unavailable(session, coordinator, ill, shift.start, shift.end, ILLNESS)
