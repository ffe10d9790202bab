"""Signing in and out: roles land at home, bad passwords are refused, logout really ends the session."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import User
from tests.factories import make_user

ROLE_HOMES = {
    "exporter": "/exporter/",
    "coordinator": "/coordinator/",
    "inspector": "/inspector/",
    "officer": "/officer/",
    "supervisor": "/supervisor/",
    "admin": "/admin/",
}


@pytest.mark.parametrize("role", sorted(ROLE_HOMES))
def test_each_role_lands_on_its_own_home_page(client, auth, users, role):
    response = auth.login(f"test-{role}")
    assert response.status_code == 302
    landing = client.get(response.headers["Location"])
    assert landing.status_code == 302
    assert landing.headers["Location"] == ROLE_HOMES[role]
    assert client.get(ROLE_HOMES[role]).status_code == 200


def test_wrong_password_is_refused_with_a_generic_message(client, auth, users):
    response = auth.login("test-coordinator", "not-the-password")
    assert response.status_code == 401
    assert b"Invalid username or password." in response.data
    unknown = auth.login("nobody-by-that-name", "whatever-password")
    assert unknown.status_code == 401
    assert b"Invalid username or password." in unknown.data


def test_passwords_are_stored_as_argon2id(db_session):
    from app.services.access.users import create_user

    user = create_user(db_session, username="ana", password="a long enough password", role="admin",
                       display_name="Ana")
    assert user.password_hash.startswith("$argon2id$")
    assert "a long enough password" not in user.password_hash


def test_a_copied_session_cookie_is_refused_after_logout(app, client, auth, users):
    auth.login("test-supervisor")
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert auth.logout().status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    response = thief.get("/supervisor/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_needs_a_post(client, auth, users):
    auth.login("test-admin")
    assert client.get("/logout").status_code == 405
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_account_for_a_while(client, auth, db_session):
    make_user(db_session, role="admin", username="target")
    db_session.commit()
    for _ in range(10):
        auth.login("target", "wrong-password-1")
    response = auth.login("target")  # the right password, but locked now
    assert response.status_code == 429
    assert b"Too many failed attempts" in response.data
    user = db_session.scalar(sa.select(User).where(User.username == "target"))
    db_session.refresh(user)
    assert user.locked_until is not None


def test_next_parameter_cannot_send_people_to_another_site(client, users):
    response = client.post("/login?next=//evil.example/", data={"username": "test-admin", "password": "jointinspect-demo"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_form_needs_the_csrf_token(app, db_session, users):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/login", data={"username": "test-admin", "password": "jointinspect-demo"})
    assert response.status_code == 400
    page = client.get("/login")
    assert b'name="csrf_token"' in page.data
