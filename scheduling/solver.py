"""The scheduling entry point: heuristic first, then CP-SAT or LNS, always returning a valid plan."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

from scheduling import lns
from scheduling.bookings import bookings_of
from scheduling.domain import JOINT_INLAND, Assignment, Scenario, Schedule
from scheduling.explain import capacity_explanation
from scheduling.heuristic import ORDERS, find_border_slot, greedy
from scheduling.instance import Instance, Placement, plan_to_schedule, score
from scheduling.model import CandidateCache, JointModel, run_model
from scheduling.stats import schedule_stats
from scheduling.validation import validate


@dataclass(frozen=True)
class SolverSettings:
    """How long and how hard to search; the defaults are the ones measured on 2 cores."""

    time_limit_s: float = 30.0
    workers: int = 2
    probing_level: int = 0
    lns_threshold: int = 200  # more free requests than this: large-neighbourhood search
    neighbourhood_size: int = 80
    neighbourhood_time_s: float = 3.0
    neighbourhood_patience_s: float = 1.0  # end a neighbourhood after this long without a better plan
    repair_burst_s: float = 2.0  # ruin-and-recreate moves before each CP-SAT neighbourhood
    repair_size: int = 16
    seed: int = 1
    log_search: bool = False


@dataclass(frozen=True)
class Progress:
    """One progress line: where the search stands."""

    elapsed: float
    phase: str
    served: int  # requests served
    waived: int  # border inspections avoided
    objective: int  # priority-weighted served requests
    bound: int  # upper bound on the objective


class Run:
    """The state of one solve: the best plan so far, timing, and progress reporting."""

    def __init__(self, instance, settings, progress, stop, keep):
        self.instance, self.settings, self.progress, self.keep = instance, settings, progress, keep
        self.stop = stop or threading.Event()
        self.started = time.monotonic()
        self.deadline = self.started + settings.time_limit_s
        self.bound = instance.upper_bound()
        self.plan: dict = {}
        self.status = "FEASIBLE"
        self.baseline = 0  # served weight of the priority-order greedy plan
        self.time_to_first = 0.0

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def time_left(self) -> float:
        return 0.0 if self.stop.is_set() else self.deadline - time.monotonic()

    def score(self, plan: dict):
        return score(self.instance, plan, self.keep)

    def offer(self, plan: dict, phase: str) -> bool:
        """Keep `plan` when it scores at least as well as the best so far."""
        if self.plan and self.score(plan).key() < self.score(self.plan).key():
            return False
        self.plan = plan
        self.report(phase)
        return True

    def report(self, phase: str, counts: tuple[int, int, int] | None = None) -> None:
        """Progress of the best plan, or of `counts` (served, served weight, waived) when given."""
        if self.progress is None:
            return
        if counts is None:
            current = self.score(self.plan)
            counts = (len(self.plan), current.served_weight, current.waived)
        served, weight, waived = counts
        self.progress(Progress(round(self.elapsed(), 2), phase, served, waived, weight, self.bound))


def solve(scenario: Scenario, settings: SolverSettings = SolverSettings(),
          previous: Schedule | None = None, pinned: tuple[Assignment, ...] = (),
          progress: Callable[[Progress], None] | None = None,
          stop: threading.Event | None = None) -> Schedule:
    """The best valid schedule found within the time limit (or until `stop` is set).

    Pinned assignments (and those marked pinned in `previous`) stay exactly as they are; the
    other assignments of `previous` are kept unless moving them serves more shipments.
    """
    instance = Instance(scenario)
    fixed = pinned_placements(instance, tuple(pinned) + _marked_pinned(previous))
    keep = {r: p for r, p in placements_of(instance, previous.assignments if previous else ()).items()
            if r not in fixed}
    run = Run(instance, settings, progress, stop, keep)
    _heuristics(run, fixed)
    heuristic_plan = run.plan
    free = [r for r, w in instance.windows.items() if w.servable and r not in fixed]
    cache = CandidateCache(instance)
    if run.time_left() > 0.2 and free:
        if len(free) <= settings.lns_threshold:
            _single_model(run, cache, free)
        else:
            lns.improve(run, cache, free)
    return _finish(run, heuristic_plan)


def _heuristics(run: Run, fixed: dict) -> None:
    """Greedy plans in each of the ORDERS, "priority" (the baseline) first, while they take
    within 15% of the time limit; the best one is where the search starts."""
    for name in ORDERS:
        began = run.elapsed()
        plan = greedy(run.instance, fixed, run.keep, order=name)
        if name == "priority":
            run.baseline, run.time_to_first = score(run.instance, plan).served_weight, run.elapsed()
        run.offer(plan, "heuristic")
        next_done = run.elapsed() + (run.elapsed() - began)
        if run.stop.is_set() or next_done > 0.15 * run.settings.time_limit_s:
            break


def _single_model(run: Run, cache: CandidateCache, free: list[str]) -> None:
    """Small instances: one model of every free request, hinted with the heuristic plan."""
    context = bookings_of(run.instance, run.plan, skip=set(free))
    jm = JointModel(run.instance, cache, free, context, run.keep)
    jm.hint(run.plan)
    if any(r in run.plan and r not in jm.vars for r in free):
        return  # a placed request the model cannot express would be lost: keep the heuristic
    fixed_part = {r: p for r, p in run.plan.items() if r not in jm.vars}
    fixed = score(run.instance, fixed_part)

    def on_solution(served: int, weight: int, waived: int) -> None:
        run.report("cp-sat", (len(fixed_part) + served, fixed.served_weight + weight, fixed.waived + waived))

    result = run_model(jm, run.settings, run.time_left(), run.stop, on_solution)
    if result.plan is not None:
        run.offer({**fixed_part, **result.plan}, "cp-sat")
        if result.status == "OPTIMAL" and len(jm.vars) == len(free):
            run.status = "OPTIMAL"
        fixed_weight = sum(run.instance.weight(r) for r in fixed_part)
        run.bound = min(run.bound, fixed_weight + result.served_bound)


def _finish(run: Run, heuristic_plan: dict) -> Schedule:
    """The best plan as a schedule, checked by the independent validator; the heuristic plan
    (valid by construction) stands in should the check ever fail."""
    instance = run.instance
    for plan, status in ((run.plan, run.status), (heuristic_plan, "FEASIBLE")):
        schedule = _schedule(run, plan, status, heuristic_plan)
        violations = validate(instance.scenario, schedule)
        if not violations:
            return schedule
        schedule.stats["violations"] = [v.message for v in violations[:20]]
    return schedule


def _schedule(run: Run, plan: dict, status: str, heuristic_plan: dict) -> Schedule:
    instance = run.instance
    bookings = bookings_of(instance, plan)
    reasons = {r: (w.problem or capacity_explanation(instance, bookings, w))
               for r, w in instance.windows.items() if r not in plan}
    current = score(instance, plan)
    stats = {"status": status, "objective": current.served_weight, "bound": run.bound,
             "wall_seconds": round(run.elapsed(), 3), "requests": len(instance.requests),
             "served": len(plan), "border_inspections_avoided": current.waived,
             "heuristic_objective": run.baseline,
             "greedy_objective": score(instance, heuristic_plan).served_weight,
             "time_to_first_s": round(run.time_to_first, 3),
             "reason_codes": {r: e.code for r, e in reasons.items()},
             "explanations": {r: {"code": e.code, "params": e.params} for r, e in reasons.items()},
             **schedule_stats(instance, plan)}
    return plan_to_schedule(instance, plan, reasons, stats)


def _marked_pinned(previous: Schedule | None) -> tuple[Assignment, ...]:
    return tuple(a for a in previous.assignments if a.pinned) if previous else ()


def placements_of(instance: Instance, assignments, pinned: bool = False) -> dict:
    """Placements of the requests whose assignments name known inspectors, by request id."""
    inland = {a.request: a for a in assignments if a.type == JOINT_INLAND}
    border = {a.request: a for a in assignments if a.type != JOINT_INLAND}
    result = {}
    for request_id, a in inland.items():
        crews = [instance.crew_by_id.get(i) for i in a.inspectors]
        if request_id not in instance.requests or None in crews or len(crews) != 2:
            continue
        team = tuple(c.index for c in sorted(crews, key=lambda c: c.agency))
        b = border.get(request_id)
        b_crew = instance.crew_by_id.get(b.inspectors[0]) if b and b.inspectors else None
        result[request_id] = Placement(
            request_id, a.site, instance.clock.minute(a.start), team,
            instance.clock.minute(b.start) if b_crew else None,
            b_crew.index if b_crew else None, pinned)
    return result


def pinned_placements(instance: Instance, pinned) -> dict:
    """Pinned placements as they are; one pinned without its required border slot gets one."""
    fixed = placements_of(instance, pinned, pinned=True)
    bookings = bookings_of(instance, fixed)
    for request_id, p in list(fixed.items()):
        windows = instance.windows[request_id]
        end = p.start + windows.request.inspection_minutes
        if p.border_start is None and not windows.avoids_border(p.site, end):
            slot = find_border_slot(instance, bookings, windows, p.site, end)
            if slot is not None:
                bookings.remove(p)
                fixed[request_id] = Placement(request_id, p.site, p.start, p.team, *slot, pinned=True)
                bookings.place(fixed[request_id])
    return fixed
