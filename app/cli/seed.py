"""`jointinspect seed` and `jointinspect demo`: load the seed data, or run a ready-to-try demo."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from ..extensions import db
from ..migrate import upgrade
from ..services.seeding import SeedError, SeedReport, seed


@click.command("seed")
@click.option("--demo/--no-demo", default=False, show_default=True,
              help="Also create the demo accounts and demo shipments (never in production).")
@with_appcontext
def seed_command(demo: bool) -> None:
    """Load the seed data (sites, commodities, agreement, exporters, inspectors); safe to run again."""
    report = _seed(demo)
    click.echo(report.summary())
    click.echo("Seed data loaded." if report.changed else "Seed data already loaded; nothing changed.")
    if demo:
        _echo_accounts(report)


@click.command("demo")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True)
@with_appcontext
def demo_command(port: int, host: str) -> None:
    """Migrate the database, load the seed data with demo accounts, and serve the app."""
    click.echo("Migrating the database...")
    upgrade(current_app.config["DATABASE_URL"])
    report = _seed(demo=True)
    url = f"http://{host}:{port}/"
    click.echo(f"\njointinspect demo at {url}")
    _echo_accounts(report)
    run_simple(host, port, current_app._get_current_object(), threaded=True, use_reloader=False,
               use_debugger=False)


def _seed(demo: bool) -> SeedReport:
    session = db.session
    try:
        report = seed(session, demo_accounts=demo, progress=click.echo)
    except SeedError as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    session.commit()
    return report


def _echo_accounts(report: SeedReport) -> None:
    click.echo("\nDemo accounts (sign in at /login):")
    click.echo(f"  {'username':<12}{'role':<13}password")
    for username, role in report.demo_accounts:
        click.echo(f"  {username:<12}{role:<13}{report.demo_password}")
