"""Moving and pinning a planned assignment, checked at once against every rule of the schedule spec."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from scheduling import domain as sd
from scheduling.validation import Violation, validate

from ...models import Inspector, ScheduleAssignment, ScheduleRun, Shipment, Site, UnscheduledRequest, User, utcnow
from ..access.audit import record
from ..errors import WorkflowError
from .plan_changes import Changes, Slot, apply_slots, release_shipment
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


def editing_refusal(run: ScheduleRun) -> str | None:
    """None when the run can be changed by hand (a finished draft, or the live plan), else why not."""
    if run.status != "succeeded":
        return _("Only a finished run can be changed.")
    if run.published_at is not None and not run.live:
        return _("This plan was replaced by run %(id)s; change the live plan instead.", id=run.superseded_by_id)
    return None


def ensure_editable(run: ScheduleRun) -> None:
    refusal = editing_refusal(run)
    if refusal is not None:
        raise WorkflowError(refusal, field="run")


def check_move(session: Session, run: ScheduleRun, assignment: ScheduleAssignment, move: Move) -> MoveCheck:
    """Validate the run with the move applied; keep the violations the move causes or that concern it."""
    return check_moves(session, run, [(assignment, move)])[0]


def check_moves(session: Session, run: ScheduleRun,
                moves: list[tuple[ScheduleAssignment, Move]]) -> list[MoveCheck]:
    """The run validated with every move applied at once (a swap is two); one check per move, each holding
    the violations that concern its shipment or that the moves cause."""
    scenario, ids = build_scenario(session, run.horizon_start, run.horizon_end)
    checks = [MoveCheck(end=move.start + (assignment.end - assignment.start)) for assignment, move in moves]
    for (assignment, move), check in zip(moves, checks):
        check.violations += _not_movable(run, assignment, move, ids)
    if any(not check.ok for check in checks):
        return checks
    base = run_schedule(session, run, only=set(ids.requests))
    changed = base
    for (assignment, move), check in zip(moves, checks):
        site, inspectors = _codes(session, move)
        moved = sd.Assignment(assignment.request.reference, assignment.kind, site, move.start, check.end,
                              inspectors, pinned=True)
        changed = _apply(session, changed, assignment.request, moved, check)
    before = set(validate(scenario, base))
    after = [v for v in validate(scenario, changed) if v not in before]
    references = {assignment.request.reference for assignment, _move in moves}
    concerning = [v for v in validate(scenario, changed) if v.request in references]
    for (assignment, _move), check in zip(moves, checks):
        mine = assignment.request.reference
        check.violations = list(dict.fromkeys(
            [v for v in concerning if v.request == mine] + [v for v in after if v.request not in references]))
    return checks


def _not_movable(run: ScheduleRun, assignment: ScheduleAssignment, move: Move, ids: ScenarioIds) -> list[Violation]:
    """A shipment past planning stays out; on the live plan, nothing moves from or into the past."""
    reference = assignment.request.reference
    if reference not in ids.requests:
        return [Violation("not_open", reference, _(
            "%(reference)s is no longer open for planning; re-plan instead", reference=reference))]
    if not run.live:
        return []
    now, refusals = utcnow(), []
    if assignment.start < now:
        refusals.append(Violation("started", reference, _(
            "%(reference)s: this inspection has started; it stays where it is", reference=reference)))
    if move.start < now:
        refusals.append(Violation("past", reference, _("%(reference)s: the new start has passed",
                                                        reference=reference)))
    return refusals


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
        site = session.scalar(sa.select(Site).where(Site.code == moved.site))
        decision = planned_border_decision(session, shipment, moved.end, site=site)
        check.decision, check.rule = decision.decision, decision.rule
        decisions = [d for d in decisions if d.request != reference] + [decision]
        if decision.decision in sd.AVOIDED:
            kept = [a for a in assignments if not (a.request == reference and a.type == sd.BORDER)]
            check.drops_border = len(kept) < len(assignments)
            assignments = kept
    return replace(base, assignments=tuple(assignments), border_decisions=tuple(decisions))


def apply_move(session: Session, actor: User, run: ScheduleRun, assignment: ScheduleAssignment,
               move: Move) -> MoveCheck:
    """Save a move that breaks no rule, pinned so the next re-plan keeps it; refuse it otherwise.

    On the live plan the inspection itself moves too, keeping its id, and its people are told.
    """
    ensure_editable(run)
    check = check_move(session, run, assignment, move)
    if not check.ok:
        raise MoveRefused(check)
    _save_move(session, actor, run, assignment, move, check)
    if run.live:
        _follow_on_the_live_plan(session, actor, run, [assignment.request])
    return check


def _save_move(session: Session, actor: User, run: ScheduleRun, assignment: ScheduleAssignment, move: Move,
               check: MoveCheck) -> None:
    before = _snapshot(assignment)
    assignment.start, assignment.end, assignment.site_id = move.start, check.end, move.site_id
    assignment.inspectors = [session.get(Inspector, i) for i in move.inspector_ids]
    if assignment.kind == "joint_inland":
        assignment.waived = check.decision in sd.AVOIDED
    if check.drops_border:
        run.assignments[:] = [a for a in run.assignments
                              if not (a.request_id == assignment.request_id and a.kind == "border")]
    _pin_request(run, assignment.request_id, True)
    _touch(run)
    record(session, actor, "schedule_assignment.moved", assignment, before=before, after=_snapshot(assignment))
    _flush(session)


def unassign(session: Session, actor: User, run: ScheduleRun, assignment: ScheduleAssignment) -> None:
    """Take the shipment off the plan; on the live plan its inspections are cancelled and it waits again."""
    ensure_editable(run)
    shipment = assignment.request
    if run.live and any(a.start < utcnow() for a in run.assignments if a.request_id == shipment.id):
        raise WorkflowError(_("%(reference)s: its inspection has started; it stays where it is.",
                              reference=shipment.reference), field="run")
    run.assignments[:] = [a for a in run.assignments if a.request_id != shipment.id]
    reason = _("taken off the plan by the coordinator")
    run.unscheduled.append(UnscheduledRequest(request_id=shipment.id, reason_code="unassigned", reason_params={},
                                              reason_text=reason))
    _touch(run)
    record(session, actor, "schedule_assignment.unassigned", assignment, after={"shipment": shipment.reference})
    _flush(session)
    if run.live:
        changes = Changes()
        release_shipment(session, actor, shipment, reason, utcnow(), changes)


def swap(session: Session, actor: User, run: ScheduleRun, first: ScheduleAssignment,
         second: ScheduleAssignment) -> list[MoveCheck]:
    """Two inspections of one kind exchange their places, times and teams, checked together."""
    ensure_editable(run)
    if first.kind != second.kind or first.request_id == second.request_id:
        raise WorkflowError(_("Swap two inspections of the same kind, of two shipments."), field="other")
    moves = [(first, Move(second.start, second.site_id, tuple(i.id for i in second.inspectors))),
             (second, Move(first.start, first.site_id, tuple(i.id for i in first.inspectors)))]
    checks = check_moves(session, run, moves)
    if any(not check.ok for check in checks):
        raise MoveRefused(next(check for check in checks if not check.ok))
    for (assignment, move), check in zip(moves, checks):
        _save_move(session, actor, run, assignment, move, check)
    if run.live:
        _follow_on_the_live_plan(session, actor, run, [first.request, second.request])
    return checks


def _follow_on_the_live_plan(session: Session, actor: User, run: ScheduleRun, shipments: list[Shipment]) -> None:
    """The live plan's inspections follow the edited assignments, keeping their ids (plan_changes); every
    booking is released before any is taken again, so a swap never looks double-booked on the way."""
    changes = Changes()
    for shipment in shipments:
        slots = [Slot(a.kind, a.site_id, a.start, a.end, tuple(i.id for i in a.inspectors))
                 for a in run.assignments if a.request_id == shipment.id]
        apply_slots(session, actor, shipment, slots, utcnow(), changes, run_id=run.id,
                    drop_reason=_("not needed after the coordinator's change"))
    changes.take_bookings(session)


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

    Shipments no longer open drop out (nothing is left to plan for them); pins naming a site or an
    inspector the scenario no longer has are kept here, so that keepable_pins says why they go.
    """
    code_of_request = {v: k for k, v in ids.requests.items()}
    code_of_site = {v: k for k, v in ids.sites.items()}
    code_of_inspector = {v: k for k, v in ids.inspectors.items()}
    rows = session.scalars(
        sa.select(ScheduleAssignment)
        .where(ScheduleAssignment.run_id == run_id, ScheduleAssignment.pinned,
               ScheduleAssignment.request_id.in_(code_of_request))
        .options(selectinload(ScheduleAssignment.inspectors), selectinload(ScheduleAssignment.site))
    )
    return tuple(
        sd.Assignment(code_of_request[a.request_id], a.kind, code_of_site.get(a.site_id, a.site.code), a.start, a.end,
                      tuple(code_of_inspector.get(i.id, i.code) for i in a.inspectors), pinned=True)
        for a in rows)


# What makes a pin impossible to keep: the time and people it names, not the plan's bookkeeping.
PHYSICAL_RULES = ("unknown_reference", "horizon", "site_hours", "shift", "shift_start_travel", "travel",
                  "daily_cap", "duration", "inland_site", "inland_team", "inland_window", "border_port",
                  "border_inspector", "border_window", "bays", "inspector_overlap")


def keepable_pins(scenario: sd.Scenario, pins: tuple[sd.Assignment, ...]
                  ) -> tuple[tuple[sd.Assignment, ...], list[dict[str, str]]]:
    """The pins that can still be kept, and for each shipment whose pin cannot, why (a re-plan says so).

    An inspector taken ill after the pin was set has no shift left at its time; a closed site has no
    hours; the validator of the exchange format tells which rule each pin now breaks.
    """
    broken: dict[str, Violation] = {}
    for violation in validate(scenario, sd.Schedule(pins, (), ())):
        if violation.rule in PHYSICAL_RULES and violation.request and violation.request not in broken:
            broken[violation.request] = violation
    kept = tuple(pin for pin in pins if pin.request not in broken)
    return kept, [{"request": request, "rule": violation.rule, "reason": violation.message}
                  for request, violation in sorted(broken.items())]
