"""Issuing, finding and revoking API bearer tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached, selectinload

from ...models import ApiToken, User, utcnow
from .audit import record
from ..errors import WorkflowError
from .token_cache import TokenCache

TOKEN_PREFIX = "ji_"
# Writing last_used_at on every call would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_EXPIRES_DAYS = 3650


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_token(
    session: Session, user: User, name: str, expires_days: int | None = None, actor: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; the secret is returned once and only its hash is stored."""
    name = name.strip()
    if not name or len(name) > 80:
        raise WorkflowError(_("A token needs a name of 1 to 80 characters."), field="name")
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRES_DAYS:
        raise WorkflowError(_("A token expires after 1 to %(max)d days.", max=MAX_EXPIRES_DAYS), field="expires_days")
    if not user.active:
        raise WorkflowError(_("The account is deactivated: it cannot have tokens."), field="user")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 32 random bytes
    now = utcnow()
    token = ApiToken(
        user=user, name=name, token_hash=token_hash(secret), prefix=secret[: len(TOKEN_PREFIX) + 4], created_at=now,
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    session.add(token)
    session.flush()
    record(session, actor, "token.created", token, after=_summary(token))
    return token, secret


def user_for_secret(session: Session, secret: str, cache: TokenCache | None = None) -> User | None:
    """The active user a presented secret belongs to, or None.

    Looking the secret up by its hash means no secret is ever compared character by character,
    so response timing tells nothing about how much of a guess was right. With a `cache` (see
    token_cache), a token seen in the last minute and unchanged since is not looked up again.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    key = token_hash(secret)
    now = utcnow()
    if cache is not None:
        generation = cache.generation()
        known = cache.get(key, now)
        if known is not None:
            return session.merge(known, load=False)
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == key).options(joinedload(ApiToken.user)))
    if token is None or not token.usable_at(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.commit()
    if cache is not None:
        cache.store(key, _detached_copy(token.user), token.expires_at, generation)
    return token.user


def _detached_copy(user: User) -> User:
    """The user's columns as a detached instance, for later requests to merge into their sessions.

    A copy, not the instance itself: that one stays in this request's session, and a detached
    instance can be merged by any number of sessions without any of them changing it.
    """
    copy = User(**{column.key: getattr(user, column.key) for column in sa.inspect(User).column_attrs})
    make_transient_to_detached(copy)
    return copy


def list_tokens(session: Session, user: User | None = None) -> list[ApiToken]:
    query = sa.select(ApiToken).options(selectinload(ApiToken.user)).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    return list(session.scalars(query))


def revoke_token(session: Session, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Stop a token working at once; revoking twice changes nothing."""
    if token.revoked_at is None:
        before = _summary(token)
        token.revoked_at = utcnow()
        record(session, actor, "token.revoked", token, before=before, after=_summary(token))
    return token


def revoke_all(session: Session, user: User, actor: User | None = None) -> int:
    """Revoke every token of a user that still works (the account ended or changed role); returns how many."""
    now = utcnow()
    tokens = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id,
                                                       ApiToken.revoked_at.is_(None))).all()
    for token in tokens:
        if token.expires_at is None or token.expires_at > now:
            revoke_token(session, token, actor)
    return sum(1 for token in tokens if token.revoked_at is not None)


def _summary(token: ApiToken) -> dict[str, object]:
    return {
        "user_id": token.user_id, "name": token.name, "prefix": token.prefix,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }
