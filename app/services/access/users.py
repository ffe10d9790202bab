"""Creating accounts with their invariants checked before the database sees them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...roles import AGENCY_ROLES
from ...auth.passwords import MIN_PASSWORD_LENGTH, hash_password
from ...models import Exporter, User
from .audit import record



class UserError(ValueError):
    """An account that cannot be created as asked, with the reason in plain words."""


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str,
    agency: str | None = None,
    exporter: Exporter | None = None,
    language: str = "en",
    actor: User | None = None,
) -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if role == "exporter" and exporter is None:
        raise UserError("an exporter user needs --exporter (the company)")
    if role != "exporter" and exporter is not None:
        raise UserError("only exporter users belong to an exporter company")
    if role in AGENCY_ROLES and agency is None:
        raise UserError(f"a {role} needs --agency (APHIS, SENASICA or CBP)")
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise UserError(f"username {username!r} is taken")
    user = User(
        username=username, password_hash=hash_password(password), role=role, display_name=display_name,
        agency=agency, exporter=exporter, language=language,
    )
    session.add(user)
    session.flush()
    record(session, actor, "user.created", user, after={"username": username, "role": role})
    return user
