"""Bearer tokens: issued by the CLI, stored hashed, carrying the user's role and scope, revocable."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.models import ApiToken, AuditEntry, utcnow
from app.services.access.tokens import issue_token
from tests.factories import make_shipment


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def coordinator_token(db_session, users) -> str:
    _token, secret = issue_token(db_session, users["coordinator"], "planning system")
    db_session.commit()
    return secret


def test_cli_prints_the_token_on_its_last_line_and_stores_only_its_hash(runner, db_session, users, client):
    result = runner.invoke(args=["token", "create", "test-coordinator", "--name", "erp", "--expires-days", "30"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    stored = db_session.scalar(sa.select(ApiToken).where(ApiToken.name == "erp"))
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.token_hash, stored.prefix, stored.name}
    assert stored.expires_at - utcnow() > timedelta(days=29)
    me = client.get("/api/v1/me", headers=_bearer(secret))
    assert me.status_code == 200
    assert me.json["username"] == "test-coordinator"


def test_cli_lists_and_revokes(runner, db_session, users, coordinator_token, client):
    token_id = db_session.scalar(sa.select(ApiToken.id))
    listed = runner.invoke(args=["token", "list"])
    assert "test-coordinator" in listed.output and "active" in listed.output
    assert coordinator_token not in listed.output
    assert runner.invoke(args=["token", "revoke", str(token_id)]).exit_code == 0
    assert client.get("/api/v1/me", headers=_bearer(coordinator_token)).status_code == 401


def test_cli_refuses_an_unknown_user(runner, db_session):
    result = runner.invoke(args=["token", "create", "nobody"])
    assert result.exit_code != 0
    assert "no active user 'nobody'" in result.output


def test_a_token_carries_the_role_and_company_scope(db_session, users, client):
    _token, secret = issue_token(db_session, users["exporter"], "erp")
    others = make_shipment(db_session)
    db_session.commit()
    assert client.get("/api/v1/runs", headers=_bearer(secret)).status_code == 403
    certificate = client.get(f"/api/v1/requests/{others.id}/certificate", headers=_bearer(secret))
    assert certificate.status_code == 404


@pytest.mark.parametrize("spoil", ["revoked", "expired", "inactive", "unknown", "garbage"])
def test_unusable_tokens_get_401_json(db_session, users, client, spoil):
    token, secret = issue_token(db_session, users["coordinator"], "erp", expires_days=1)
    if spoil == "revoked":
        token.revoked_at = utcnow()
    elif spoil == "expired":
        token.created_at = utcnow() - timedelta(days=3)
        token.expires_at = utcnow() - timedelta(days=1)
    elif spoil == "inactive":
        users["coordinator"].active = False
    elif spoil == "unknown":
        secret = secret[:-4] + "AAAA"
    else:
        secret = "not a token at all"
    db_session.commit()
    response = client.get("/api/v1/me", headers=_bearer(secret))
    assert response.status_code == 401
    assert response.is_json and response.json["code"] == 401
    assert "invalid_token" in response.headers["WWW-Authenticate"]


def test_a_bearer_request_is_not_signed_in_by_a_cookie_too(client_as, db_session, users):
    """A bad token next to a good session cookie is still refused: the token decides."""
    client = client_as("admin")
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me", headers=_bearer("ji_wrong")).status_code == 401


def test_bearer_sets_no_session_cookie(client, coordinator_token):
    response = client.get("/api/v1/me", headers=_bearer(coordinator_token))
    assert "Set-Cookie" not in response.headers


def test_last_use_is_recorded(client, db_session, coordinator_token):
    client.get("/api/v1/me", headers=_bearer(coordinator_token))
    assert db_session.scalar(sa.select(ApiToken.last_used_at)) is not None


def _csrf_app(app: Flask) -> Flask:
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_bearer_writes_skip_csrf_but_cookie_writes_need_it(app, client_as, db_session, users, coordinator_token):
    _csrf_app(app)
    body = {"horizon_start": "2027-03-01T00:00:00Z", "horizon_end": "2027-03-01T00:00:00Z"}  # refused as empty
    with_token = app.test_client().post("/api/v1/runs", json=body, headers=_bearer(coordinator_token))
    assert with_token.status_code == 422  # reached the view: no CSRF check for a bearer call
    app.config["WTF_CSRF_ENABLED"] = False
    cookie_client = client_as("coordinator")
    app.config["WTF_CSRF_ENABLED"] = True
    with_cookie = cookie_client.post("/api/v1/runs", json=body)
    assert with_cookie.status_code == 400
    assert with_cookie.is_json and "CSRF" in with_cookie.json["status"] + str(with_cookie.json.get("message", ""))


def test_admins_list_and_revoke_through_the_api(client_as, db_session, users, coordinator_token, client):
    admin = client_as("admin")
    listed = admin.get("/api/v1/tokens")
    assert listed.status_code == 200
    assert listed.json[0]["username"] == "test-coordinator" and listed.json[0]["status"] == "active"
    assert coordinator_token not in listed.get_data(as_text=True)
    assert admin.delete(f"/api/v1/tokens/{listed.json[0]['id']}").status_code == 204
    assert admin.delete("/api/v1/tokens/999999").status_code == 404
    assert client.get("/api/v1/me", headers=_bearer(coordinator_token)).status_code == 401
    actions = db_session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_type == "ApiToken")).all()
    assert set(actions) == {"token.created", "token.revoked"}


def test_only_admins_see_tokens(client_as, users):
    assert client_as("supervisor").get("/api/v1/tokens").status_code == 403
    assert client_as("supervisor").get("/admin/tokens").status_code == 403


def test_admins_revoke_in_the_browser(client_as, db_session, users, coordinator_token, client):
    admin = client_as("admin")
    page = admin.get("/admin/tokens")
    assert page.status_code == 200 and b"planning system" in page.data
    token_id = db_session.scalar(sa.select(ApiToken.id))
    response = admin.post(f"/admin/tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=_bearer(coordinator_token)).status_code == 401
    assert b"Revoked" in admin.get("/admin/tokens").data
