"""`jointinspect scenario export|import`: the database as an exchange-format scenario, and back."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from scheduling.exchange import ScenarioError, dump_json, load_scenario_file, scenario_to_dict

from ..extensions import db
from ..services.errors import WorkflowError
from ..services.planning.scenario import build_scenario, for_export
from ..services.planning.scenario_import import import_scenario

scenario_group = AppGroup("scenario", help="Exchange scenarios (jointinspect-scenario/2; version 1 still read) with other systems.")


@scenario_group.command("export")
@click.option("--start", "start_day", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First day (YYYY-MM-DD).")
@click.option("--days", type=click.IntRange(1, 31), default=7, show_default=True)
@click.option("--zone", default="America/Mexico_City", show_default=True, help="Time zone of the days.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), required=True)
def export_command(start_day: datetime, days: int, zone: str, out_path: str) -> None:
    """Write open sites, inspectors, exporters, rules and open requests for a horizon."""
    start = datetime.combine(start_day.date(), time(0), ZoneInfo(zone))
    scenario, _ids = build_scenario(db.session, start, start + timedelta(days=days))
    dump_json(scenario_to_dict(for_export(scenario)), out_path)
    click.echo(f"{len(scenario.requests)} requests, {len(scenario.inspectors)} inspectors, "
               f"{len(scenario.sites)} sites -> {out_path}")


@scenario_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path: str) -> None:
    """Validate a scenario file and load it; nothing is imported when anything is wrong."""
    try:
        scenario = load_scenario_file(path)
    except ScenarioError as error:
        raise click.ClickException(f"{path} is not a valid scenario:\n{error}") from None
    try:
        report = import_scenario(db.session, None, scenario)
        db.session.commit()
    except (WorkflowError, IntegrityError) as error:
        db.session.rollback()
        raise click.ClickException(f"nothing imported: {getattr(error, 'message', error)}") from None
    for kind in sorted(set(report.created) | set(report.updated)):
        click.echo(f"{kind}: {report.created.get(kind, 0)} created, {report.updated.get(kind, 0)} updated")
