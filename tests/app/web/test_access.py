"""Who may see what: the role x page matrix, the API's 401, and an exporter's own shipments only."""

from __future__ import annotations

import pytest

from tests.factories import make_shipment

PAGES = {
    "/exporter/": {"exporter"},
    "/coordinator/": {"coordinator", "admin"},
    "/inspector/": {"inspector"},
    "/officer/": {"officer"},
    "/supervisor/": {"supervisor", "admin"},
    "/admin/": {"admin"},
}
ROLES = ("exporter", "coordinator", "inspector", "officer", "supervisor", "admin")


@pytest.mark.parametrize("path", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_role_page_matrix(client_as, path, role):
    response = client_as(role).get(path)
    expected = 200 if role in PAGES[path] else 403
    assert response.status_code == expected, f"{role} on {path}"


@pytest.mark.parametrize("path", sorted(PAGES) + ["/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/sites", "/api/v1/commodities"])
def test_api_answers_401_json_not_a_redirect(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.is_json
    assert response.json["code"] == 401


def test_api_knows_the_signed_in_user(client_as):
    response = client_as("officer").get("/api/v1/me")
    assert response.status_code == 200
    assert response.json["role"] == "officer"
    assert response.json["agency"] == "CBP"


def test_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/me" in response.json["paths"]


def test_exporter_sees_own_shipment_but_not_another_companys(client_as, users, db_session):
    own = make_shipment(db_session, exporter=users["exporter"].exporter, reference="OWN-1")
    other = make_shipment(db_session, reference="OTHER-1")
    db_session.commit()
    client = client_as("exporter")
    listing = client.get("/exporter/")
    assert b"OWN-1" in listing.data
    assert b"OTHER-1" not in listing.data
    assert client.get(f"/exporter/shipments/{own.id}").status_code == 200
    assert client.get(f"/exporter/shipments/{other.id}").status_code == 404


def test_security_headers_are_set(client):
    response = client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
