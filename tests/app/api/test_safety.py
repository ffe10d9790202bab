"""The safety API: officers record interceptions, supervisors lift suspensions, exporters see their own."""

from __future__ import annotations

import pytest

from app.models import Suspension
from tests.factories import make_user

from ..services.border.safety_scenario import at_the_border


@pytest.fixture
def queued(db_session, users):
    scenario = at_the_border(db_session, users, "NOGA-650001", verification_rate=1.0)
    db_session.commit()
    return scenario


def intercept(client, scenario, **finding):
    body = {"organism": "heilipus_lauri", "life_stage": "larva", "count": 3, "action": "destroyed",
            "sent_to_lab": True} | finding
    return client.post(f"/api/v1/requests/{scenario.request.id}/interceptions", json={"interceptions": [body]})


def test_officer_records_a_failed_border_inspection_and_its_pests(client_as, queued):
    officer = client_as("officer")
    assert intercept(officer, queued).status_code == 422  # no border inspection yet
    result = officer.post(f"/api/v1/requests/{queued.request.id}/border-result",
                          json={"result": "fail", "findings": "Larvae in the seed.", "pests_found": True})
    assert result.status_code == 200, result.json
    created = intercept(officer, queued)
    assert created.status_code == 201, created.json
    [row] = created.json
    assert (row["organism"], row["scientific_name"], row["count"], row["actionable"]) == (
        "heilipus_lauri", "Heilipus lauri", 3, True)
    assert client_as("exporter").get(f"/api/v1/requests/{queued.request.id}/interceptions").json[0]["id"] == row["id"]
    notice = officer.get(f"/api/v1/requests/{queued.request.id}/emergency-action-notice")
    assert notice.status_code == 200 and notice.json["to"]["authority"] == "SENASICA"
    xml = officer.get(f"/api/v1/requests/{queued.request.id}/emergency-action-notice?format=xml")
    assert xml.mimetype == "application/xml" and b"<Organism>Heilipus lauri</Organism>" in xml.data


@pytest.mark.parametrize(("finding", "field"), [
    ({"organism": "no_such_pest"}, "organism"), ({"count": 0}, "count"),
    ({"action": "released_after_treatment"}, "action"),
])
def test_bad_interceptions_are_refused_naming_the_field(client_as, queued, finding, field):
    officer = client_as("officer")
    officer.post(f"/api/v1/requests/{queued.request.id}/border-result", json={"result": "fail", "findings": "x"})
    refused = intercept(officer, queued, **finding)
    assert refused.status_code == 422 and any(field in key for key in refused.json["errors"]["json"])
    assert client_as("officer").get(f"/api/v1/requests/{queued.request.id}/interceptions").json == []


def test_two_agencies_lift_and_a_second_lift_by_the_same_agency_is_refused(app, client_as, db_session, users):
    officer = client_as("officer")
    for number in ("NOGA-650011", "NOGA-650012"):
        scenario = at_the_border(db_session, users, number, verification_rate=1.0)
        db_session.commit()
        officer.post(f"/api/v1/requests/{scenario.request.id}/border-result", json={"result": "fail", "findings": "x"})
        assert intercept(officer, scenario).status_code == 201
    suspension = db_session.query(Suspension).filter_by(scope="exporter").first()
    assert suspension is not None
    for name, agency in (("api-sup-aphis", "APHIS"), ("api-sup-aphis-2", "APHIS"), ("api-sup-sen", "SENASICA")):
        make_user(db_session, role="supervisor", username=name, agency=agency)
    db_session.commit()

    def lift_as(username):
        client = app.test_client()
        client.post("/login", data={"username": username, "password": "jointinspect-demo"})
        return client.post(f"/api/v1/suspensions/{suspension.id}/lift", json={"reason": "Traps clean for 30 days."})

    assert lift_as("api-sup-aphis").json["signed_by"] == ["APHIS"]
    assert lift_as("api-sup-aphis-2").status_code == 409
    lifted = lift_as("api-sup-sen")
    assert lifted.status_code == 200 and lifted.json["in_force"] is False
    mine = client_as("exporter").get("/api/v1/suspensions").json
    assert [s["id"] for s in mine] and all("probability" not in str(s) for s in mine)


def test_safety_metrics_answer_with_intervals(client_as):
    response = client_as("supervisor").get("/api/v1/metrics/safety?period=year")
    assert response.status_code == 200
    assert set(response.json["overall"]) >= {"verified", "inspected", "difference"}
    assert client_as("exporter").get("/api/v1/metrics/safety").status_code == 403
