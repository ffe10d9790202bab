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
