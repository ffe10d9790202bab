"""How many verification inspections does recognition need to notice a rise in pests, and can the intervals
be trusted? A year of the bench's national loads, with a known true infestation rate per origin.

Usage: python -m bench.verification [--trials 400] [--seed 1]

1. Loads: the national bench week (bench/scenarios.py, about 20,000 loads) repeated for 52 weeks; each
   load's origin state and commodity as generated, each counted as waived (an upper bound on what the
   sampling sees: a load whose border inspection is required is inspected anyway).
2. Truth: every origin state's loads are infested 0.5% of the time, except one origin (the largest), whose
   rate rises from 0.5% to 2% at the start of month 7.
3. Sampling: each waived load is drawn for a verification inspection with a fixed rate (as the rules'
   base rate; risk factors only raise it), and a verification inspection finds the infestation when
   there is one. Detection: the first month whose verified interception rate for that origin has a 95%
   Wilson interval whose lower bound is above 0.5% (the rate recognition was granted on).
4. Coverage: over many simulated months and origins, the share of 95% Wilson intervals that contain the
   true rate.
Prints one table; docs/benchmarks.md keeps the figures.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scenarios import generate  # noqa: E402
from mr_agreements.safety import wilson  # noqa: E402

BASE, RAISED = 0.005, 0.02
WEEKS, RISE_MONTH = 52, 7
RATES = (0.01, 0.02, 0.05, 0.10, 0.20)


def weekly_loads_by_origin(seed: int) -> Counter:
    """Loads per (origin state, commodity) in one national week of the bench's generator."""
    scenario = generate(20_000, seed=seed, national=True)
    return Counter((r["origin_state"], r["commodity"]) for r in scenario["requests"])


def month_of(week: int) -> int:
    return min(12, week * 12 // WEEKS + 1)


def detection_month(rng: random.Random, loads_per_week: int, rate: float) -> int | None:
    """The first month from the rise whose verified rate's Wilson lower bound exceeds the base rate."""
    found = inspected = 0
    for week in range(WEEKS):
        month = month_of(week)
        if month < RISE_MONTH:
            continue
        truth = RAISED
        verified = sum(rng.random() < rate for _ in range(loads_per_week))
        found += sum(rng.random() < truth for _ in range(verified))
        inspected += verified
        last_week_of_month = month_of(week + 1) != month or week == WEEKS - 1
        if last_week_of_month:
            interval = wilson(found, inspected)
            if interval.low is not None and interval.low > BASE:
                return month - RISE_MONTH + 1
            found = inspected = 0
    return None


def chance_of_noticing(n: int, truth: float) -> float:
    """Exactly: the chance that n verifications in a month give a Wilson lower bound above the base rate."""
    needed = next((k for k in range(n + 1) if wilson(k, n).low > BASE), None)
    if needed is None:
        return 0.0
    log = [math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(truth)
           + (n - k) * math.log1p(-truth) for k in range(needed, n + 1)]
    return min(1.0, sum(math.exp(value) for value in log))


def verifications_needed(power: float) -> int:
    return next(n for n in range(10, 20_000, 5) if chance_of_noticing(n, RAISED) >= power)


def coverage(rng: random.Random, loads_per_month: int, rate: float, truth: float, trials: int) -> float:
    covered = 0
    for _ in range(trials):
        n = sum(rng.random() < rate for _ in range(loads_per_month))
        events = sum(rng.random() < truth for _ in range(n))
        interval = wilson(events, n)
        covered += interval.low is not None and interval.low <= truth <= interval.high
    return covered / trials


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=400, help="simulated years per sampling rate")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    began = time.monotonic()
    loads = weekly_loads_by_origin(args.seed)
    (origin, commodity), weekly = loads.most_common(1)[0]
    print(f"national week: {sum(loads.values()):,} loads; largest origin {origin} {commodity}: {weekly:,} loads a week "
          f"(~{weekly * 52 // 12:,} a month)", file=sys.stderr)
    rng = random.Random(args.seed)
    print(f"verifications a month to notice the rise within the month: "
          f"{verifications_needed(0.8):,} for an 80% chance, {verifications_needed(0.95):,} for 95%; "
          f"false alarm a month at the base rate with 600 verifications: {chance_of_noticing(600, BASE):.1%}")
    print("| sampling rate | verifications a month | noticed in month 1 | within 2 months | never (of the 6) "
          "| intervals covering 2% | covering 0.5% |")
    print("|---|---|---|---|---|---|---|")
    for rate in RATES:
        months = [detection_month(rng, weekly, rate) for _ in range(args.trials)]
        first = sum(m == 1 for m in months) / args.trials
        two = sum(m is not None and m <= 2 for m in months) / args.trials
        never = sum(m is None for m in months) / args.trials
        covered = coverage(rng, weekly * 52 // 12, rate, RAISED, args.trials)
        covered_base = coverage(rng, weekly * 52 // 12, rate, BASE, args.trials)
        print(f"| {rate:.0%} | {rate * weekly * 52 / 12:,.0f} | {first:.0%} | {two:.0%} | {never:.0%} "
              f"| {covered:.1%} | {covered_base:.1%} |", flush=True)
        print(f"  {rate:.0%} done after {time.monotonic() - began:.0f} s", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
