"""Accounts: created with their invariants checked, re-roled, deactivated and reactivated.

Whatever changes who a person is (role, agency, company) or whether they may sign in ends their
sessions and their API tokens at once: the session version in every login id is bumped, and the
tokens are revoked (on PostgreSQL their users' per-process cache hears of it, see token_cache).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...auth.passwords import MIN_PASSWORD_LENGTH, hash_password
from ...models import Exporter, User, utcnow
from ...models.user import LANGUAGES
from ...roles import AGENCIES, AGENCY_ROLES, EXPORTER, ROLES
from ..errors import WorkflowError
from .audit import record
from .password_setup import MODES, PasswordSetup, reset_password, unusable_password
from .tokens import list_tokens as user_tokens
from .tokens import revoke_all

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{2,79}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class UserError(WorkflowError):
    """An account that cannot be created or changed as asked, with the reason in plain words."""


def check_role(role: str, agency: str | None, exporter: Exporter | None) -> None:
    """An exporter belongs to a company and no agency; agency staff to an agency; others to neither company."""
    if role not in ROLES:
        raise UserError(_("Choose one of the roles."), field="role")
    if agency is not None and agency not in AGENCIES:
        raise UserError(_("Choose APHIS, SENASICA or CBP."), field="agency")
    if role == EXPORTER and exporter is None:
        raise UserError(_("An exporter account needs its company."), field="exporter")
    if role != EXPORTER and exporter is not None:
        raise UserError(_("Only exporter accounts belong to a company."), field="exporter")
    if role == EXPORTER and agency is not None:
        raise UserError(_("An exporter works for a company, not for an agency."), field="agency")
    if role in AGENCY_ROLES and agency is None:
        raise UserError(_("This role needs its agency: APHIS, SENASICA or CBP."), field="agency")


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
    email: str | None = None,
    actor: User | None = None,
) -> User:
    username, display_name, email = username.strip(), display_name.strip(), (email or "").strip() or None
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_("The password must have at least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
                        field="password")
    if not USERNAME.fullmatch(username):
        raise UserError(_("A username has 3 to 80 letters, digits or . _ @ -, starting with a letter or digit."),
                        field="username")
    if not display_name or len(display_name) > 200:
        raise UserError(_("Give the person's name (at most 200 characters)."), field="display_name")
    if email is not None and (len(email) > 254 or not EMAIL.fullmatch(email)):
        raise UserError(_("Enter an e-mail address such as ana@example.org, or leave it empty."), field="email")
    if language not in LANGUAGES:
        raise UserError(_("Choose English or Spanish."), field="language")
    check_role(role, agency, exporter)
    if session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == username.lower())) is not None:
        raise UserError(_("The username %(username)s is taken.", username=username), field="username")
    user = User(
        username=username, password_hash=hash_password(password), role=role, display_name=display_name,
        agency=agency, exporter=exporter, language=language, email=email,
    )
    session.add(user)
    session.flush()
    record(session, actor, "user.created", user, after=summary(user))
    return user


def create_account(session: Session, actor: User | None, *, first_password: str,
                   **fields) -> tuple[User, PasswordSetup]:
    """An account made by an administrator: nobody knows its password until the link or temporary one."""
    if first_password not in MODES:
        raise UserError(_("Choose a one-time link or a temporary password."), field="first_password")
    user = create_user(session, password=unusable_password(), actor=actor, **fields)
    return user, reset_password(session, actor, user, first_password)


def active_tokens(session: Session, user: User) -> int:
    """Tokens of the account that still work: what ending its access would revoke."""
    return len([t for t in user_tokens(session, user) if t.status_at(utcnow()) == "active"])


def change_role(session: Session, actor: User | None, user: User, role: str, agency: str | None,
                exporter: Exporter | None) -> int:
    """A new role (agency, company); returns how many tokens were revoked. Unchanged: nothing happens."""
    _not_yourself(actor, user, "role")
    check_role(role, agency, exporter)
    exporter_id = exporter.id if exporter is not None else None
    if (user.role, user.agency, user.exporter_id) == (role, agency, exporter_id):
        return 0
    before = summary(user)
    user.role, user.agency, user.exporter = role, agency, exporter
    revoked = end_access(session, actor, user)
    record(session, actor, "user.role_changed", user, before=before, after={**summary(user), "tokens_revoked": revoked})
    return revoked


def deactivate(session: Session, actor: User | None, user: User) -> int:
    """The person can no longer sign in or call the API; returns how many tokens were revoked."""
    _not_yourself(actor, user, "active")
    if not user.active:
        raise UserError(_("The account is already deactivated."), field="active")
    user.active = False
    revoked = end_access(session, actor, user)
    record(session, actor, "user.deactivated", user, before={"active": True},
           after={"active": False, "tokens_revoked": revoked})
    return revoked


def reactivate(session: Session, actor: User | None, user: User) -> None:
    """The person may sign in again with their password; tokens revoked before stay revoked."""
    if user.active:
        raise UserError(_("The account is active."), field="active")
    user.active = True
    record(session, actor, "user.reactivated", user, before={"active": False}, after={"active": True})


def end_access(session: Session, actor: User | None, user: User) -> int:
    """End every session (a new session version) and revoke every token; returns the tokens revoked."""
    user.session_version += 1
    return revoke_all(session, user, actor)


def _not_yourself(actor: User | None, user: User, field: str) -> None:
    """Administrators cannot lock themselves out: another administrator must do it."""
    if actor is not None and actor.id == user.id:
        raise UserError(_("You cannot change this on your own account; ask another administrator."), field=field)


def summary(user: User) -> dict[str, object]:
    return {"username": user.username, "role": user.role, "agency": user.agency, "exporter_id": user.exporter_id,
            "active": user.active}
