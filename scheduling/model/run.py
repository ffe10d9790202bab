"""Running CP-SAT on one JointModel with the tuned parameters, stoppable from another thread."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

STATUS_NAMES = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE",
                cp_model.INFEASIBLE: "INFEASIBLE", cp_model.MODEL_INVALID: "MODEL_INVALID",
                cp_model.UNKNOWN: "UNKNOWN"}


@dataclass(frozen=True)
class RunResult:
    """What one solve gave: its status, the free requests' placements, and a bound."""

    status: str
    plan: dict | None  # request id -> Placement for the model's free requests, None: no solution
    served_bound: int | None  # upper bound on the free requests' priority-weighted served count
    wall_seconds: float


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Tells each solution to `on_solution(served, served_weight, waived)`; obeys `stop`."""

    def __init__(self, jm, stop, on_solution):
        super().__init__()
        self.jm, self.stop, self.on_solution = jm, stop, on_solution
        self.last_solution = time.monotonic()
        self.best = None

    def on_solution_callback(self) -> None:
        # Patience counts from the last gain in served weight or waivers, not in travel alone.
        value = self.ObjectiveValue()
        if self.best is None or value - self.best >= self.jm.weights.waived:
            self.best = value
            self.last_solution = time.monotonic()
        if self.stop is not None and self.stop.is_set():
            self.StopSearch()
            return
        if self.on_solution is not None:
            requests = self.jm.instance.requests
            served = [r for r, v in self.jm.vars.items() if self.BooleanValue(v.served)]
            waived = sum(1 for v in self.jm.vars.values() if any(self.Value(x) for x in v.avoided))
            self.on_solution(len(served), sum(requests[r].priority for r in served), waived)


def configure(solver: cp_model.CpSolver, settings, time_limit: float) -> None:
    """Parameters measured on 2 cores: no presolve probing, no SAT presolve, few workers
    (docs/optimizer.md)."""
    params = solver.parameters
    params.max_time_in_seconds = max(0.05, time_limit)
    params.num_workers = settings.workers
    params.cp_model_probing_level = settings.probing_level
    params.random_seed = settings.seed
    params.log_search_progress = settings.log_search
    # The SAT presolve rewrote the objective so that CP-SAT's bound stayed far above proven
    # optima (a 78-request week ran its whole time limit unproven; off, it is proven in 0.3 s).
    params.cp_model_use_sat_presolve = settings.sat_presolve


def run_model(jm, settings, time_limit: float, stop: threading.Event | None = None,
              on_solution=None, patience: float | None = None) -> RunResult:
    """Solve with the model's hint; stop early when `stop` is set or, given `patience`, when
    no better solution came for that many seconds."""
    solver = cp_model.CpSolver()
    configure(solver, settings, time_limit)
    done = threading.Event()
    reporter = _Reporter(jm, stop, on_solution)
    watcher = threading.Thread(target=_watch, args=(solver, reporter, stop, patience, done), daemon=True)
    watcher.start()
    try:
        status = solver.Solve(jm.model, reporter)
    finally:
        done.set()
        watcher.join()
    name = STATUS_NAMES.get(status, str(status))
    plan = jm.placements(solver) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    bound = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bound = jm.weights.served_weight_bound(solver.BestObjectiveBound())
    return RunResult(name, plan, bound, solver.WallTime())


def _watch(solver, reporter, stop, patience, done: threading.Event) -> None:
    # Solution callbacks only run when a solution is found; this stops a search that has none,
    # and one that has stalled (a neighbourhood rarely improves after a quiet second).
    while not done.wait(0.05):
        stalled = (patience is not None and reporter.best is not None
                   and time.monotonic() - reporter.last_solution > patience)
        if stalled or (stop is not None and stop.is_set()):
            solver.StopSearch()
            return
