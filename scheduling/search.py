"""The search of one scenario: greedy plans, then CP-SAT or LNS, until proven optimal or out of time."""

from __future__ import annotations

import math
import threading
import time

from scheduling import lns
from scheduling.bookings import bookings_of
from scheduling.bounds import level_bounds
from scheduling.domain import JOINT_INLAND, Assignment, Scenario, Schedule
from scheduling.explain import capacity_explanation
from scheduling.heuristic import ORDERS, find_border_slot, greedy
from scheduling.instance import Instance, Placement, plan_assignments, plan_to_schedule, same_placement, score
from scheduling.model import CandidateCache, JointModel, run_model
from scheduling.settings import Progress, SolverSettings
from scheduling.stats import schedule_stats
from scheduling.validation import validate


class Run:
    """The state of one search: the best plan so far, its bounds, timing, and progress reports."""

    def __init__(self, instance, settings, progress, stop, keep, started=None):
        self.instance, self.settings, self.progress, self.keep = instance, settings, progress, keep
        self.stop = stop or threading.Event()
        self.started = started or time.monotonic()
        self.deadline = self.started + settings.time_limit_s
        self.bound = instance.upper_bound()
        self.bounds = level_bounds(instance, keep)
        self.plan: dict = {}
        self.status = "FEASIBLE"
        self.done = False  # proven optimal, or nothing left to gain: the search ends at once
        self.baseline = 0  # served weight of the priority-order greedy plan
        self.time_to_first = 0.0
        self.greedy_seconds = 0.0  # how long the first greedy plan took: the others take about as long
        self.heuristic_plan: dict = {}
        self.fixed: dict = {}  # pinned placements
        self.kept_floor = 0  # re-planning: the fewest previous placements a plan may keep

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def time_left(self) -> float:
        return 0.0 if self.done or self.stop.is_set() else self.deadline - time.monotonic()

    def score(self, plan: dict):
        return score(self.instance, plan, self.keep)

    def offer(self, plan: dict, phase: str) -> bool:
        """Keep `plan` when it scores at least as well as the best so far; a plan that reaches
        every level's bound is optimal and ends the search."""
        if self.plan and self.score(plan).key() < self.score(self.plan).key():
            return False
        if self.score(plan).kept < self.kept_floor:
            return False  # moves too much of what the disruption left alone
        self.plan = plan
        if self.bounds.reached_by(self.score(plan)):
            self.prove(self.score(plan).served_weight)
        self.report(phase)
        return True

    def kept_outside(self, group) -> int:
        """Previous placements the best plan keeps outside `group`."""
        inside = set(group)
        return sum(1 for r, p in self.plan.items() if r not in inside and same_placement(self.keep.get(r), p))

    def prove(self, served_weight: int) -> None:
        """The plan is optimal: its served weight is the bound, and nothing is left to search."""
        self.status, self.done, self.bound = "OPTIMAL", True, served_weight

    def report(self, phase: str, counts: tuple[int, int, int] | None = None) -> None:
        """Progress of the best plan, or of `counts` (served, served weight, waived) when given."""
        if self.progress is None:
            return
        if counts is None:
            current = self.score(self.plan)
            counts = (len(self.plan), current.served_weight, current.waived)
        served, weight, waived = counts
        self.progress(Progress(round(self.elapsed(), 2), phase, served, waived, weight, self.bound))


def start(scenario: Scenario, settings: SolverSettings, previous: Schedule | None = None,
          pinned: tuple[Assignment, ...] = (), progress=None, stop=None, started=None,
          initial: Schedule | None = None) -> Run:
    """A run with its first valid plan: the greedy in priority order, or the `initial` plan
    (made for this scenario by `first_plan`, e.g. in another process)."""
    instance = Instance(scenario)
    fixed = pinned_placements(instance, tuple(pinned) + _marked_pinned(previous))
    keep = {r: p for r, p in placements_of(instance, previous.assignments if previous else ()).items()
            if r not in fixed}
    run = Run(instance, settings, progress, stop, keep, started)
    run.fixed = fixed
    began = run.elapsed()
    if initial is None:
        plan = greedy(instance, fixed, keep, order="priority")
        run.baseline, run.time_to_first = score(instance, plan).served_weight, run.elapsed()
    else:
        plan = {**placements_of(instance, initial.assignments), **fixed}
        run.baseline, run.time_to_first = initial.stats["heuristic_objective"], initial.stats["time_to_first_s"]
    run.greedy_seconds = initial.stats["greedy_seconds"] if initial else run.time_to_first - began
    # the greedy keeps every previous placement that still fits: the others may move, but only a few
    run.kept_floor = math.ceil(settings.keep_share * run.score(plan).kept - 1e-9)
    run.offer(plan, "heuristic")
    run.heuristic_plan = run.plan
    return run


def first_plan(run: Run) -> Schedule:
    """The run's plan as bare assignments with the figures `start(initial=...)` needs: what a
    worker hands back after the first phase of a split run (no reasons, no validation yet)."""
    current = run.score(run.plan)
    assignments = tuple(a for p in run.plan.values() for a in plan_assignments(run.instance, p))
    stats = {"status": run.status, "objective": current.served_weight, "bound": run.bound,
             "border_inspections_avoided": current.waived, "served": len(run.plan),
             "heuristic_objective": run.baseline, "time_to_first_s": round(run.time_to_first, 3),
             "greedy_seconds": run.greedy_seconds, "upper_bound": run.bounds.served_weight,
             "avoidable": run.bounds.avoided, "done": run.done}
    return Schedule(assignments, (), (), stats)


def improve(run: Run) -> None:
    """The other greedy orders, then CP-SAT on one model of every free request when they are
    few, else LNS, until the run's deadline, its stop, or a proof that the plan is optimal."""
    instance, settings = run.instance, run.settings
    _other_greedy_orders(run)
    free = [r for r, w in instance.windows.items() if w.servable and r not in run.fixed]
    if run.time_left() <= 0.2 or not free:
        return
    cache = CandidateCache(instance)
    if len(free) <= settings.lns_threshold:
        _single_model(run, cache, free)
    else:
        lns.improve(run, cache, free)


def _other_greedy_orders(run: Run) -> None:
    """Greedy plans in the other ORDERS (the "priority" one, the baseline, came first) while
    they fit in 15% of the time the run has; the best plan is where the search starts."""
    budget = 0.15 * (run.time_left() + run.greedy_seconds)
    spent = run.greedy_seconds
    for name in list(ORDERS)[1:]:
        if run.time_left() <= 0 or spent + run.greedy_seconds > budget:
            return
        began = time.monotonic()
        run.offer(greedy(run.instance, run.fixed, run.keep, order=name), "heuristic")
        spent += time.monotonic() - began
    run.heuristic_plan = run.plan


def _single_model(run: Run, cache: CandidateCache, free: list[str]) -> None:
    """Small instances: one model of every free request, hinted with the heuristic plan; a
    proven optimum ends the run."""
    context = bookings_of(run.instance, run.plan, skip=set(free))
    jm = JointModel(run.instance, cache, free, context, run.keep, run.kept_floor - run.kept_outside(free))
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
        fixed_weight = sum(run.instance.weight(r) for r in fixed_part)
        run.bound = min(run.bound, fixed_weight + result.served_bound)
        if result.status == "OPTIMAL" and len(jm.vars) == len(free):
            run.prove(run.score(run.plan).served_weight)


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


def finish(run: Run) -> Schedule:
    """The best plan as a schedule, checked by the independent validator; the heuristic plan
    (valid by construction) stands in should the check ever fail."""
    instance = run.instance
    for plan, status in ((run.plan, run.status), (run.heuristic_plan, "FEASIBLE")):
        schedule = _schedule(run, plan, status)
        violations = validate(instance.scenario, schedule)
        if not violations:
            return schedule
        schedule.stats["violations"] = [v.message for v in violations[:20]]
    return schedule


def _schedule(run: Run, plan: dict, status: str) -> Schedule:
    instance = run.instance
    bookings = bookings_of(instance, plan)
    reasons = {r: (w.problem or capacity_explanation(instance, bookings, w))
               for r, w in instance.windows.items() if r not in plan}
    current = score(instance, plan)
    stats = {"status": status, "objective": current.served_weight, "bound": run.bound,
             "wall_seconds": round(run.elapsed(), 3), "requests": len(instance.requests),
             "served": len(plan), "border_inspections_avoided": current.waived,
             "heuristic_objective": run.baseline,
             "greedy_objective": score(instance, run.heuristic_plan).served_weight,
             "time_to_first_s": round(run.time_to_first, 3),
             "upper_bound": run.bounds.served_weight, "avoidable": run.bounds.avoided,
             "reason_codes": {r: e.code for r, e in reasons.items()},
             "explanations": {r: {"code": e.code, "params": e.params} for r, e in reasons.items()},
             **schedule_stats(instance, plan)}
    return plan_to_schedule(instance, plan, reasons, stats)
