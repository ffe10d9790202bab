"""Parts of one run solved at once, each in its own process, with their progress told as it comes."""

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
    """Each part's schedule, solved `settings.processes` at a time until the run's deadline.

    `on_progress(k, Progress)` is called in this process for every report of part k. Setting
    `stop` stops every part within about a second; each then returns its best plan.
    """
    context = multiprocessing.get_context("spawn")  # a clean interpreter: the caller may run threads
    reports, halt = context.Queue(), context.Event()
    deadline = time.time() + settings.time_limit_s
    relay = threading.Thread(target=_relay, args=(reports, on_progress), daemon=True)
    relay.start()
    watcher = threading.Thread(target=_watch, args=(stop, halt), daemon=True)
    watcher.start()
    try:
        with ProcessPoolExecutor(settings.processes, mp_context=context, initializer=_init,
                                 initargs=(reports, halt)) as pool:
            futures = [pool.submit(_solve_part, k, part, settings, deadline, previous, pinned)
                       for k, part in enumerate(parts)]
            return [future.result() for future in futures]
    finally:
        halt.set()
        reports.put(None)
        relay.join()


def _init(reports, halt) -> None:
    _channel["reports"], _channel["halt"] = reports, halt


def _solve_part(k: int, part: Scenario, settings: SolverSettings, deadline: float, previous, pinned) -> Schedule:
    """In a worker: the part with the time left until the run's deadline."""
    reports, halt = _channel["reports"], _channel["halt"]
    own = replace(settings, time_limit_s=max(0.5, deadline - time.time()), processes=1, split=False)
    run = search.start(part, own, previous, pinned, progress=lambda p: reports.put((k, p)), stop=halt)
    search.improve(run)
    return search.finish(run)


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

