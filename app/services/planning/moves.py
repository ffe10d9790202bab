"""Moving and pinning a planned assignment, checked at once against every rule of the schedule spec."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from scheduling import domain as sd
from scheduling.validation import Violation, validate

from ...models import Inspector, ScheduleAssignment, ScheduleRun, Shipment, Site, User
from ..access.audit import record
from ..errors import WorkflowError
from .scenario import ScenarioIds, build_scenario
from .stored import planned_border_decision, run_schedule


@dataclass(frozen=True)
class Move:
    """Where and when an assignment should be instead, and with whom."""

    start: datetime
    site_id: int
    inspector_ids: tuple[int, ...]


@dataclass
class MoveCheck:
    """The rules the move would break (only those it concerns), and what it does to the border."""

    end: datetime
    violations: list[Violation] = field(default_factory=list)
    decision: str | None = None  # the border decision after moving a joint inspection
    rule: str | None = None
    drops_border: bool = False  # a waiver gained: the border inspection is no longer needed

    @property
    def ok(self) -> bool:
        return not self.violations


class MoveRefused(WorkflowError):
    """The move breaks a rule; nothing was changed."""

    def __init__(self, check: MoveCheck) -> None:
        super().__init__("; ".join(v.message for v in check.violations), field="start")
        self.check = check


def ensure_editable(run: ScheduleRun) -> None:
    """Only a finished plan nobody has published yet can be changed by hand."""
    if run.status != "succeeded":
        raise WorkflowError("only a finished run can be changed", field="run")
    if run.published_at is not None:
        raise WorkflowError("this plan is published: pin what must stay and re-plan to change it", field="run")


def check_move(session: Session, run: ScheduleRun, assignment: ScheduleAssignment, move: Move) -> MoveCheck:
    """Validate the run with the move applied; keep the violations the move causes or that concern it."""
    scenario, ids = build_scenario(session, run.horizon_start, run.horizon_end)
    reference = assignment.request.reference
    end = move.start + (assignment.end - assignment.start)
    check = MoveCheck(end=end)
    if reference not in ids.requests:
        check.violations.append(Violation("not_open", reference,
                                          f"{reference} is no longer open for planning; re-plan instead"))
        return check
    base = run_schedule(session, run, only=set(ids.requests))
    site, inspectors = _codes(session, move)
    moved = sd.Assignment(reference, assignment.kind, site, move.start, end, inspectors, pinned=True)
    changed = _apply(session, base, assignment.request, moved, check)
    before = set(validate(scenario, base))
    check.violations = [v for v in validate(scenario, changed) if v not in before or v.request == reference]
    return check


def _codes(session: Session, move: Move) -> tuple[str, tuple[str, ...]]:
    site = session.get(Site, move.site_id)
    if site is None:
        raise WorkflowError("no such site", field="site")
    inspectors = [session.get(Inspector, i) for i in move.inspector_ids]
    if any(i is None for i in inspectors):
        raise WorkflowError("no such inspector", field="inspectors")
    return site.code, tuple(i.code for i in inspectors)


def _apply(session: Session, base: sd.Schedule, shipment: Shipment, moved: sd.Assignment,
           check: MoveCheck) -> sd.Schedule:
    """The schedule with the assignment replaced; a joint inspection's border decision follows its new end."""
    reference = moved.request
    assignments = [moved if (a.request, a.type) == (reference, moved.type) else a for a in base.assignments]
    decisions = list(base.border_decisions)
    if moved.type == sd.JOINT_INLAND:
        decision = planned_border_decision(session, shipment, moved.end)
        check.decision, check.rule = decision.decision, decision.rule
        decisions = [d for d in decisions if d.request != reference] + [decision]
        if decision.decision == "waived":
            kept = [a for a in assignments if not (a.request == reference and a.type == sd.BORDER)]
            check.drops_border = len(kept) < len(assignments)
            assignments = kept
    return replace(base, assignments=tuple(assignments), border_decisions=tuple(decisions))


def apply_move(session: Session, actor: User, run: ScheduleRun, assignment: ScheduleAssignment,
               move: Move) -> MoveCheck:
    """Save a move that breaks no rule, pinned so the next re-plan keeps it; refuse it otherwise."""
    ensure_editable(run)
    check = check_move(session, run, assignment, move)
    if not check.ok:
        raise MoveRefused(check)
    before = _snapshot(assignment)
    assignment.start, assignment.end, assignment.site_id = move.start, check.end, move.site_id
    assignment.inspectors = [session.get(Inspector, i) for i in move.inspector_ids]
    if assignment.kind == "joint_inland":
        assignment.waived = check.decision == "waived"
    if check.drops_border:
        run.assignments[:] = [a for a in run.assignments
                              if not (a.request_id == assignment.request_id and a.kind == "border")]
    _pin_request(run, assignment.request_id, True)
    _touch(run)
    record(session, actor, "schedule_assignment.moved", assignment, before=before, after=_snapshot(assignment))
    _flush(session)
    return check


def set_pinned(session: Session, actor: User, run: ScheduleRun, assignment: ScheduleAssignment,
               pinned: bool) -> None:
    """Pin (or release) a shipment's plan: both its inspections stay as they are in the next re-plan."""
    if run.status != "succeeded":
        raise WorkflowError("only a finished run can be pinned", field="run")
    _pin_request(run, assignment.request_id, pinned)
    _touch(run)
    record(session, actor, "schedule_assignment.pinned" if pinned else "schedule_assignment.unpinned", assignment)
    _flush(session)


def _pin_request(run: ScheduleRun, request_id: int, pinned: bool) -> None:
    for a in run.assignments:
        if a.request_id == request_id:
            a.pinned = pinned


def _touch(run: ScheduleRun) -> None:
    """Count the hand edits and keep the waived total right; changing the run bumps its version,
    so two coordinators editing one run at once cannot both win."""
    stats = dict(run.stats or {})
    stats["hand_edits"] = stats.get("hand_edits", 0) + 1
    stats["border_inspections_avoided"] = sum(1 for a in run.assignments if a.kind == "joint_inland" and a.waived)
    run.stats = stats


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as error:
        raise WorkflowError("someone changed this plan meanwhile; check the move again", field="run") from error


def _snapshot(assignment: ScheduleAssignment) -> dict:
    return {"site_id": assignment.site_id, "start": assignment.start.isoformat(), "end": assignment.end.isoformat(),
            "inspectors": sorted(i.id for i in assignment.inspectors)}


def pinned_assignments(session: Session, run_id: int, ids: ScenarioIds) -> tuple[sd.Assignment, ...]:
    """A run's pinned assignments in the scenario's ids, for the re-plan started from that run.

    Shipments no longer open, and inspectors no longer planned, drop out: the solver cannot keep them.
    """
    code_of_request = {v: k for k, v in ids.requests.items()}
    code_of_site = {v: k for k, v in ids.sites.items()}
    code_of_inspector = {v: k for k, v in ids.inspectors.items()}
    rows = session.scalars(
        sa.select(ScheduleAssignment)
        .where(ScheduleAssignment.run_id == run_id, ScheduleAssignment.pinned,
               ScheduleAssignment.request_id.in_(code_of_request))
        .options(selectinload(ScheduleAssignment.inspectors))
    )
    return tuple(
        sd.Assignment(code_of_request[a.request_id], a.kind, code_of_site[a.site_id], a.start, a.end,
                      tuple(code_of_inspector[i.id] for i in a.inspectors), pinned=True)
        for a in rows
        if a.site_id in code_of_site and all(i.id in code_of_inspector for i in a.inspectors))
