"""`jointinspect token create|list|revoke`: bearer tokens for other systems."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..extensions import db
from ..models import ApiToken, User, utcnow
from ..services.errors import WorkflowError
from ..services.access.tokens import issue_token, list_tokens, revoke_token

token_group = AppGroup("token", help="Bearer tokens that let other systems call the API as a user.")


@token_group.command("create")
@click.argument("username")
@click.option("--name", default="api", show_default=True, help="What the token is for, e.g. the system's name.")
@click.option("--expires-days", type=click.IntRange(min=1), help="Stop working after this many days (default: never).")
def create(username: str, name: str, expires_days: int | None) -> None:
    """Issue a token for USERNAME; the secret is printed once, on the last line, and never stored."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None or not user.active:
        raise click.UsageError(f"no active user {username!r}")
    try:
        token, secret = issue_token(db.session, user, name, expires_days)
    except WorkflowError as error:
        raise click.UsageError(error.message) from error
    db.session.commit()
    expiry = token.expires_at.isoformat() if token.expires_at else "never"
    click.echo(f"Token {token.id} {token.name!r} for {user.username} ({user.role}), expires {expiry}.", err=True)
    click.echo("Send it as 'Authorization: Bearer <token>'. It is shown only this once:", err=True)
    click.echo(secret)


@token_group.command("list")
def list_command() -> None:
    """Every token: id, user, name, first characters, status, last use."""
    now = utcnow()
    for token in list_tokens(db.session):
        used = token.last_used_at.strftime("%Y-%m-%d %H:%M") if token.last_used_at else "never used"
        click.echo(f"{token.id}\t{token.user.username}\t{token.name}\t{token.prefix}…\t{token.status_at(now)}\t{used}")


@token_group.command("revoke")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID: it stops working at once."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.UsageError(f"no token {token_id}")
    revoke_token(db.session, token)
    db.session.commit()
    click.echo(f"Token {token.id} {token.name!r} of {token.user.username} is revoked.")
