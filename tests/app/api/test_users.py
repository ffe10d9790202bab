"""The accounts API: administrators create, re-role, deactivate and reset accounts, and make tokens."""

from __future__ import annotations

import sqlalchemy as sa

from app.models import User
from app.services.access.tokens import issue_token
from tests.conftest import AuthActions
from tests.factories import make_exporter


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_an_administrator_creates_an_account_and_gets_its_first_password_once(app, client_as, db_session, users):
    make_exporter(db_session, code="AGRO-API")
    db_session.commit()
    response = client_as("admin").post("/api/v1/users", json={
        "username": "api.exporter", "display_name": "Exportadora API", "role": "exporter", "exporter": "AGRO-API",
        "first_password": "temporary"})
    assert response.status_code == 201, response.json
    assert response.json["user"]["exporter"] == "AGRO-API"
    assert response.json["user"]["must_change_password"] is True
    password = response.json["password"]["temporary_password"]
    assert AuthActions(app.test_client()).login("api.exporter", password).status_code == 302
    listed = client_as("admin").get("/api/v1/users?role=exporter").json
    assert "api.exporter" in {u["username"] for u in listed}
    assert all("password" not in u for u in listed)


def test_only_administrators_use_the_accounts_api(client_as, users):
    assert client_as("coordinator").get("/api/v1/users").status_code == 403
    assert client_as("supervisor").post("/api/v1/users", json={}).status_code == 403
    assert client_as("coordinator").patch("/api/v1/users/test-officer", json={"active": False}).status_code == 403


def test_a_refused_account_names_the_field(client_as, users, db_session):
    response = client_as("admin").post("/api/v1/users", json={
        "username": "no.company", "display_name": "X", "role": "exporter"})
    assert response.status_code == 422
    assert "exporter" in response.json["errors"]["json"]
    unknown = client_as("admin").post("/api/v1/users", json={
        "username": "no.company", "display_name": "X", "role": "exporter", "exporter": "NOPE"})
    assert unknown.status_code == 422 and "exporter" in unknown.json["errors"]["json"]
    assert db_session.scalar(sa.select(User).where(User.username == "no.company")) is None


def test_deactivating_by_patch_stops_the_accounts_tokens(app, client_as, db_session, users):
    _token, secret = issue_token(db_session, users["officer"], "port system")
    db_session.commit()
    assert app.test_client().get("/api/v1/me", headers=_bearer(secret)).status_code == 200
    response = client_as("admin").patch("/api/v1/users/test-officer", json={"active": False})
    assert response.status_code == 200 and response.json["active"] is False
    assert app.test_client().get("/api/v1/me", headers=_bearer(secret)).status_code == 401


def test_a_new_role_by_patch_needs_its_agency(client_as, users):
    admin = client_as("admin")
    refused = admin.patch("/api/v1/users/test-officer", json={"role": "coordinator", "agency": None})
    assert refused.status_code == 422 and "agency" in refused.json["errors"]["json"]
    done = admin.patch("/api/v1/users/test-officer", json={"role": "coordinator", "agency": "APHIS"})
    assert done.status_code == 200 and done.json["role"] == "coordinator"


def test_administrators_cannot_deactivate_themselves_through_the_api(client_as, users):
    response = client_as("admin").patch("/api/v1/users/test-admin", json={"active": False})
    assert response.status_code == 422


def test_a_password_reset_gives_a_one_time_link(app, client_as, users):
    response = client_as("admin").post("/api/v1/users/test-inspector/password-reset", json={"mode": "link"})
    assert response.status_code == 201
    path = response.json["reset_url"].split("localhost", 1)[1]
    assert app.test_client().get(path).status_code == 200
    assert client_as("admin").post("/api/v1/users/nobody/password-reset", json={"mode": "link"}).status_code == 404


def test_an_administrator_makes_a_token_whose_secret_comes_once(app, client_as, users):
    admin = client_as("admin")
    made = admin.post("/api/v1/tokens", json={"username": "test-supervisor", "name": "dashboard", "expires_days": 7})
    assert made.status_code == 201
    assert app.test_client().get("/api/v1/me", headers=_bearer(made.json["secret"])).json["role"] == "supervisor"
    assert all("secret" not in t for t in admin.get("/api/v1/tokens").json)
    refused = admin.post("/api/v1/tokens", json={"username": "nobody", "name": "x"})
    assert refused.status_code == 422 and "username" in refused.json["errors"]["json"]
