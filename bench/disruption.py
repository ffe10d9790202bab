"""Disruption benchmark: a site closes or an inspector goes off mid-week; how fast the re-plan, how much kept.

Usage: python -m bench.disruption [SIZE] [--seed N] [--plan-time S] [--replan-time S]
(SIZE is XL by default: the 4,000-request week of issue 16's target.)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import timedelta

from bench.optimizer import REQUESTS, week

TARGET_SECONDS, TARGET_KEPT = 10.0, 0.95
MIDWEEK = timedelta(days=2, hours=12)  # Wednesday noon: the disruption strikes with half the week planned


def disruptions(scenario, previous):
    """(what, disrupted scenario) for the busiest inland site closing and the busiest joint
    inspector going off, both from the moment of the disruption on."""
    from scheduling.domain import JOINT_INLAND
    from scheduling.replan import inspector_off, site_closed

    inland = [a for a in previous.assignments if a.type == JOINT_INLAND]
    site = Counter(a.site for a in inland).most_common(1)[0][0]
    inspector = Counter(i for a in inland for i in a.inspectors).most_common(1)[0][0]
    return [(f"site {site} closed", site_closed(scenario, site)),
            (f"inspector {inspector} off", inspector_off(scenario, inspector))]


def measure(size: str, seed: int, plan_time: float, replan_time: float) -> list[dict]:
    from scheduling.exchange import load_scenario
    from scheduling.replan import from_moment, replan, touched
    from scheduling.solver import SolverSettings, solve
    from scheduling.validation import validate

    scenario = load_scenario(week(size, seed))
    print(f"{size}: planning {len(scenario.requests)} requests for {plan_time:.0f} s", file=sys.stderr, flush=True)
    plan = solve(scenario, SolverSettings(time_limit_s=plan_time))
    moment = scenario.horizon.start + MIDWEEK
    future, previous = from_moment(scenario, plan, moment)
    results = []
    for what, disrupted in disruptions(future, previous):
        began = time.monotonic()
        result = replan(disrupted, previous, SolverSettings(time_limit_s=replan_time))
        seconds = time.monotonic() - began
        hit = touched(disrupted, previous)
        untouched = {a.request for a in previous.assignments} - hit
        kept = len(untouched & set(result.diff.kept))
        results.append({"disruption": what, "seconds": round(seconds, 2), "planned": len(previous.assignments),
                        "touched": len(hit), "untouched": len(untouched), "untouched_kept": kept,
                        "kept_share": kept / max(1, len(untouched)), "kept": len(result.diff.kept),
                        "moved": len(result.diff.moved), "added": len(result.diff.added),
                        "dropped": len(result.diff.dropped), "status": result.schedule.stats["status"],
                        "valid": not validate(disrupted, result.schedule)})
        print(f"  {what}: re-planned in {seconds:.2f} s", file=sys.stderr, flush=True)
    return results


def report(size: str, results: list[dict]) -> str:
    lines = [f"{size} week, disruption on Wednesday at noon (the requests not yet started are re-planned)",
             "disruption                        seconds  touched  untouched kept     moved  added  dropped  valid",
             "--------------------------------  -------  -------  -----------------  -----  -----  -------  -----"]
    for r in results:
        lines.append(f"{r['disruption']:<32}  {r['seconds']:>7.2f}  {r['touched']:>7}  "
                     f"{r['untouched_kept']:>5}/{r['untouched']:<5} {r['kept_share']:>6.1%}  {r['moved']:>5}  "
                     f"{r['added']:>5}  {r['dropped']:>7}  {'yes' if r['valid'] else 'NO'}")
    for r in results:
        lines.append(f"{r['disruption']}: re-planned within {TARGET_SECONDS:.0f} s: "
                     + ("yes" if r["seconds"] <= TARGET_SECONDS else "NO")
                     + f"; >= {TARGET_KEPT:.0%} of untouched assignments kept: "
                     + ("yes" if r["kept_share"] >= TARGET_KEPT else "NO"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", nargs="?", default="XL", choices=list(REQUESTS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plan-time", type=float, default=30.0, help="seconds for the plan before the disruption")
    parser.add_argument("--replan-time", type=float, default=6.0, help="the re-plan's time limit")
    args = parser.parse_args(argv)
    print(report(args.size, measure(args.size, args.seed, args.plan_time, args.replan_time)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
