"""Large-neighbourhood search: re-optimise ~80 nearby requests at a time, everything else fixed."""

from __future__ import annotations

import bisect
import os
import random
import sys
import time
from collections import defaultdict

from scheduling.bookings import bookings_of
from scheduling.instance import DAY
from scheduling.lns.repair import Repair
from scheduling.model.joint_model import JointModel
from scheduling.model.run import run_model

MIN_SIZE, MAX_SIZE = 20, 250
DEBUG = bool(os.environ.get("JOINTINSPECT_LNS_DEBUG"))


class Neighbourhoods:
    """Chooses groups of requests that compete for the same sites, ports and hours."""

    def __init__(self, instance, free: list[str], seed: int):
        self.instance = instance
        self.free = free
        self.rng = random.Random(seed)
        self.by_place = defaultdict(list)  # site or port -> free requests that may use it
        self._spans: dict = {}
        self._by_start: dict = {}
        for request_id in free:
            windows = instance.windows[request_id]
            for place in (*windows.inland, windows.request.port):
                self.by_place[place].append(request_id)

    def span(self, request_id: str) -> tuple[int, int]:
        """From the first inland start to the last inland or border start: the hours in which
        the request competes for inspectors, bays and CBP slots."""
        if request_id not in self._spans:
            windows = self.instance.windows[request_id]
            starts = [r for ranges in windows.inland.values() for r in ranges] + list(windows.border)
            self._spans[request_id] = (min(lo for lo, _ in starts), max(hi for _, hi in starts))
        return self._spans[request_id]

    def _overlapping(self, place: str, lo: int, hi: int) -> list[str]:
        """Requests that may use `place` and whose span meets [lo, hi]."""
        if place not in self._by_start:
            entries = sorted((self.span(r)[0], r) for r in self.by_place[place])
            self._by_start[place] = ([start for start, _ in entries], [r for _, r in entries])
        starts, requests = self._by_start[place]
        return [r for r in requests[:bisect.bisect_right(starts, hi)] if self.span(r)[1] >= lo]

    def seed_request(self, plan: dict) -> str:
        """An unserved request most of the time (weighted by priority), else one whose border
        inspection might still be waived, else any served one."""
        unserved = [r for r in self.free if r not in plan]
        roll = self.rng.random()
        if unserved and roll < 0.6:
            weights = [self.instance.weight(r) for r in unserved]
            return self.rng.choices(unserved, weights)[0]
        unwaived = [r for r, p in plan.items() if p.border_start is not None and not p.pinned
                    and self.instance.windows[r].waive_from is not None]
        if unwaived and roll < 0.85:
            return self.rng.choice(unwaived)
        return self.rng.choice(self.free)

    def around(self, seed: str, plan: dict, size: int) -> list[str]:
        """`size` requests sharing a site or port with the seed, nearest in time first."""
        lo, hi = self.span(seed)
        centre = (lo + hi) / 2
        windows = self.instance.windows[seed]
        near = set()
        for place in (*windows.inland, windows.request.port):
            near.update(self._overlapping(place, lo - DAY, hi + DAY))
        scored = []
        for request_id in near:
            r_lo, r_hi = self.span(request_id)
            gap = max(0, r_lo - hi, lo - r_hi)
            scored.append((gap + abs((r_lo + r_hi) / 2 - centre) / 4 + self.rng.random() * 60,
                           request_id))
        scored.sort()
        # Unserved requests only fit when served ones around them move: most of the group
        # is served requests competing for the same sites and hours.
        chosen, unserved = [seed], 0
        for _, request_id in scored:
            if len(chosen) >= size:
                break
            if request_id == seed or (request_id not in plan and unserved >= size // 4):
                continue
            unserved += request_id not in plan
            chosen.append(request_id)
        return chosen


class CpSatNeighbourhoods:
    """Re-optimises one group of requests at a time with CP-SAT, everything else fixed."""

    def __init__(self, run, cache, neighbourhoods, repair):
        self.run, self.cache, self.neighbourhoods, self.repair = run, cache, neighbourhoods, repair
        self.size = run.settings.neighbourhood_size
        self.rounds = 0

    def round(self) -> None:
        run, settings = self.run, self.run.settings
        self.rounds += 1
        began = time.monotonic()
        group = self.neighbourhoods.around(self.neighbourhoods.seed_request(run.plan), run.plan, self.size)
        context = bookings_of(run.instance, run.plan, skip=set(group))
        jm = JointModel(run.instance, self.cache, group, context, run.keep)
        if any(r in run.plan and r not in jm.vars for r in group):
            return  # a placed request the model cannot express would be lost: skip this group
        jm.hint(run.plan)
        built = time.monotonic()
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


def improve(run, cache, free: list[str]) -> None:
    """Alternate ruin-and-recreate bursts and CP-SAT neighbourhoods until the time limit,
    giving more turns to whichever has recently gained more served weight per second."""
    settings = run.settings
    neighbourhoods = Neighbourhoods(run.instance, free, settings.seed)
    repair = Repair(run, neighbourhoods, settings.seed)
    cp_sat = CpSatNeighbourhoods(run, cache, neighbourhoods, repair)
    methods = {"repair": lambda: repair.burst(settings.repair_burst_s, settings.repair_size),
               "cp-sat": cp_sat.round}
    methods = {k: m for k, m in methods.items()
               if (settings.repair_burst_s if k == "repair" else settings.neighbourhood_time_s) > 0}
    rates = {name: 1.0 for name in methods}  # optimistic: each gets tried early on
    rng = random.Random(settings.seed)
    while methods and run.time_left() > 0.3 and not _nothing_left(run, free):
        best = max(rates, key=rates.get)
        # A quarter of the turns go to the other method, so that a change of pace is noticed.
        name = best if len(rates) == 1 or rng.random() < 0.75 else rng.choice([n for n in rates if n != best])
        before, began = run.score(run.plan), time.monotonic()
        methods[name]()
        after = run.score(run.plan)
        gain = after.served_weight - before.served_weight + 0.1 * (after.waived - before.waived)
        rates[name] = 0.6 * rates[name] + 0.4 * gain / max(0.1, time.monotonic() - began)
    run.lns_rounds = cp_sat.rounds


def _nothing_left(run, free: list[str]) -> bool:
    """Every servable request is served and every one that could be waived is."""
    plan, instance = run.plan, run.instance
    return all(r in plan for r in free) and all(
        p.border_start is None or instance.windows[r].waive_from is None for r, p in plan.items())
