"""Resetting a password from administration: a one-time link, or a temporary password changed at next sign-in.

Either way the old password stops working, and every session and API token of the account ends at
once, as when people change their own password (a reset is often the answer to a leaked one).
Neither secret is stored: the link's SHA-256 is kept to recognise it, the temporary password only
as its hash.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload

from ...auth.passwords import MIN_PASSWORD_LENGTH, hash_password
from ...models import PasswordReset, User, utcnow
from ..errors import WorkflowError
from .audit import record
from .tokens import revoke_all

LINK_LIFETIME = timedelta(hours=72)
# No 0/O, 1/l/I: a temporary password is read aloud or typed from a screen.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LINK, TEMPORARY = "link", "temporary"
MODES = (LINK, TEMPORARY)


@dataclass(frozen=True)
class PasswordSetup:
    """What the administrator passes on, shown once: the link's secret or the temporary password."""

    mode: str
    secret: str
    expires_at: datetime | None = None


def unusable_password() -> str:
    """A password nobody knows: the account waits for its one-time link or temporary password."""
    return secrets.token_urlsafe(32)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def reset_password(session: Session, actor: User | None, user: User, mode: str) -> PasswordSetup:
    """The old password stops working and every session ends; the person sets a new one by `mode`."""
    if mode not in MODES:
        raise WorkflowError(_("Choose a one-time link or a temporary password."), field="mode")
    if not user.active:
        raise WorkflowError(_("The account is deactivated: reactivate it first."), field="active")
    _spend_open_links(session, user)
    user.session_version += 1
    revoke_all(session, user, actor)
    if mode == TEMPORARY:
        password = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
        user.password_hash, user.must_change_password = hash_password(password), True
        record(session, actor, "user.password_reset", user, after={"mode": TEMPORARY})
        return PasswordSetup(TEMPORARY, password)
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    user.password_hash, user.must_change_password = hash_password(unusable_password()), False
    reset = PasswordReset(user=user, token_hash=_hash(secret), created_by_id=getattr(actor, "id", None),
                          created_at=now, expires_at=now + LINK_LIFETIME)
    session.add(reset)
    session.flush()
    record(session, actor, "user.password_reset", user,
           after={"mode": LINK, "expires_at": reset.expires_at.isoformat()})
    return PasswordSetup(LINK, secret, reset.expires_at)


def _spend_open_links(session: Session, user: User) -> None:
    """A new reset makes every earlier link useless."""
    session.execute(sa.update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                    .values(used_at=utcnow()))


def find_link(session: Session, secret: str) -> PasswordReset | None:
    """The unused, unexpired link of an active account, or None (all look alike to the visitor)."""
    if not secret or len(secret) > 200:
        return None
    reset = session.scalar(sa.select(PasswordReset).where(PasswordReset.token_hash == _hash(secret))
                           .options(joinedload(PasswordReset.user)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow() or not reset.user.active:
        return None
    return reset


def use_link(session: Session, reset: PasswordReset, new_password: str) -> User:
    """Set the password chosen through a link; the link is spent and every other session ends."""
    user = reset.user
    _set_password(session, user, new_password)
    reset.used_at = utcnow()
    record(session, user, "user.password_set", user, after={"mode": LINK})
    return user


def _set_password(session: Session, user: User, new_password: str) -> None:
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise WorkflowError(_("Use %(min)d to %(max)d characters.", min=MIN_PASSWORD_LENGTH, max=256),
                            field="new_password")
    user.password_hash, user.must_change_password = hash_password(new_password), False
    user.session_version += 1
    revoke_all(session, user, user)
