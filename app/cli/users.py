"""`jointinspect create-user`: accounts for a production setup."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from ..extensions import db
from ..models import Exporter
from ..models.user import LANGUAGES
from ..roles import AGENCIES, ROLES
from ..services.access.users import UserError, create_user


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", "display_name", help="Full name shown in the app (default: the username).")
@click.option("--agency", type=click.Choice(AGENCIES), help="For staff: APHIS, SENASICA or CBP.")
@click.option("--exporter", "exporter_code", help="For exporter users: the company's code.")
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.password_option(help="At least 12 characters; asked for when not given.")
@with_appcontext
def create_user_command(username, role, display_name, agency, exporter_code, language, password):
    """Create an account with a role."""
    exporter = None
    if exporter_code:
        exporter = db.session.scalar(sa.select(Exporter).where(Exporter.code == exporter_code))
        if exporter is None:
            raise click.BadParameter(f"no exporter with code {exporter_code!r}", param_hint="--exporter")
    try:
        user = create_user(
            db.session, username=username, password=password, role=role,
            display_name=display_name or username, agency=agency, exporter=exporter, language=language,
        )
    except UserError as error:
        raise click.UsageError(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.username} ({user.role}).")
