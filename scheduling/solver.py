"""The scheduling entry point: a valid schedule, its independent parts solved in turn or at once."""

from __future__ import annotations

import threading
import time
from typing import Callable

from scheduling import parallel, search
from scheduling.domain import Assignment, Scenario, Schedule
from scheduling.search import placements_of, pinned_placements
from scheduling.settings import Progress, SolverSettings
from scheduling.split import components, merge

__all__ = ["Progress", "SolverSettings", "solve", "solve_part", "placements_of", "pinned_placements"]


def solve(scenario: Scenario, settings: SolverSettings = SolverSettings(),
          previous: Schedule | None = None, pinned: tuple[Assignment, ...] = (),
          progress: Callable[[Progress], None] | None = None,
          stop: threading.Event | None = None) -> Schedule:
    """The best valid schedule found within the time limit, until `stop` is set, or as soon as
    it is proven optimal (stats["status"] "OPTIMAL").

    Pinned assignments (and those marked pinned in `previous`) stay exactly as they are; the
    other assignments of `previous` are kept unless moving them serves more shipments. Parts
    that share no inspector, bay or port (scheduling.split) are solved apart, in turn here or
    in `settings.processes` worker processes, and merged.
    """
    started = time.monotonic()
    parts = components(scenario) if settings.split else [scenario]
    if len(parts) == 1:
        return solve_part(scenario, settings, previous, pinned, progress, stop, started)
    board = _Board(parts, progress, started)
    if settings.processes >= 1:
        schedules = parallel.solve_parts(parts, settings, previous, pinned, board.report, stop)
    else:
        schedules = _in_turn(parts, settings, previous, pinned, board, stop)
    merged = merge(scenario, schedules)
    merged.stats["wall_seconds"] = round(board.elapsed(), 3)
    merged.stats["time_to_first_s"] = round(board.first_plan or merged.stats["time_to_first_s"], 3)
    return merged


def solve_part(scenario: Scenario, settings: SolverSettings = SolverSettings(),
               previous: Schedule | None = None, pinned: tuple[Assignment, ...] = (),
               progress: Callable[[Progress], None] | None = None,
               stop: threading.Event | None = None, started: float | None = None) -> Schedule:
    """One scenario searched as a whole (what a queue worker runs for each part of a split run);
    the time limit counts from `started` (time.monotonic()), by default from the call."""
    run = search.start(scenario, settings, previous, pinned, progress, stop, started=started or time.monotonic())
    search.improve(run)
    return search.finish(run)


def _in_turn(parts, settings, previous, pinned, board, stop) -> list[Schedule]:
    """Every part's greedy plan first, so that a valid plan of the whole comes early; then the
    time left, shared by what each part may still gain."""
    runs = [search.start(part, settings, previous, pinned, board.reporter(k), stop, started=board.started)
            for k, part in enumerate(parts)]
    deadline = board.started + settings.time_limit_s
    waiting = sorted((run for run in runs if not run.done), key=_gain, reverse=True)
    while waiting and not (stop is not None and stop.is_set()):
        run, left = waiting.pop(0), deadline - time.monotonic()
        share = left * _gain(run) / sum(_gain(r) for r in (run, *waiting))
        run.deadline = time.monotonic() + share
        search.improve(run)
    return [search.finish(run) for run in runs]


def _gain(run) -> float:
    """What a part may still gain: served weight below its bound, then border inspections."""
    current = run.score(run.plan)
    return 1 + max(0, run.bound - current.served_weight) + 0.1 * max(0, run.bounds.avoided - current.waived)


class _Board:
    """The progress of a split run: each part's latest report, and their sums."""

    def __init__(self, parts, progress, started: float):
        self.progress, self.count = progress, len(parts)  # a part's first report ends its "waiting"
        self.latest = [Progress(0.0, "waiting", 0, 0, 0, 0) for _ in parts]
        self.started = started
        self.first_plan: float | None = None
        self._lock = threading.Lock()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def reporter(self, k: int) -> Callable[[Progress], None]:
        return lambda progress: self.report(k, progress)

    def report(self, k: int, progress: Progress) -> None:
        with self._lock:
            self.latest[k] = progress
            if self.first_plan is None and all(p.phase != "waiting" for p in self.latest):
                self.first_plan = self.elapsed()  # every part has a plan: the whole has one
            if self.progress is None:
                return
            parts = tuple(self.latest)
            self.progress(Progress(
                round(self.elapsed(), 2), progress.phase, sum(p.served for p in parts),
                sum(p.waived for p in parts), sum(p.objective for p in parts), sum(p.bound for p in parts),
                part=f"{k + 1}/{self.count}", parts=parts))
