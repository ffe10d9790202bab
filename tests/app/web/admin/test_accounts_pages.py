"""Administration in the browser: accounts made, re-roled, deactivated and reset, tokens made and shown once,
each change saying first what it ends."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.models import ApiToken, AuditEntry, User
from app.services.access.tokens import issue_token
from tests.conftest import AuthActions
from tests.factories import make_exporter

ADMIN_PAGES = ["/admin/", "/admin/accounts/new", "/admin/tokens"]


@pytest.mark.parametrize("role", ["exporter", "coordinator", "inspector", "officer", "supervisor"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_only_administrators_administer(client_as, role, path):
    assert client_as(role).get(path).status_code == 403


def test_account_pages_are_refused_to_other_roles_even_by_post(client_as, users):
    target = users["officer"].id
    for path in (f"/admin/accounts/{target}/deactivate", f"/admin/accounts/{target}/role",
                 f"/admin/accounts/{target}/password"):
        assert client_as("coordinator").post(path, data={"confirmed": "yes"}).status_code == 403
    assert users["officer"].active


def test_an_administrator_creates_an_exporter_account_with_a_temporary_password(app, client_as, db_session, users):
    company = make_exporter(db_session, code="AGRO-ZAM", legal_name="Agrícola Zamora SPR")
    db_session.commit()
    admin = client_as("admin")
    page = admin.post("/admin/accounts/new", data={
        "username": "lucia.agro", "display_name": "Lucía Pérez", "email": "", "role": "exporter", "agency": "",
        "exporter": "AGRO-ZAM", "language": "es", "first_password": "temporary"})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    password = re.search(rb'data-secret="password">([^<]+)<', page.data).group(1).decode()
    user = db_session.scalar(sa.select(User).where(User.username == "lucia.agro"))
    assert user.exporter_id == company.id and user.must_change_password
    assert password.encode() not in admin.get(f"/admin/accounts/{user.id}").data  # shown once, then never
    assert AuthActions(app.test_client()).login("lucia.agro", password).status_code == 302


def test_a_bad_account_is_refused_under_its_field_in_spanish(client_as, db_session, users):
    admin = client_as("admin")
    users["admin"].language = "es"
    db_session.commit()
    page = admin.post("/admin/accounts/new", data={
        "username": "nuevo", "display_name": "Nuevo", "role": "coordinator", "agency": "", "exporter": "",
        "language": "es", "first_password": "link"})
    assert page.status_code == 422
    assert 'id="agency-error">Este rol necesita su dependencia' in page.get_data(as_text=True)
    assert db_session.scalar(sa.select(User).where(User.username == "nuevo")) is None


def test_deactivating_says_what_it_ends_first_and_only_then_does_it(client_as, db_session, users):
    target = users["officer"]
    issue_token(db_session, target, "port system")
    db_session.commit()
    admin = client_as("admin")
    asked = admin.post(f"/admin/accounts/{target.id}/deactivate", data={})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "can no longer sign in" in text and "1 API tokens" in text
    db_session.expire_all()
    assert db_session.get(User, target.id).active
    done = admin.post(f"/admin/accounts/{target.id}/deactivate", data={"confirmed": "yes"})
    assert done.status_code == 302
    db_session.expire_all()
    assert not db_session.get(User, target.id).active
    assert db_session.scalar(sa.select(ApiToken.revoked_at).where(ApiToken.user_id == target.id)) is not None


def test_changing_a_role_is_confirmed_then_applied_and_audited(client_as, db_session, users):
    target = users["supervisor"]
    admin = client_as("admin")
    fields = {"role": "coordinator", "agency": "SENASICA", "exporter": ""}
    asked = admin.post(f"/admin/accounts/{target.id}/role", data=fields)
    assert "Role: Supervisor → Coordinator" in asked.get_data(as_text=True)
    done = admin.post(f"/admin/accounts/{target.id}/role", data={**fields, "confirmed": "yes"})
    assert done.status_code == 302
    db_session.expire_all()
    assert db_session.get(User, target.id).role == "coordinator"
    assert db_session.scalar(sa.select(AuditEntry.actor_id).where(AuditEntry.action == "user.role_changed")) \
        == users["admin"].id


def test_an_administrator_cannot_deactivate_their_own_account(client_as, db_session, users):
    admin = client_as("admin")
    page = admin.post(f"/admin/accounts/{users['admin'].id}/deactivate", data={"confirmed": "yes"},
                      follow_redirects=True)
    assert "another administrator" in page.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(User, users["admin"].id).active


def test_a_password_reset_link_is_shown_once(client_as, app, db_session, users):
    target = users["inspector"]
    page = client_as("admin").post(f"/admin/accounts/{target.id}/password",
                                   data={"mode": "link", "confirmed": "yes"})
    link = re.search(rb'data-secret="link">([^<]+)<', page.data).group(1).decode()
    assert "/account/reset/" in link
    assert app.test_client().get(link.split("localhost", 1)[1]).status_code == 200


def test_a_token_is_made_in_the_browser_and_its_secret_shown_once(client_as, app, db_session, users):
    admin = client_as("admin")
    page = admin.post("/admin/tokens", data={"user": "test-coordinator", "name": "planning system",
                                             "expires_days": 30})
    secret = re.search(rb'data-secret="token">([^<]+)<', page.data).group(1).decode()
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).json["role"] \
        == "coordinator"
    assert secret.encode() not in admin.get("/admin/tokens").data
    token = db_session.scalar(sa.select(ApiToken).where(ApiToken.name == "planning system"))
    assert 29 <= (token.expires_at - token.created_at).days <= 30


def test_a_token_needs_a_name_and_a_sane_expiry(client_as, db_session, users):
    page = client_as("admin").post("/admin/tokens", data={"user": "test-coordinator", "name": "",
                                                          "expires_days": 0})
    assert page.status_code == 422
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
