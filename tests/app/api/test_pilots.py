"""The pilots and approvals APIs: a gate decision proposed, approved by both agencies, with its trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import GateReview, Pilot, PilotCriterion, utcnow
from tests.factories import make_agreement, make_commodity, make_measure, make_rule, make_site


@pytest.fixture
def pilot(db_session):
    make_commodity(db_session, "berries")
    make_site(db_session, kind="port", code="US-OTAY-A")
    agreement = make_agreement(db_session, code="MR-PA")
    make_rule(db_session, agreement, code="MR-PA-01", commodities=["berries"], ports=["US-OTAY-A"])
    measure = make_measure(db_session, agreement, "waived_share", target=60)
    pilot = Pilot(code="PIL-A", agreement=agreement, corridor="Juárez–El Paso", name_en="A", name_es="A",
                  ports=["US-OTAY-A"], sites=[], sectors=["automotive"], starts_on=utcnow().date() - timedelta(days=60),
                  phase=1, status="running")
    pilot.criteria.append(PilotCriterion(measure=measure))
    pilot.gates.append(GateReview(phase=1, due_on=utcnow().date(), status="scheduled", next_phase=[]))
    db_session.add(pilot)
    db_session.commit()
    return pilot


def test_pilots_are_read_by_staff(client_as, pilot):
    [found] = client_as("supervisor").get("/api/v1/pilots").json
    assert (found["code"], found["corridor"], found["sectors"]) == ("PIL-A", "Juárez–El Paso", ["automotive"])
    assert found["criteria"][0]["metric"] == "waived_share" and found["gates"][0]["status"] == "scheduled"
    assert client_as("exporter").get("/api/v1/pilots").status_code == 403
    assert client_as("supervisor").get("/api/v1/pilots/PIL-NONE").status_code == 404


def test_a_gate_decision_is_proposed_then_approved_by_the_other_agency(client_as, pilot, approver_client):
    coordinator = client_as("coordinator")
    url = "/api/v1/pilots/PIL-A/gates/1/decision"
    assert coordinator.post(url, json={"decision": "maybe"}).status_code == 422
    no_notes = coordinator.post(url, json={"decision": "stop"})
    assert no_notes.status_code == 422 and "notes" in no_notes.json["errors"]["json"]
    assert client_as("supervisor").post(url, json={"decision": "pass"}).status_code == 403
    proposed = coordinator.post(url, json={"decision": "pass", "notes": "ready"})
    assert proposed.status_code == 202 and proposed.json["kind"] == "gate_decision"
    assert coordinator.post(url, json={"decision": "pass"}).status_code == 422  # already proposed
    pending = client_as("supervisor").get("/api/v1/approvals?status=pending").json
    assert [p["id"] for p in pending] == [proposed.json["id"]]
    same = approver_client("APHIS").post(f"/api/v1/approvals/{proposed.json['id']}/approve", json={})
    assert same.status_code == 422 and "proposal" in same.json["errors"]["json"]
    approved = approver_client("SENASICA").post(f"/api/v1/approvals/{proposed.json['id']}/approve", json={})
    assert approved.status_code == 200 and approved.json["status"] == "effective"
    assert [(a["agency"], a["user"]) for a in approved.json["approvals"]] == [("APHIS", "Test coordinator"),
                                                                            ("SENASICA", "Test supervisor")]
    assert client_as("supervisor").get("/api/v1/pilots/PIL-A").json["phase"] == 2
    again = approver_client("SENASICA").post(f"/api/v1/approvals/{proposed.json['id']}/approve", json={})
    assert again.status_code == 409
    assert client_as("supervisor").get("/api/v1/approvals/999999").status_code == 404
    assert client_as("supervisor").get("/api/v1/approvals?agreement=MR-NONE").status_code == 404


def test_only_the_proposer_withdraws(client_as, pilot, approver_client):
    proposed = client_as("coordinator").post("/api/v1/pilots/PIL-A/gates/1/decision",
                                             json={"decision": "extend", "notes": "one more season",
                                                   "extend_to": (utcnow().date() + timedelta(days=90)).isoformat()})
    assert proposed.status_code == 202
    url = f"/api/v1/approvals/{proposed.json['id']}/withdraw"
    assert approver_client("SENASICA").post(url).status_code == 422
    withdrawn = client_as("coordinator").post(url)
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    # The gate can be reviewed again.
    assert client_as("supervisor").get("/api/v1/pilots/PIL-A").json["gates"][0]["status"] == "scheduled"
