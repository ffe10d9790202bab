"""The agreements, rules, milestones and metrics API: status codes, named fields and roles."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from app.models import Agreement, Rule
from tests.factories import (
    count, make_agreement, make_commodity, make_decision, make_measure, make_milestone, make_shipment, make_rule,
    make_released, make_site,
)


@pytest.fixture
def agreement(db_session):
    agreement = make_agreement(db_session, code="MR-API")
    make_commodity(db_session, "avocado")
    make_rule(db_session, agreement, code="MR-API-01", max_hours_before_crossing=48)
    db_session.commit()
    return agreement


@pytest.fixture
def coordinator(client_as):
    return client_as("coordinator")


def test_create_agreement_201_and_422_naming_the_field(coordinator, db_session):
    created = coordinator.post("/api/v1/agreements", json={"code": "MR-API-NEW", "title": "New"})
    assert created.status_code == 201
    assert (created.json["status"], created.json["version_id"]) == ("draft", 1)
    before = count(db_session, Agreement)
    for body, field in (({"code": "MR-X"}, "title"), ({"code": "bad code", "title": "T"}, "code"),
                        ({"code": "MR-API-NEW", "title": "Again"}, "code"),
                        ({"code": "MR-Y", "title": "T", "colour": "red"}, "colour")):
        refused = coordinator.post("/api/v1/agreements", json=body)
        assert refused.status_code == 422, body
        assert field in str(refused.json["errors"]), refused.json
    assert count(db_session, Agreement) == before


@pytest.mark.parametrize(("role", "read", "write"), [
    ("coordinator", 200, 201), ("admin", 200, 201), ("supervisor", 200, 403),
    ("exporter", 403, 403), ("inspector", 403, 403), ("officer", 403, 403),
])
def test_roles(client_as, agreement, role, read, write):
    client = client_as(role)
    assert client.get("/api/v1/agreements").status_code == read
    assert client.get("/api/v1/rules").status_code == read
    assert client.get("/api/v1/metrics/performance").status_code == read
    assert client.post("/api/v1/agreements", json={"code": f"MR-{role.upper()}", "title": "T"}).status_code == write
    assert client.post("/api/v1/agreements/MR-API/milestones",
                       json={"title": "T", "owner_agency": "JOINT", "due_on": "2027-05-01"}).status_code == write


def test_anonymous_gets_401(client, agreement):
    for path in ("/api/v1/agreements", "/api/v1/rules", "/api/v1/metrics/avoided?by=port"):
        assert client.get(path).status_code == 401


def approve(client, proposal: dict) -> dict:
    approved = client.post(f"/api/v1/approvals/{proposal['id']}/approve", json={"version_id": proposal["version_id"]})
    assert approved.status_code == 200, approved.json
    return approved.json


def test_status_change_with_stale_version_is_409(coordinator, agreement, db_session, approver_client):
    body = {"status": "suspended", "on": "2027-02-11", "reason": "security incident in Uruapan", "version_id": 1}
    proposed = coordinator.post("/api/v1/agreements/MR-API/status", json=body)
    assert proposed.status_code == 202
    assert (proposed.json["status"], proposed.json["waiting_for"]) == ("pending", ["SENASICA"])
    assert db_session.scalar(sa.select(Agreement.status).where(Agreement.code == "MR-API")) == "active"
    assert approve(approver_client("SENASICA"), proposed.json)["status"] == "effective"
    changed = coordinator.get("/api/v1/agreements/MR-API").json
    assert (changed["status"], changed["status_reason"], changed["version_id"]) == (
        "suspended", "security incident in Uruapan", 2)
    stale = coordinator.post("/api/v1/agreements/MR-API/status", json={**body, "status": "active", "version_id": 1})
    assert stale.status_code == 409 and "version_id" in stale.json["errors"]["json"]
    assert db_session.scalar(sa.select(Agreement.status).where(Agreement.code == "MR-API")) == "suspended"


def test_status_change_refusals_name_the_field(coordinator, agreement):
    url = "/api/v1/agreements/MR-API/status"
    no_reason = coordinator.post(url, json={"status": "suspended", "on": "2027-02-11", "version_id": 1})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]["json"]
    forbidden = coordinator.post(url, json={"status": "draft", "on": "2027-02-11", "version_id": 1})
    assert forbidden.status_code == 422 and "status" in forbidden.json["errors"]["json"]
    assert coordinator.post("/api/v1/agreements/MR-NONE/status",
                            json={"status": "active", "on": "2027-02-11", "version_id": 1}).status_code == 404


def test_rule_versions(coordinator, agreement, db_session, approver_client):
    body = {"based_on_version": 1, "max_hours_before_crossing": 24, "change_note": "24 h"}
    proposed = coordinator.post("/api/v1/rules/MR-API-01/versions", json=body)
    assert proposed.status_code == 202 and proposed.json["kind"] == "rule_version"
    assert coordinator.post("/api/v1/rules/MR-API-01/versions", json=body).status_code == 409  # one at a time
    assert approve(approver_client("SENASICA"), proposed.json)["outcome"] == "Rule MR-API-01 is now at version 2."
    created = coordinator.get("/api/v1/rules/MR-API-01/versions").json[-1]
    assert (created["version"], created["max_hours_before_crossing"], created["current"]) == (2, 24, True)
    assert coordinator.post("/api/v1/rules/MR-API-01/versions", json=body).status_code == 409
    current = coordinator.get("/api/v1/rules").json
    assert [(r["code"], r["version"]) for r in current] == [("MR-API-01", 2)]
    every = coordinator.get("/api/v1/rules?all_versions=true").json
    assert [(r["version"], r["current"]) for r in every] == [(1, False), (2, True)]
    versions = coordinator.get("/api/v1/rules/MR-API-01/versions").json
    assert [v["max_hours_before_crossing"] for v in versions] == [48, 24]
    assert coordinator.get("/api/v1/rules/MR-NONE/versions").status_code == 404


def test_rule_version_refusals(coordinator, agreement, db_session):
    url = "/api/v1/rules/MR-API-01/versions"
    bad = coordinator.post(url, json={"based_on_version": 1, "commodities": ["durian"], "change_note": "x"})
    assert bad.status_code == 422 and "commodities" in bad.json["errors"]["json"]
    unknown = coordinator.post(url, json={"based_on_version": 1, "colour": "red", "change_note": "x"})
    assert unknown.status_code == 422 and "colour" in unknown.json["errors"]["json"]
    assert count(db_session, Rule) == 1


def test_create_rule(coordinator, agreement, db_session, approver_client):
    body = {"agreement": "MR-API", "code": "MR-API-02", "commodities": ["avocado"], "valid_from": "2027-01-01",
            "requires_certifications": ["c-tpat"]}
    proposed = coordinator.post("/api/v1/rules", json=body)
    assert proposed.status_code == 202 and proposed.json["payload"]["fields"]["requires_certifications"] == ["CTPAT"]
    approve(approver_client("SENASICA"), proposed.json)
    created = coordinator.get("/api/v1/rules/MR-API-02/versions").json
    assert [(r["version"], r["requires_certifications"]) for r in created] == [(1, ["CTPAT"])]
    assert coordinator.post("/api/v1/rules", json=body).status_code == 422
    unknown = coordinator.post("/api/v1/rules", json={**body, "code": "MR-API-03", "requires_certifications": ["ISO"]})
    assert unknown.status_code == 422 and "requires_certifications" in unknown.json["errors"]["json"]


def test_milestones(coordinator, agreement, db_session, approver_client):
    created = coordinator.post("/api/v1/agreements/MR-API/milestones",
                               json={"title": "Train officers", "owner_agency": "CBP", "due_on": "2020-05-01",
                                     "gates": ["MR-API-01"]})
    assert created.status_code == 201 and created.json["overdue"] is True and created.json["gates"] == ["MR-API-01"]
    listed = coordinator.get("/api/v1/agreements/MR-API/milestones").json
    assert [m["title"] for m in listed] == ["Train officers"]
    url = f"/api/v1/milestones/{created.json['id']}"
    directly = coordinator.patch(url, json={"status": "done", "completed_on": "2020-04-30"})
    assert directly.status_code == 422 and "status" in directly.json["errors"]["json"]
    future = coordinator.post(f"{url}/completion", json={"completed_on": "2999-01-01"})
    assert future.status_code == 422 and "completed_on" in future.json["errors"]["json"]
    # A CBP task: CBP approves for the US side, SENASICA for Mexico's; the APHIS coordinator only proposes.
    proposed = coordinator.post(f"{url}/completion", json={"completed_on": "2020-04-30"})
    assert proposed.status_code == 202 and proposed.json["waiting_for"] == ["CBP", "SENASICA"]
    approve(approver_client("CBP"), proposed.json)
    done = approve(approver_client("SENASICA"), coordinator.get(f"/api/v1/approvals/{proposed.json['id']}").json)
    assert done["status"] == "effective" and [a["agency"] for a in done["approvals"]] == ["CBP", "SENASICA"]
    milestone = coordinator.get("/api/v1/agreements/MR-API/milestones").json[0]
    assert (milestone["status"], milestone["completed_on"], milestone["overdue"]) == ("done", "2020-04-30", False)
    assert coordinator.patch(url, json={"status": "finished"}).status_code == 422
    assert coordinator.patch("/api/v1/milestones/999999", json={"status": "done"}).status_code == 404
    missing = coordinator.post("/api/v1/agreements/MR-API/milestones", json={"title": "T", "owner_agency": "CBP"})
    assert missing.status_code == 422 and "due_on" in missing.json["errors"]["json"]


def test_supervisor_cannot_patch_milestones(client_as, agreement, db_session):
    milestone = make_milestone(db_session, agreement)
    db_session.commit()
    assert client_as("supervisor").patch(f"/api/v1/milestones/{milestone.id}",
                                         json={"status": "in_progress"}).status_code == 403


def test_metrics_endpoints(client_as, agreement, db_session):
    make_measure(db_session, agreement, "waived_share", target=60, baseline=0)
    rule = db_session.scalar(sa.select(Rule).where(Rule.code == "MR-API-01"))
    port = make_site(db_session, kind="port", code="US-API-PORT")
    for decision in ("waived", "waived", "waived", "required"):
        make_released(db_session, datetime(2027, 3, 5, 12, tzinfo=timezone.utc), decision, port=port,
                      **({"rule": rule} if decision == "waived" else {}))
    # Still on its way, its border inspection waived by its joint inspection: only a forecast.
    make_decision(db_session, make_shipment(db_session, port=port, status="sealed"), "waived", basis="inspection",
                  decided_at=datetime(2027, 3, 5, 12, tzinfo=timezone.utc))
    db_session.commit()
    client = client_as("supervisor")
    performance = client.get("/api/v1/metrics/performance?period=month&on=2027-03-15&trend=2")
    assert performance.status_code == 200
    [share] = performance.json
    assert (share["value"], share["target"], share["met"], share["unit"]) == (75.0, 60.0, True, "%")
    assert share["numbers"]["share"] == 0.75 and share["period"]["from"] == "2027-03-01"
    assert share["baseline"] == 0 and [t["value"] for t in share["trend"]] == [None, 75.0]
    avoided = client.get("/api/v1/metrics/avoided?by=port&from=2027-03-01&to=2027-03-31")
    assert avoided.status_code == 200
    assert [(r["key"], r["waived"], r["required"]) for r in avoided.json["rows"]] == [("US-API-PORT", 3, 1)]
    assert (avoided.json["realised"]["waived"], avoided.json["realised"]["required"]) == (3, 1)
    assert "forecast" in avoided.json
    assert client.get("/api/v1/metrics/avoided?by=exporter").status_code == 422
    assert client.get("/api/v1/metrics/avoided?by=port&from=2027-03-01").status_code == 422
    assert client.get("/api/v1/metrics/performance?period=decade").status_code == 422
    assert client.get("/api/v1/metrics/performance?agreement=MR-NONE").status_code == 404


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for path in ("/api/v1/agreements", "/api/v1/agreements/{code}/status", "/api/v1/rules/{code}/versions",
                 "/api/v1/milestones/{milestone_id}", "/api/v1/metrics/performance", "/api/v1/metrics/avoided"):
        assert path in paths
    assert "409" in paths["/api/v1/agreements/{code}/status"]["post"]["responses"]
