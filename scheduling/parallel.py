"""Parts of one run solved in worker processes: every part's first plan, then the time left shared."""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from scheduling import search
from scheduling.domain import Scenario, Schedule
from scheduling.settings import SolverSettings

_channel: dict = {}  # in each worker process: the progress queue and the stop event


def solve_parts(parts: list[Scenario], settings: SolverSettings, previous, pinned, on_progress,
                stop: threading.Event | None) -> list[Schedule]:
    """Each part's schedule, in `settings.processes` worker processes, by the run's deadline.

    First every part's greedy plan (so the whole has a valid plan early), then each part is
    improved for a share of the time left by what it may still gain, as many at once as there
    are workers. `on_progress(k, Progress)` is called here for every report of part k; setting
    `stop` ends every part within about a second with its best plan.
    """
    context = multiprocessing.get_context("spawn")  # a clean interpreter: the caller may run threads
    reports, halt = context.Queue(), context.Event()
    deadline = time.monotonic() + settings.time_limit_s
    relay = threading.Thread(target=_relay, args=(reports, on_progress), daemon=True)
    relay.start()
    watcher = threading.Thread(target=_watch, args=(stop, halt), daemon=True)
    watcher.start()
    workers = min(settings.processes, len(parts))
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(reports, halt)) as pool:
            firsts = list(pool.map(_first, range(len(parts)), parts, [settings] * len(parts),
                                   [previous] * len(parts), [pinned] * len(parts)))
            limits = time_shares(firsts, deadline - time.monotonic(), workers)
            # the largest shares first; a part that starts late still ends by the run's deadline
            order = sorted(range(len(parts)), key=lambda k: -limits[k])
            futures = {k: pool.submit(_improve, k, parts[k], replace(settings, time_limit_s=limits[k]), deadline,
                                      firsts[k], previous, pinned) for k in order}
            return [futures[k].result() for k in range(len(parts))]
    finally:
        halt.set()
        reports.put(None)
        relay.join()


def time_shares(firsts: list[Schedule], left: float, workers: int) -> list[float]:
    """Seconds of improvement per part: `workers` times the time left, shared by what each may
    still gain (served weight below its bound, then border inspections), none beyond the time left."""
    gains = [0.0 if s.stats.get("done") else 1 + s.stats["upper_bound"] - s.stats["objective"]
             + 0.1 * (s.stats["avoidable"] - s.stats["border_inspections_avoided"]) for s in firsts]
    total = sum(gains) or 1.0
    return [max(0.5, min(left, left * workers * gain / total)) for gain in gains]


def _init(reports, halt) -> None:
    _channel["reports"], _channel["halt"] = reports, halt


def _run_settings(settings: SolverSettings) -> SolverSettings:
    return replace(settings, processes=0, split=False)


def _first(k: int, part: Scenario, settings: SolverSettings, previous, pinned) -> Schedule:
    """In a worker: the part's greedy plan."""
    run = search.start(part, _run_settings(settings), previous, pinned, progress=_reporter(k),
                       stop=_channel["halt"])
    return search.first_plan(run)


def _improve(k: int, part: Scenario, settings: SolverSettings, deadline: float, first: Schedule,
             previous, pinned) -> Schedule:
    """In a worker: the part improved from its first plan for its share of the time, and never
    past the run's deadline (time.monotonic is the machine's clock, the same in every process)."""
    limit = max(0.5, min(settings.time_limit_s, deadline - time.monotonic()))
    run = search.start(part, _run_settings(replace(settings, time_limit_s=limit)), previous, pinned,
                       progress=_reporter(k), stop=_channel["halt"], initial=first)
    search.improve(run)
    return search.finish(run)


def _reporter(k: int):
    reports = _channel["reports"]
    return lambda progress: reports.put((k, progress))


def _relay(reports, on_progress) -> None:
    while True:
        item = reports.get()
        if item is None:
            return
        if on_progress is not None:
            on_progress(*item)


def _watch(stop: threading.Event | None, halt) -> None:
    while stop is not None and not halt.is_set():
        if stop.wait(0.2):
            halt.set()
            return
