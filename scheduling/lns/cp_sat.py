"""One LNS step: re-optimise a neighbourhood with CP-SAT, every other placement fixed."""

from __future__ import annotations

import os
import sys
import time

from scheduling.bookings import bookings_of
from scheduling.model import JointModel, run_model

MIN_SIZE, MAX_SIZE = 20, 250
DEBUG = bool(os.environ.get("JOINTINSPECT_LNS_DEBUG"))


class CpSatNeighbourhoods:
    """Re-optimises one group of requests at a time with CP-SAT, everything else fixed."""

    def __init__(self, run, cache, neighbourhoods, repair):
        self.run, self.cache, self.neighbourhoods, self.repair = run, cache, neighbourhoods, repair
        self.size = run.settings.neighbourhood_size
        self.rounds = 0
        self.build_seconds = 1.0  # how long the last model took to build (a guess until one is built)

    def round(self) -> None:
        run, settings = self.run, self.run.settings
        self.rounds += 1
        began = time.monotonic()
        group = self.neighbourhoods.around(self.neighbourhoods.seed_request(run.plan), run.plan, self.size)
        context = bookings_of(run.instance, run.plan, skip=set(group))
        jm = JointModel(run.instance, self.cache, group, context, run.keep, run.kept_floor - run.kept_outside(group))
        if any(r in run.plan and r not in jm.vars for r in group):
            return  # a placed request the model cannot express would be lost: skip this group
        jm.hint(run.plan)
        built = time.monotonic()
        self.build_seconds = built - began
        result = run_model(jm, settings, min(settings.neighbourhood_time_s, run.time_left()), run.stop,
                           patience=settings.neighbourhood_patience_s)
        if DEBUG:
            print(f"lns {self.rounds}: size {len(group)} build {built - began:.2f}s "
                  f"solve {result.wall_seconds:.2f}s {result.status}", file=sys.stderr)
        if result.plan is None:
            self.size = max(MIN_SIZE, int(self.size * 0.8))
            return
        merged = {**{r: p for r, p in run.plan.items() if r not in jm.vars}, **result.plan}
        if run.score(merged).key() > run.score(run.plan).key():
            run.offer(merged, f"lns {self.rounds}")
            self.repair.reset()
        # Neighbourhoods solved to optimality can grow; those without any solution shrink.
        if result.status == "OPTIMAL":
            self.size = min(MAX_SIZE, int(self.size * 1.1) + 1)
