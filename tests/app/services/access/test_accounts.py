"""Accounts an administrator manages: who they are, whether they may sign in, and how they get a password.

What people notice: a deactivated or re-roled account is signed out and its tokens stop at once; a
temporary password must be changed before anything else; a reset link works once.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db import db
from app.models import AuditEntry, PasswordReset, User, utcnow
from app.services.access.password_setup import find_link, reset_password, use_link
from app.services.access.tokens import issue_token
from app.services.access.users import (
    UserError, change_role, create_account, create_user, deactivate, reactivate,
)
from app.services.errors import WorkflowError
from tests.conftest import AuthActions
from tests.app.services.access.test_token_cache import (  # noqa: F401  (live, workers: fixtures)
    POSTGRESQL_ONLY, _me, _token, _until, live, workers,
)
from tests.factories import DEMO_PASSWORD, make_exporter


def _signed_in(app, username: str, password: str = DEMO_PASSWORD):
    client = app.test_client()
    assert AuthActions(client).login(username, password).status_code == 302
    return client


def _actions(session, user: User) -> list[str]:
    return list(session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_type == "User",
                                                                   AuditEntry.entity_id == str(user.id))
                                .order_by(AuditEntry.id)))


def test_deactivating_signs_the_person_out_and_stops_their_tokens_at_once(app, db_session, users):
    person = users["coordinator"]
    browser = _signed_in(app, person.username)
    _token, secret = issue_token(db_session, person, "planning system")
    db_session.commit()
    assert browser.get("/coordinator/").status_code == 200
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    revoked = deactivate(db_session, users["admin"], person)
    db_session.commit()

    assert revoked == 1
    assert browser.get("/coordinator/").headers["Location"].startswith("/login")
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert AuthActions(app.test_client()).login(person.username).status_code != 302
    assert "user.deactivated" in _actions(db_session, person)


def test_reactivated_people_sign_in_again_but_their_old_tokens_stay_revoked(app, db_session, users):
    person = users["officer"]
    _token, secret = issue_token(db_session, person, "port system")
    deactivate(db_session, users["admin"], person)
    reactivate(db_session, users["admin"], person)
    db_session.commit()
    assert AuthActions(app.test_client()).login(person.username).status_code == 302
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert _actions(db_session, person)[-2:] == ["user.deactivated", "user.reactivated"]


def test_a_new_role_ends_sessions_and_tokens_and_the_next_sign_in_has_the_new_role(app, db_session, users):
    person = users["supervisor"]
    browser = _signed_in(app, person.username)
    _token, secret = issue_token(db_session, person, "reports")
    db_session.commit()

    change_role(db_session, users["admin"], person, "coordinator", "SENASICA", None)
    db_session.commit()

    assert browser.get("/supervisor/").headers["Location"].startswith("/login")
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    again = _signed_in(app, person.username)
    assert again.get("/coordinator/").status_code == 200
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.role_changed"))
    assert entry.before["role"] == "supervisor" and entry.after["role"] == "coordinator"
    assert entry.after["tokens_revoked"] == 1


def test_the_same_role_again_changes_nothing(app, db_session, users):
    person = users["inspector"]
    browser = _signed_in(app, person.username)
    assert change_role(db_session, users["admin"], person, "inspector", person.agency, None) == 0
    db_session.commit()
    assert browser.get("/inspector/").status_code == 200


@pytest.mark.parametrize(("role", "agency", "company", "field"), [
    ("exporter", None, None, "exporter"),
    ("coordinator", None, None, "agency"),
    ("exporter", "APHIS", "company", "exporter_agency"),
    ("supervisor", "APHIS", "company", "exporter"),
])
def test_a_role_must_fit_its_agency_and_company(db_session, users, role, agency, company, field):
    exporter = make_exporter(db_session) if company else None
    with pytest.raises(UserError) as refused:
        change_role(db_session, users["admin"], users["officer"], role, agency, exporter)
    assert refused.value.field == ("agency" if field == "exporter_agency" else field)


def test_administrators_cannot_lock_themselves_out(db_session, users):
    admin = users["admin"]
    with pytest.raises(UserError):
        deactivate(db_session, admin, admin)
    with pytest.raises(UserError):
        change_role(db_session, admin, admin, "supervisor", "APHIS", None)
    assert admin.active and admin.role == "admin"


def test_a_temporary_password_works_once_and_must_be_changed_before_anything_else(app, db_session, users):
    user, setup = create_account(db_session, users["admin"], first_password="temporary", username="rosa.mtz",
                                 display_name="Rosa Martínez", role="inspector", agency="SENASICA")
    db_session.commit()
    assert setup.mode == "temporary" and len(setup.secret) >= 12
    assert setup.secret not in user.password_hash

    browser = _signed_in(app, "rosa.mtz", setup.secret)
    blocked = browser.get("/inspector/")
    assert blocked.status_code == 302 and blocked.headers["Location"].endswith("/account/password")
    assert browser.get("/api/v1/me").status_code == 403
    changed = browser.post("/account/password", data={"current_password": setup.secret,
                                                       "new_password": "a new long password",
                                                       "confirm": "a new long password"})
    assert changed.status_code == 302
    assert browser.get("/inspector/").status_code == 200
    db_session.expire_all()
    assert db_session.get(User, user.id).must_change_password is False


def test_a_reset_link_sets_the_password_once_and_ends_the_old_one(app, db_session, users):
    person = users["exporter"]
    browser = _signed_in(app, person.username)
    _token, secret = issue_token(db_session, person, "erp")
    setup = reset_password(db_session, users["admin"], person, "link")
    db_session.commit()
    assert browser.get("/exporter/").headers["Location"].startswith("/login")
    assert AuthActions(app.test_client()).login(person.username).status_code != 302  # the old password is gone
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401

    visitor = app.test_client()
    page = visitor.get(f"/account/reset/{setup.secret}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    done = visitor.post(f"/account/reset/{setup.secret}", data={"new_password": "chosen by myself 1",
                                                                "confirm": "chosen by myself 1"})
    assert done.status_code == 302
    assert AuthActions(app.test_client()).login(person.username, "chosen by myself 1").status_code == 302
    assert visitor.get(f"/account/reset/{setup.secret}").status_code == 404  # used


def test_a_new_reset_spends_the_earlier_link_and_old_links_expire(db_session, users):
    person = users["officer"]
    first = reset_password(db_session, users["admin"], person, "link")
    second = reset_password(db_session, users["admin"], person, "link")
    assert find_link(db_session, first.secret) is None
    assert find_link(db_session, second.secret) is not None
    link = db_session.scalar(sa.select(PasswordReset).where(PasswordReset.used_at.is_(None)))
    link.created_at, link.expires_at = utcnow() - timedelta(days=4), utcnow() - timedelta(days=1)
    assert find_link(db_session, second.secret) is None


def test_a_link_refuses_a_short_password_and_stays_usable(db_session, users):
    setup = reset_password(db_session, users["admin"], users["officer"], "link")
    link = find_link(db_session, setup.secret)
    with pytest.raises(WorkflowError):
        use_link(db_session, link, "short")
    assert find_link(db_session, setup.secret) is not None


def test_usernames_are_unique_whatever_their_case_and_plain(db_session, users):
    with pytest.raises(UserError) as taken:
        create_user(db_session, username="TEST-ADMIN", password="long enough password", role="admin",
                    display_name="Copy")
    assert taken.value.field == "username"
    with pytest.raises(UserError) as odd:
        create_user(db_session, username="a b", password="long enough password", role="admin", display_name="X")
    assert odd.value.field == "username"


@POSTGRESQL_ONLY
def test_a_worker_that_remembers_a_token_refuses_it_once_another_deactivates_the_account(live, workers):
    """Gunicorn workers each remember tokens (token_cache.py): the account's end reaches them all at once."""
    remembering, administering = workers(), workers()
    user_id, _token_id, secret = _token(live[1])
    assert _me(remembering, secret).status_code == 200
    with administering.app_context():
        deactivate(db.session, None, db.session.get(User, user_id))
        db.session.commit()
    assert _until(lambda: _me(remembering, secret).status_code == 401)
