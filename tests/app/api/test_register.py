"""The register, seal stock and chain APIs: roles, named fields, all-or-nothing files, owners only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import AuditEntry

from tests.factories import make_exporter, make_party, make_register, make_shipment, make_site

ROLES = ("exporter", "coordinator", "inspector", "officer", "supervisor", "admin")


@pytest.fixture
def register(db_session, users):
    make_register(db_session)
    make_exporter(db_session, code="EXP-API")
    make_party(db_session, "carrier", code="CAR-API")
    make_site(db_session, code="MX-API-SITE")
    db_session.commit()


@pytest.mark.parametrize("role", ROLES)
def test_roles(client_as, register, role):
    client = client_as(role)
    reads = client.get("/api/v1/register/statuses").status_code
    assert reads == (200 if role in ("coordinator", "supervisor", "admin", "officer") else 403)
    status = {"program": "OEA", "holder": "EXP-API", "certificate_id": f"OEA-{role}", "valid_until": "2029-01-01"}
    assert client.post("/api/v1/register/statuses", json=status).status_code == (
        200 if role in ("coordinator", "admin") else 403)


def test_programs_and_the_arrangement(client_as, register):
    client = client_as("officer")
    programs = {p["code"]: p for p in client.get("/api/v1/register/programs").json}
    assert programs["CTPAT"]["has_expiry"] is False and "C-TPAT" in programs["CTPAT"]["aliases"]
    [arrangement] = client.get("/api/v1/register/arrangements").json
    assert arrangement["programs"] == ["CTPAT", "OEA"] and arrangement["signed_on"] == "2014-10-17"


def test_a_status_by_api_is_checked_audited_and_versioned(client_as, register, db_session):
    client = client_as("coordinator")
    body = {"program": "C-TPAT", "holder": "car-api", "certificate_id": "CTPAT-HC-1", "status": "validated"}
    created = client.post("/api/v1/register/statuses", json=body)
    assert created.status_code == 200 and (created.json["program"], created.json["holder"]) == ("CTPAT", "CAR-API")
    suspended = client.post("/api/v1/register/statuses", json={
        **body, "status": "suspended", "status_since": "2027-03-01", "status_reason": "audit",
        "version_id": created.json["version_id"]})
    assert suspended.status_code == 200 and suspended.json["status"] == "suspended"
    stale = client.post("/api/v1/register/statuses", json={**body, "version_id": created.json["version_id"]})
    assert stale.status_code == 409
    for bad, field in (({"status": "lapsed"}, "status"), ({"colour": "red"}, "colour"),
                       ({"valid_until": "2030-01-01"}, "valid_until"), ({"holder": "NOBODY"}, "holder")):
        refused = client.post("/api/v1/register/statuses", json={**body, **bad})
        assert refused.status_code == 422 and field in refused.json["errors"]["json"], bad
    listed = client.get("/api/v1/register/statuses?holder=CAR-API").json
    assert [(e["certificate_id"], e["status"]) for e in listed] == [("CTPAT-HC-1", "suspended")]
    assert client.get("/api/v1/register/statuses?holder=NOBODY").status_code == 404
    actions = db_session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_type == "Certification")).all()
    assert actions == ["register.status_recorded", "register.status_changed"]


def test_a_register_file_by_api_is_all_or_nothing(client_as, register):
    client = client_as("coordinator")
    text = "program,holder,certificate_id,status,valid_until\nOEA,EXP-API,OEA-F1,certified,2029-01-01\n"
    assert client.post("/api/v1/register/statuses/import", json={"csv": text}).json == {
        "created": 1, "updated": 0, "unchanged": 0}
    refused = client.post("/api/v1/register/statuses/import",
                          json={"csv": text + "OEA,EXP-API,OEA-F2,certified,never\n"})
    assert refused.status_code == 422 and "line 3.valid_until" in refused.json["errors"]["json"]
    assert len(client.get("/api/v1/register/statuses?holder=EXP-API").json) == 1


def test_parties(client_as, register):
    client = client_as("coordinator")
    body = {"code": "IMP-API", "kind": "importer", "name": "Importer LLC", "country": "US", "identifier": "12-3456789"}
    assert client.post("/api/v1/register/parties", json=body).status_code == 201
    again = client.post("/api/v1/register/parties", json=body)
    assert again.status_code == 422 and "code" in again.json["errors"]["json"]
    assert client_as("supervisor").post("/api/v1/register/parties", json=body).status_code == 403


def test_seal_stock(client_as, register):
    client = client_as("coordinator")
    body = {"site": "MX-API-SITE", "issuer": "CBP", "iso_class": "H", "prefix": "API", "first": 1, "last": 100,
            "digits": 6}
    issued = client.post("/api/v1/seal-stock", json=body)
    assert issued.status_code == 201 and (issued.json["first_number"], issued.json["last_number"]) == (
        "API000001", "API000100")
    overlap = client.post("/api/v1/seal-stock", json={**body, "first": 50, "last": 150})
    assert overlap.status_code == 422 and "first" in overlap.json["errors"]["json"]
    assert client.post("/api/v1/seal-stock", json={**body, "site": "NOWHERE"}).status_code == 422
    assert client.post("/api/v1/seal-stock", json={**body, "iso_class": "Z"}).status_code == 422
    assert [s["site"] for s in client_as("supervisor").get("/api/v1/seal-stock?site=MX-API-SITE").json] == [
        "MX-API-SITE"]
    assert client_as("supervisor").post("/api/v1/seal-stock", json=body).status_code == 403


def test_a_requests_chain_is_named_by_its_exporter_only(client_as, register, db_session, users):
    own = make_shipment(db_session, exporter=users["exporter"].exporter)
    other = make_shipment(db_session)
    db_session.commit()
    exporter = client_as("exporter")
    named = exporter.put(f"/api/v1/requests/{own.id}/parties", json={"carrier": "car-api"})
    assert named.status_code == 200 and named.json["parties"]["carrier"]["code"] == "CAR-API"
    wrong = exporter.put(f"/api/v1/requests/{own.id}/parties", json={"driver": "CAR-API"})
    assert wrong.status_code == 422 and "driver" in wrong.json["errors"]["json"]
    assert exporter.put(f"/api/v1/requests/{own.id}/parties", json={"pilot": "X"}).status_code == 422
    assert exporter.put(f"/api/v1/requests/{other.id}/parties", json={"carrier": "CAR-API"}).status_code == 404
    assert client_as("coordinator").get(f"/api/v1/requests/{own.id}/parties").json["parties"]["carrier"]["code"] == \
        "CAR-API"
    assert client_as("coordinator").put(f"/api/v1/requests/{own.id}/parties", json={}).status_code == 403
