"""Command-line `optimize` and `validate` for the exchange format (registered by the app's CLI group)."""

from __future__ import annotations

import click

from scheduling.exchange import (ScenarioError, dump_json, load_scenario_file, load_schedule_file,
                                 schedule_to_dict)
from scheduling.replan import diff_schedules
from scheduling.solver import Progress, SolverSettings, solve
from scheduling.validation import validate


def _load(reader, path: str, what: str):
    """Read an input file; an invalid one ends the command with every problem, never a traceback."""
    try:
        return reader(path)
    except ScenarioError as error:
        lines = "\n".join(f"  - {problem}" for problem in error.problems)
        raise click.ClickException(f"invalid {what} {path}:\n{lines}") from None


def _echo_progress(progress: Progress) -> None:
    part = f" part {progress.part}" if progress.part else ""
    click.echo(f"[{progress.elapsed:7.2f}s] {progress.phase:<10} served {progress.served:>5}  "
               f"waived {progress.waived:>5}  objective {progress.objective:>6}  "
               f"bound {progress.bound:>6}{part}", err=True)


@click.command("optimize")
@click.option("--scenario", "scenario_path", required=True, type=click.Path(dir_okay=False),
              help="jointinspect-scenario/2 (or /1) JSON file to plan")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False),
              help="where to write the jointinspect-schedule/1 JSON file")
@click.option("--time-limit", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="seconds of search; the best valid schedule so far is written when it ends")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="CP-SAT search workers (2 suits a 2-core machine)")
@click.option("--previous", "previous_path", type=click.Path(dir_okay=False), default=None,
              help="an earlier schedule to keep as far as possible (re-planning)")
@click.option("--processes", type=click.IntRange(min=0), default=0, show_default=True,
              help="worker processes for the scenario's independent parts (0: in turn in this one)")
def optimize_command(scenario_path: str, out_path: str, time_limit: float, workers: int,
                     previous_path: str | None, processes: int) -> None:
    """Plan joint inland inspections and the border inspections still needed."""
    scenario = _load(load_scenario_file, scenario_path, "scenario")
    previous = _load(load_schedule_file, previous_path, "schedule") if previous_path else None
    settings = SolverSettings(time_limit_s=time_limit, workers=workers, processes=processes)
    schedule = solve(scenario, settings, previous=previous, progress=_echo_progress)
    try:
        dump_json(schedule_to_dict(schedule), out_path)
    except OSError as error:
        raise click.ClickException(f"cannot write {out_path}: {error}") from None
    stats = schedule.stats
    click.echo(f"{stats['status']}: served {stats['served']} of {stats['requests']} requests, "
               f"{stats['border_inspections_avoided']} border inspections avoided, "
               f"objective {stats['objective']} (bound {stats['bound']}) -> {out_path}", err=True)
    if previous is not None:
        diff = diff_schedules(previous, schedule)
        click.echo(f"kept {len(diff.kept)}, moved {len(diff.moved)}, added {len(diff.added)}, "
                   f"dropped {len(diff.dropped)}", err=True)


@click.command("validate")
@click.option("--scenario", "scenario_path", required=True, type=click.Path(dir_okay=False))
@click.option("--schedule", "schedule_path", required=True, type=click.Path(dir_okay=False))
def validate_command(scenario_path: str, schedule_path: str) -> None:
    """List every rule a schedule breaks; exit status 1 when there is any."""
    scenario = _load(load_scenario_file, scenario_path, "scenario")
    schedule = _load(load_schedule_file, schedule_path, "schedule")
    violations = validate(scenario, schedule)
    for violation in violations:
        where = f" ({violation.request})" if violation.request else ""
        click.echo(f"{violation.rule}{where}: {violation.message}")
    if violations:
        click.echo(f"{len(violations)} violation(s)", err=True)
        raise SystemExit(1)
    click.echo("valid: the schedule obeys every rule")
