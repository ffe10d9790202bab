"""Signing in and out: roles land at home, bad passwords are refused, logout really ends the session."""

from __future__ import annotations

import pytest


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


def test_next_parameter_cannot_send_people_to_another_site(client, users):
    response = client.post("/login?next=//evil.example/", data={"username": "test-admin", "password": "jointinspect-demo"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0A/evil.example", "/%0d%0a/evil.example", "/\\evil.example",
                                    "/%20/evil.example", "https://evil.example/", "/%5Cevil.example"])
def test_no_next_parameter_leads_to_another_site(client, users, target):
    response = client.post(f"/login?next={target}", data={"username": "test-admin", "password": "jointinspect-demo"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_keeps_a_path_of_this_site(client, users):
    response = client.post("/login?next=/coordinator/runs%3Fpage%3D2",
                           data={"username": "test-admin", "password": "jointinspect-demo"})
    assert response.headers["Location"] == "/coordinator/runs?page=2"


def test_the_language_switch_does_not_redirect_elsewhere(client, users):
    response = client.post("/language", data={"language": "es", "next": "/\t/evil.example"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_password_change_ends_the_users_bearer_tokens(client, auth, db_session, users):
    from app.services.access.tokens import issue_token

    _token, secret = issue_token(db_session, users["coordinator"], "script")
    db_session.commit()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    auth.login("test-coordinator")
    changed = client.post("/account/password", data={"current_password": "jointinspect-demo",
                                                      "new_password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    assert changed.status_code == 302
    assert client.get("/api/v1/me", headers=bearer).status_code == 401


def test_signed_in_pages_and_api_answers_are_not_cached(client, auth, users):
    auth.login("test-coordinator")
    for path in ("/coordinator/runs", "/account/password", "/api/v1/me"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path
    static = client.get("/static/css/app.css")
    static.close()
    assert "no-store" not in (static.headers.get("Cache-Control") or "")


def test_login_form_needs_the_csrf_token(app, db_session, users):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/login", data={"username": "test-admin", "password": "jointinspect-demo"})
    assert response.status_code == 400
    page = client.get("/login")
    assert b'name="csrf_token"' in page.data
