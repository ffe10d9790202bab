"""English and Spanish: from the browser, from the switch, and from the user's own setting."""

from __future__ import annotations

import sqlalchemy as sa

from app.models import User


def test_browser_language_picks_spanish(client):
    response = client.get("/login", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert "Iniciar sesión".encode() in response.data
    assert b'lang="es"' in response.data


def test_english_by_default(client):
    response = client.get("/login")
    assert b"Sign in" in response.data
    assert b'lang="en"' in response.data


def test_switching_language_before_signing_in(client):
    response = client.post("/language", data={"language": "es", "next": "/login"})
    assert response.status_code == 302
    assert "Iniciar sesión".encode() in client.get("/login").data


def test_signed_in_users_keep_their_choice(client_as, db_session):
    client = client_as("coordinator")
    client.post("/language", data={"language": "es", "next": "/coordinator/"})
    page = client.get("/coordinator/")
    assert "Coordinación".encode() in page.data
    user = db_session.scalar(sa.select(User).where(User.username == "test-coordinator"))
    db_session.refresh(user)
    assert user.language == "es"


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"language": "xx"})
    assert b"Sign in" in client.get("/login").data


def test_error_pages_speak_spanish(client_as):
    client = client_as("exporter")
    client.post("/language", data={"language": "es"})
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "No permitido".encode() in response.data


def _next_field(html: str) -> str:
    import html as html_lib
    import re

    found = re.search(r'<input type="hidden" name="next" value="([^"]*)">', html)
    assert found, "the language switch carries no next field"
    return html_lib.unescape(found.group(1))


def test_the_switch_returns_to_the_same_page_with_the_same_filters(client_as):
    client = client_as("admin")
    page = client.get("/audit?entity_type=Shipment&actor=ana&from=2026-12-01").get_data(as_text=True)
    target = _next_field(page)
    assert target == "/audit?entity_type=Shipment&actor=ana&from=2026-12-01"
    response = client.post("/language", data={"language": "es", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == target
    back = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bitácora de auditoría" in back and 'value="ana"' in back


def test_a_page_without_a_query_string_returns_to_its_bare_path(client_as):
    assert _next_field(client_as("admin").get("/audit").get_data(as_text=True)) == "/audit"


def test_a_refused_form_comes_back_as_its_own_page(client_as):
    client = client_as("exporter")
    refused = client.post("/exporter/requests/new", data={"reference": ""}).get_data(as_text=True)
    target = _next_field(refused)
    assert target == "/exporter/requests/new"
    response = client.post("/language", data={"language": "es", "next": target})
    assert response.headers["Location"] == "/exporter/requests/new"
    assert client.get(response.headers["Location"]).status_code == 200


def test_the_switch_never_leaves_the_site(client_as):
    client = client_as("coordinator")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "evil"):
        response = client.post("/language", data={"language": "es", "next": target})
        assert response.headers["Location"] == "/", target


def test_a_refused_form_at_a_post_only_address_returns_to_the_page_it_was_on(client_as, users):
    client = client_as("admin")
    account = f"/admin/accounts/{users['exporter'].id}"
    refused = client.post(f"{account}/role", data={"role": "emperor"}, headers={"Referer": f"http://localhost{account}"})
    assert refused.status_code == 422
    assert _next_field(refused.get_data(as_text=True)) == account
    # Without a referrer (or with another site's), the home page rather than a 405.
    refused = client.post(f"{account}/role", data={"role": "emperor"}, headers={"Referer": "https://evil.example/admin"})
    assert _next_field(refused.get_data(as_text=True)) == "/"
