"""Optimizer benchmark: S/M/L/XL generated weeks, each solved in its own process, against targets."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from bench.scenarios import SIZES, generate

# Time limits sized so each run ends inside its target ("done within"), leaving room to finish.
TIME_LIMITS = {"S": 10.0, "M": 30.0, "L": 50.0, "XL": 100.0}
TARGETS = {"L": (10.0, 60.0), "XL": (30.0, 120.0)}  # (valid within, done within) seconds
MEMORY_LIMIT_MB = 4096
USAGE = """examples:
  python -m bench.optimizer                 # all sizes with their default time limits
  python -m bench.optimizer M L --seed 2    # chosen sizes
  python -m bench.optimizer XL --time-limit 60 --json results.json"""


def waivable_count(instance) -> int:
    """Requests that on their own could be served with the border inspection waived."""
    count = 0
    for windows in instance.windows.values():
        dur = windows.request.inspection_minutes
        if windows.waive_from is not None and any(
                hi + dur >= windows.waive_from for ranges in windows.inland.values() for _, hi in ranges):
            count += 1
    return count


def run_size(size: str, seed: int, time_limit: float, workers: int, tuning: dict) -> dict:
    """Solve one generated week in this process and measure it (the child's side)."""
    from scheduling.exchange import load_scenario
    from scheduling.instance import Instance
    from scheduling.solver import SolverSettings, solve
    from scheduling.validation import validate

    began = time.monotonic()
    scenario = load_scenario(generate(SIZES[size], seed=seed))
    loaded = time.monotonic() - began
    instance = Instance(scenario)
    last = [0.0]

    def show(progress) -> None:
        if progress.phase == "heuristic" or progress.elapsed - last[0] >= 5:
            last[0] = progress.elapsed
            print(f"  {size:>2} [{progress.elapsed:6.1f}s] {progress.phase:<9} served {progress.served:>5} "
                  f"waived {progress.waived:>4} objective {progress.objective:>6} bound {progress.bound:>6}",
                  file=sys.stderr, flush=True)

    settings = SolverSettings(time_limit_s=time_limit, workers=workers, **tuning)
    schedule = solve(scenario, settings, progress=show)
    total = time.monotonic() - began
    stats = schedule.stats
    return {
        "size": size, "requests": len(scenario.requests), "seed": seed, "time_limit_s": time_limit,
        "load_s": round(loaded, 2), "time_to_first_s": stats["time_to_first_s"],
        "first_valid_s": round(loaded + stats["time_to_first_s"], 2),
        "solve_s": stats["wall_seconds"], "total_s": round(total, 2),
        "heuristic": stats["heuristic_objective"], "greedy": stats["greedy_objective"],
        "final": stats["objective"],
        "upper_bound": instance.upper_bound(), "served": stats["served"],
        "waived": stats["border_inspections_avoided"], "waivable": waivable_count(instance),
        "violations": len(validate(scenario, schedule)),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "status": stats["status"], "bound": stats["bound"], "travel_minutes": stats["travel_minutes"],
        "utilisation": stats["utilisation"],
    }


def in_subprocess(size: str, seed: int, time_limit: float, workers: int, tuning: list[str]) -> dict:
    """Run one size in a fresh interpreter so its peak memory is its own."""
    command = [sys.executable, "-m", "bench.optimizer", "--child", size, "--seed", str(seed),
               "--time-limit", str(time_limit), "--workers", str(workers), *tuning]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def verdicts(r: dict) -> list[str]:
    """Which targets a result meets."""
    never_below = r["final"] >= r["greedy"] >= r["heuristic"]
    notes = ["never below heuristic: " + ("yes" if never_below else "NO")]
    if r["size"] in TARGETS:
        valid_within, done_within = TARGETS[r["size"]]
        valid_in_time = r["first_valid_s"] <= valid_within
        notes.append(f"valid <= {valid_within:.0f}s: " + ("yes" if valid_in_time else "NO"))
        notes.append(f"done <= {done_within:.0f}s: " + ("yes" if r["total_s"] <= done_within else "NO"))
    if r["size"] == "XL":
        notes.append("memory < 4 GB: " + ("yes" if r["peak_mb"] < MEMORY_LIMIT_MB else "NO"))
    if r["size"] == "M":
        notes.append("half the gap closed: " + ("yes" if _gap_closed(r) >= 0.5 else "NO")
                     + f" ({_gap_closed(r):.0%} from the priority greedy, "
                     f"{_gap_closed(r, 'greedy'):.0%} from the best greedy)")
        notes.append(">= 90% waived: " + ("yes" if r["waived"] >= 0.9 * r["waivable"] else "NO"))
    return notes


def _gap_closed(r: dict, start: str = "heuristic") -> float:
    """Share of the gap between a greedy plan and the per-request upper bound that was closed."""
    gap = r["upper_bound"] - r[start]
    return 1.0 if gap <= 0 else (r["final"] - r[start]) / gap


def table(results: list[dict]) -> str:
    lines = ["size  reqs  first-valid  total   heuristic  greedy  final  upper  gap-closed (best greedy)"
             "  waived/waivable  peak-MB  valid  status",
             "----  ----  -----------  ------  ---------  ------  -----  -----  ------------------------"
             "  ---------------  -------  -----  ------"]
    for r in results:
        lines.append(
            f"{r['size']:<4}  {r['requests']:>4}  {r['first_valid_s']:>10.2f}s  {r['total_s']:>5.1f}s  "
            f"{r['heuristic']:>9}  {r['greedy']:>6}  {r['final']:>5}  {r['upper_bound']:>5}  "
            f"{_gap_closed(r):>10.0%} ({_gap_closed(r, 'greedy'):>4.0%})        "
            f"{r['waived']:>6}/{r['waivable']:<6} ({r['waived'] / max(1, r['waivable']):>4.0%})  "
            f"{r['peak_mb']:>7.0f}  {'yes' if r['violations'] == 0 else 'NO ':<5}  {r['status']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, epilog=USAGE,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", metavar="SIZE", help="S, M, L or XL (default: all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per size (default per size)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", default=None, help="also write the results to this file")
    parser.add_argument("--probing-level", type=int, default=None, help="CP-SAT cp_model_probing_level")
    parser.add_argument("--lns-threshold", type=int, default=None,
                        help="solve one model up to this many requests, LNS above")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = [size for size in args.sizes if size not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    args.sizes = args.sizes or list(SIZES)
    tuning = {key: value for key, value in (("probing_level", args.probing_level),
                                            ("lns_threshold", args.lns_threshold)) if value is not None}
    if args.child:
        print(json.dumps(run_size(args.child, args.seed, args.time_limit or TIME_LIMITS[args.child],
                                  args.workers, tuning)))
        return 0
    passed = [f"--{key.replace('_', '-')}={value}" for key, value in tuning.items()]
    results = []
    for size in args.sizes:
        print(f"{size}: {SIZES[size]} requests, seed {args.seed}", file=sys.stderr, flush=True)
        results.append(in_subprocess(size, args.seed, args.time_limit or TIME_LIMITS[size], args.workers,
                                     passed))
        print("  " + "; ".join(verdicts(results[-1])), file=sys.stderr, flush=True)
    print(table(results))
    for r in results:
        print(f"{r['size']}: " + "; ".join(verdicts(r)))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
