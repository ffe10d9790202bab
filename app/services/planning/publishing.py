"""Publishing a run: the live plan changes to it, inspection by inspection, all or nothing.

Exactly one published run is live per horizon. Publishing checks the whole plan against what the
database holds at that moment and refuses an invalid one with the list of offending inspections; it
refuses a run started from a plan that has been replaced since. An inspection the new plan leaves
where it was keeps its id and everything recorded on it (see plan_changes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduling.validation import Violation, validate

from ...db import begin_write
from ...i18n import local_time
from ...models import Inspection, InspectorBooking, ScheduleAssignment, ScheduleRun, Shipment, Site, User, utcnow
from ..access.audit import record
from ..errors import ConflictError, WorkflowError
from ..shipments import lifecycle
from .plan_changes import Changes, Slot, apply_slots, release_shipment
from .scenario import build_scenario
from .stored import run_schedule

# Rule 7 of the exchange format is about the run's own listing, not about what it books.
LISTING_RULES = ("unserved_not_listed", "unscheduled_has_assignment", "unscheduled_reason")


class PublishConflict(ConflictError):
    """Publishing would double-book an inspector or overfill a site; nothing was published."""


class PlanReplaced(ConflictError):
    """Another plan for these days was published after this run started from the live one."""


class InvalidPlan(ConflictError):
    """The plan breaks rules against what the database holds now; nothing was published."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(_("This plan cannot be published as it stands: %(count)s of its inspections break a "
                           "rule now. Re-plan, or move them.", count=len(violations)), field="run")
        self.violations = violations

    def field_messages(self, default_field: str = "_schema") -> dict[str, str]:
        messages: dict[str, str] = {}
        for violation in self.violations:
            key = f"assignments[{violation.request or '-'}]"
            messages[key] = f"{messages[key]} {violation.message}" if key in messages else violation.message
        return messages


@dataclass
class PublishReport:
    published: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # shipments no longer open for scheduling
    changes: dict[str, int] = field(default_factory=dict)  # kept, moved, added, dropped, released


def live_run(session: Session, start: datetime, end: datetime) -> ScheduleRun | None:
    """The plan people work to for days that overlap [start, end)."""
    return session.scalar(
        sa.select(ScheduleRun).where(ScheduleRun.published_at.is_not(None), ScheduleRun.superseded_at.is_(None),
                                     ScheduleRun.horizon_start < end, start < ScheduleRun.horizon_end)
        .order_by(ScheduleRun.published_at.desc()).limit(1))


def publish_run(session: Session, actor: User, run_id: int) -> PublishReport:
    """Make the run the live plan for its days, all or nothing.

    Publishing runs in a transaction of its own (what the session held before is committed):
    one publisher at a time per site, so the checks see what the other one committed.
    """
    _serialise(session, run_id)
    return _publish(session, actor, _publishable(session, run_id))


def preview_publish(session: Session, actor: User, run_id: int) -> PublishReport:
    """What publishing would do now (the same checks and changes), tried and undone."""
    run = _publishable(session, run_id)
    with session.begin_nested() as trial:
        report = _publish(session, actor, run)
        trial.rollback()
    return report


def _publishable(session: Session, run_id: int) -> ScheduleRun:
    run = session.get(ScheduleRun, run_id)
    if run is None:
        raise WorkflowError(_("There is no such run."), field="run")
    if run.status != "succeeded":
        raise WorkflowError(_("Only a finished run can be published."), field="run")
    if run.published_at is not None:
        raise ConflictError(_("This run is already published."), field="run")
    return run


def _publish(session: Session, actor: User, run: ScheduleRun) -> PublishReport:
    live = live_run(session, run.horizon_start, run.horizon_end)
    _check_still_based_on(run, live)
    now = utcnow()
    check_plan(session, run, now)
    try:
        report, changes = _apply(session, actor, run, now)
        changes.take_bookings(session)
        _check_capacity(session, run)
        run.published_at, run.published_by_id = now, actor.id
        if live is not None:
            live.superseded_at, live.superseded_by_id = now, run.id
        session.flush()
    except IntegrityError as error:  # PostgreSQL's exclusion constraint: the last word on overlaps
        raise PublishConflict(_("An inspector would be booked twice at once; re-plan and publish again."),
                              field="run") from error
    report.changes = changes.counts()
    record(session, actor, "schedule_run.published", run,
           after={"published": report.published, "skipped": report.skipped, "changes": report.changes,
                  "superseded": live.id if live else None})
    return report


def _check_still_based_on(run: ScheduleRun, live: ScheduleRun | None) -> None:
    """A run planned from one live plan cannot replace another that was published meanwhile."""
    if live is not None and live.id != run.based_on_run_id:
        raise PlanReplaced(_("Run %(live)s was published for these days after this run started; re-plan from it "
                             "so that nothing done meanwhile is lost.", live=live.id), field="run")


def check_plan(session: Session, run: ScheduleRun, now: datetime) -> None:
    """Every inspection of the plan against the shifts, unavailability, closures, bays and other bookings
    the database holds now (the validator of the exchange format), and none in the past."""
    scenario, ids = build_scenario(session, run.horizon_start, run.horizon_end)
    schedule = run_schedule(session, run, only=set(ids.requests))
    planned = [a for a in schedule.assignments if a.request in ids.requests]
    schedule = replace(schedule, assignments=tuple(planned), unscheduled=())
    violations = [v for v in validate(scenario, schedule) if v.rule not in LISTING_RULES]
    zone_of = {site.id: site.timezone for site in scenario.sites}
    for assignment in sorted(planned, key=lambda a: a.start):
        if assignment.start < now:
            zone = zone_of.get(assignment.site, "UTC")
            kind = _("joint inspection") if assignment.type == "joint_inland" else _("border inspection")
            violations.append(Violation("past", assignment.request, _(
                "%(request)s: its %(kind)s would start at %(when)s, which has passed.", request=assignment.request,
                kind=kind, when=local_time(assignment.start, zone))))
    if violations:
        raise InvalidPlan(violations)


def _apply(session: Session, actor: User, run: ScheduleRun, now: datetime) -> tuple[PublishReport, Changes]:
    report, changes = PublishReport(), Changes()
    by_shipment: dict[int, list[ScheduleAssignment]] = defaultdict(list)
    for assignment in run.assignments:
        by_shipment[assignment.request_id].append(assignment)
    for shipment_id, assignments in by_shipment.items():
        shipment = session.get(Shipment, shipment_id)
        if not lifecycle.can(shipment, "schedule"):
            report.skipped.append(shipment.reference)
            continue
        slots = [Slot(a.kind, a.site_id, a.start, a.end, tuple(i.id for i in a.inspectors)) for a in assignments]
        apply_slots(session, actor, shipment, slots, now, changes, run_id=run.id,
                    drop_reason=_("not needed in the new plan"))
        report.published.append(shipment.reference)
    for unscheduled in run.unscheduled:
        shipment = unscheduled.request
        if shipment.status == lifecycle.SCHEDULED:
            release_shipment(session, actor, shipment, _("Not in the new plan: %(reason)s", reason=unscheduled.reason),
                             now, changes)
    return report, changes


# Any fixed number: the key of the PostgreSQL advisory lock that lets one publisher in at a time.
PUBLISH_LOCK_KEY = 7_020_502


def _serialise(session: Session, run_id: int) -> None:
    """One publisher at a time: the write lock on SQLite, an advisory lock on PostgreSQL.

    Publishing is rare and must see what the previous publisher committed: which plan is live, what
    is booked (the exclusion constraint stays the last word on overlaps).
    """
    if session.get_bind().dialect.name == "sqlite":
        begin_write(session)
        return
    session.execute(sa.select(sa.func.pg_advisory_xact_lock(PUBLISH_LOCK_KEY)))


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
