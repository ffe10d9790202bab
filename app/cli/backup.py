"""`jointinspect backup PATH` and `jointinspect restore PATH` for the SQLite default database."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext

from ..migrate import alembic_config
from ..services.backup import BackupError, backup, restore


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH (a new file), safely while the app runs."""
    try:
        backup(current_app.config["DATABASE_URL"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup at PATH, then migrate it to head. Stop the app first."""
    url = current_app.config["DATABASE_URL"]
    if not yes:
        click.confirm(f"Replace the database at {url} with {path}?", abort=True)
    try:
        revision = restore(url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    if revision != head:
        command.upgrade(alembic_config(url), "head")  # an older backup gets the newer schema it now runs under
    click.echo(f"Restored {path} (revision {revision}); database at {head}.")
