"""Hardening: headers, CSRF on every form, login limits, idle sessions, password change, big bodies, escaping."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from itsdangerous import TimestampSigner

from app import create_app
from app.db import db
from tests.factories import DEMO_PASSWORD, make_user

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"


def test_headers_on_pages_and_api(client):
    for path in ("/login", "/api/openapi.json", "/api/v1/me"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", policy).group(1)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers


def test_hsts_only_over_https(client):
    response = client.get("/login", base_url="https://ji.example.org")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_templates_hold_no_inline_script():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template


def test_api_docs_come_from_vendored_files(client, app):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "https://" not in html and "http://" not in html
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        with client.get(asset) as response:
            assert response.status_code == 200, asset


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _csrf_token(client, path: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


@pytest.mark.parametrize("path", ["/login", "/logout", "/language", "/account/password", "/admin/tokens/1/revoke"])
def test_every_form_post_needs_the_csrf_token(csrf_app, db_session, users, path):
    client = csrf_app.test_client()
    token = _csrf_token(client, "/login")
    assert client.post("/login", data={"username": "test-admin", "password": DEMO_PASSWORD,
                                       "csrf_token": token}).status_code == 302
    assert client.post(path, data={"username": "test-admin", "password": DEMO_PASSWORD}).status_code == 400


def test_a_cookie_api_write_with_the_csrf_header_passes(csrf_app, db_session, users):
    client = csrf_app.test_client()
    token = _csrf_token(client, "/login")
    client.post("/login", data={"username": "test-admin", "password": DEMO_PASSWORD, "csrf_token": token})
    token = _csrf_token(client, "/admin/")  # signing in starts a new session, with a new CSRF secret
    assert client.delete("/api/v1/tokens/424242").status_code == 400
    assert client.delete("/api/v1/tokens/424242", headers={"X-CSRFToken": token}).status_code == 404


@pytest.fixture
def limited_app(app, db_session, monkeypatch):
    """The app with rate limits on, sharing the test's rolled-back session; argon2 skipped to keep it quick."""
    monkeypatch.setattr("app.auth.routes.verify_password", lambda stored, given: given == DEMO_PASSWORD)
    limited = create_app({**{k: app.config[k] for k in ("TESTING", "DATABASE_URL", "SECRET_KEY", "RUNS_INLINE")},
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})
    db.bound(limited).session_factory = db.bound(app).session_factory
    yield limited
    db.bound(limited).engine.dispose()


def test_login_is_limited_per_account_from_any_address(limited_app, users):
    client = limited_app.test_client()
    for n in range(10):
        client.post("/login", data={"username": "test-admin", "password": "wrong"},
                    environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
    response = client.post("/login", data={"username": "TEST-ADMIN ", "password": "wrong"},
                           environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.data
    other = client.post("/login", data={"username": "test-coordinator", "password": DEMO_PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.0.1.2"})
    assert other.status_code == 302


def test_login_is_limited_per_address_across_accounts(limited_app, users):
    client = limited_app.test_client()
    for n in range(20):
        client.post("/login", data={"username": f"guess-{n}", "password": "wrong"})
    response = client.post("/login", data={"username": "test-admin", "password": DEMO_PASSWORD})
    assert response.status_code == 429


def test_password_changes_are_limited(limited_app, users):
    client = limited_app.test_client()
    assert client.post("/login", data={"username": "test-exporter", "password": DEMO_PASSWORD}).status_code == 302
    answers = [client.post("/account/password", data={"current_password": "wrong", "new_password": "x" * 16,
                                                       "confirm": "x" * 16}).status_code for _ in range(11)]
    assert answers[:10] == [200] * 10
    assert answers[10] == 429


class _Clock:
    def __init__(self, monkeypatch) -> None:
        self.now = 2_000_000_000
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda signer: self.now)


def test_an_idle_session_expires_but_an_active_one_stays(app, client_as, monkeypatch):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=10)
    clock = _Clock(monkeypatch)
    client = client_as("admin")
    for _ in range(3):  # each request re-signs the cookie: 27 minutes of activity in 9-minute steps
        clock.now += 9 * 60
        assert client.get("/admin/").status_code == 200
    clock.now += 11 * 60
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, client_as, auth, db_session, users):
    here, elsewhere = client_as("coordinator"), client_as("coordinator")
    copied_cookie = here.get_cookie("session").value
    response = here.post("/account/password", data={
        "current_password": DEMO_PASSWORD, "new_password": "a-new-long-password", "confirm": "a-new-long-password"})
    assert response.status_code == 302
    assert here.get("/coordinator/").status_code == 200
    assert elsewhere.get("/coordinator/").status_code == 302
    replayed = app.test_client()
    replayed.set_cookie("session", copied_cookie)
    assert replayed.get("/coordinator/").status_code == 302
    assert auth.login("test-coordinator").status_code == 401
    assert auth.login("test-coordinator", "a-new-long-password").status_code == 302


@pytest.mark.parametrize("data,message", [
    ({"current_password": "wrong-password", "new_password": "a-new-long-password", "confirm": "a-new-long-password"},
     b"That is not your current password."),
    ({"current_password": DEMO_PASSWORD, "new_password": "short", "confirm": "short"}, b"Use 12 to 256 characters."),
    ({"current_password": DEMO_PASSWORD, "new_password": "a-new-long-password", "confirm": "something-else-1"},
     b"The two new passwords differ."),
])
def test_password_change_refusals(client_as, data, message):
    response = client_as("exporter").post("/account/password", data=data)
    assert response.status_code == 200
    assert message in response.data


def test_oversized_bodies_are_refused(client_as, client):
    big = "x" * (6 * 1024 * 1024)
    api = client_as("coordinator").post("/api/v1/runs", data=big, content_type="application/json")
    assert api.status_code == 413 and api.is_json and api.json["code"] == 413
    page = client.post("/login", data={"username": "a", "password": big})
    assert page.status_code == 413 and page.mimetype == "text/html"


def test_markup_in_text_is_shown_as_text(app, db_session):
    make_user(db_session, role="admin", username="mallory", display_name='<script>alert("x")</script>')
    db_session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "mallory", "password": DEMO_PASSWORD})
    html = client.get("/admin/").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_405_names_the_allowed_methods(client):
    api = client.delete("/api/v1/audit")
    assert api.status_code == 405 and api.is_json
    assert api.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert "POST" in client.delete("/login").headers["Allow"]


def test_ids_beyond_a_database_integer_are_not_found(client_as):
    response = client_as("admin").get("/api/v1/requests/9223372036854775808/certificate")
    assert response.status_code == 404 and response.is_json


def test_nul_characters_are_refused_before_they_reach_the_database(client_as, client):
    api = client_as("admin")
    assert api.get("/api/v1/audit?entity_type=a%00b").status_code == 400
    body = api.post("/api/v1/runs", json={"horizon_start": "2027-03-01T00:00:00Z", "horizon_end": "x\u0000"})
    assert body.status_code == 400 and body.json["message"] == "Text may not contain NUL characters."
    assert client.post("/login", data={"username": "a\x00", "password": "b"}).status_code == 400


def test_behind_a_trusted_proxy_https_and_the_client_address_are_seen(app):
    proxied = create_app({**{k: app.config[k] for k in ("TESTING", "DATABASE_URL", "SECRET_KEY")}, "PROXY_HOPS": 1})
    seen = {}

    @proxied.get("/whoami-test")
    def whoami():
        from flask import request

        seen["address"] = request.remote_addr
        return "ok"

    response = proxied.test_client().get("/whoami-test", headers={"X-Forwarded-Proto": "https",
                                                                  "X-Forwarded-For": "203.0.113.7"})
    assert "Strict-Transport-Security" in response.headers
    assert seen["address"] == "203.0.113.7"
    db.bound(proxied).engine.dispose()
