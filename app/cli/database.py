"""`jointinspect db upgrade|downgrade|current`: schema migrations."""

from __future__ import annotations

import click
from alembic import command
from flask import current_app
from flask.cli import AppGroup

from ..migrate import alembic_config

db_group = AppGroup("db", help="Database schema migrations (Alembic).")


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)
    click.echo(f"Database at {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ("base" empties it)."""
    command.downgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)
    click.echo(f"Database at {revision}.")


@db_group.command("current")
def current() -> None:
    """Show the database's revision."""
    command.current(alembic_config(current_app.config["DATABASE_URL"]))
