"""The LNS loop: alternate ruin-and-recreate bursts and CP-SAT neighbourhoods while time is left."""

from __future__ import annotations

import random
import time

from scheduling.lns.cp_sat import CpSatNeighbourhoods
from scheduling.lns.neighbourhoods import Neighbourhoods
from scheduling.lns.repair import Repair


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
        if name == "cp-sat" and "repair" in methods and run.time_left() < 2 * cp_sat.build_seconds + 0.5:
            name = "repair"  # building a model cannot be stopped: too little time left to start one
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
        p.border_start is None or (instance.windows[r].waive_from is None and not instance.windows[r].north)
        for r, p in plan.items())
