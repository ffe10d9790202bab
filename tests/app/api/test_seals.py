"""The seal and border decision API: results, verification, electronic seal events, decision trails."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import Seal, utcnow
from app.services.border import overview as seals
from tests.factories import count, make_inspector, make_site, make_user

from ..services.border.seal_scenario import READY, seal_scenario


@pytest.fixture
def scenario(db_session, users):
    return seal_scenario(db_session, users)


def post_result(client, scenario, **body):
    payload = {"result": "pass", "findings": None, "seals": [{"number": "NOGA-123456", "kind": "mechanical"}]} | body
    return client.post(f"/api/v1/inspections/{scenario.inspection.id}/result", json=payload)


def test_inspector_records_a_sealed_pass(client_as, scenario):
    response = post_result(client_as("inspector"), scenario)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["request"]["status"] == "sealed"
    assert body["seals"][0]["number"] == "NOGA-123456" and body["seals"][0]["status"] == "applied"
    assert body["decision"]["decision"] == "waived"
    assert (body["decision"]["rule_code"], body["decision"]["rule_version"]) == (scenario.rule.code, 2)


def test_refusals_are_422_with_the_field_named_and_change_nothing(client_as, db_session, scenario):
    client = client_as("inspector")
    failed = post_result(client, scenario, result="fail", findings="Larvae")
    assert failed.status_code == 422
    assert failed.json["errors"]["json"] == {"seals": ["A failed or held inspection cannot be sealed."]}
    duplicate = post_result(client, scenario, seals=[{"number": "NOGA-123456"}, {"number": "noga-123456"}])
    assert duplicate.status_code == 422 and "seals[1]" in duplicate.json["errors"]["json"]
    bad = post_result(client, scenario, seals=[{"number": "NO"}])
    assert bad.status_code == 422 and "seals[0]" in bad.json["errors"]["json"]
    unknown_field = post_result(client, scenario, colour="red")
    assert unknown_field.status_code == 422
    assert count(db_session, Seal) == 0
    db_session.refresh(scenario.request)
    assert scenario.request.status == "scheduled"


def test_stale_version_is_409(client_as, scenario):
    response = post_result(client_as("inspector"), scenario, version=scenario.inspection.version_id + 1)
    assert response.status_code == 409


def test_inspector_not_booked_gets_404_and_other_roles_403(app, client_as, db_session, scenario):
    make_user(db_session, role="inspector", username="test-api-stranger")
    db_session.commit()
    stranger = app.test_client()
    stranger.post("/login", data={"username": "test-api-stranger", "password": "jointinspect-demo"})
    assert post_result(stranger, scenario).status_code == 404
    assert post_result(client_as("exporter"), scenario).status_code == 403
    assert post_result(client_as("officer"), scenario).status_code == 403


def test_unauthenticated_calls_get_401(client, scenario):
    assert post_result(client, scenario).status_code == 401
    assert client.get(f"/api/v1/requests/{scenario.request.id}/decisions").status_code == 401


def test_officer_verifies_broken_seal_and_the_trail_shows_it(client_as, scenario):
    post_result(client_as("inspector"), scenario)
    officer = client_as("officer")
    response = officer.post(f"/api/v1/requests/{scenario.request.id}/seal-verification",
                            json={"observations": {"NOGA-123456": "broken"}, "presented": []})
    assert response.status_code == 200, response.json
    assert response.json["request"]["status"] == "at_border"
    assert response.json["seals"][0]["status"] == "broken"
    trail = officer.get(f"/api/v1/requests/{scenario.request.id}/decisions").json
    assert [(d["decision"], d["basis"]) for d in trail] == [("waived", "inspection"), ("required", "seal_verification")]
    assert trail[-1]["reasons"][0]["text"] == "seal found broken at the border; rule requires an intact seal"


def test_officer_verifies_intact_and_the_shipment_is_released(client_as, scenario):
    post_result(client_as("inspector"), scenario)
    response = client_as("officer").post(f"/api/v1/requests/{scenario.request.id}/seal-verification",
                                         json={"observations": {"NOGA-123456": "intact"}})
    assert response.status_code == 200 and response.json["request"]["status"] == "released"


def test_verification_refusals(client_as, app, db_session, scenario):
    post_result(client_as("inspector"), scenario)
    url = f"/api/v1/requests/{scenario.request.id}/seal-verification"
    officer = client_as("officer")
    missing = officer.post(url, json={"observations": {}})
    assert missing.status_code == 422 and "observations[NOGA-123456]" in missing.json["errors"]["json"]
    assert client_as("exporter").post(url, json={"observations": {}}).status_code == 403
    other = make_user(db_session, role="officer", username="test-api-other-port")
    make_inspector(db_session, "CBP", home_site=make_site(db_session, kind="port"), user_id=other.id)
    db_session.commit()
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"username": "test-api-other-port", "password": "jointinspect-demo"})
    assert elsewhere.post(url, json={"observations": {"NOGA-123456": "intact"}}).status_code == 404
    assert elsewhere.get(f"/api/v1/requests/{scenario.request.id}/seals").status_code == 404


def test_electronic_seal_opened_event_reinstates(client_as, scenario):
    post_result(client_as("inspector"), scenario, seals=[{"number": "ES00004242", "kind": "electronic"}])
    response = client_as("officer").post("/api/v1/seal-events", json={
        "seal_number": "ES00004242", "kind": "opened", "occurred_at": utcnow().isoformat(),
        "place": "Km 120 Hwy 15", "lat": 30.1, "lon": -110.9, "details": {"battery": 81}})
    assert response.status_code == 201, response.json
    assert response.json["seal"]["status"] == "broken"
    assert response.json["decision"]["basis"] == "seal_event"
    seals_now = client_as("officer").get(f"/api/v1/requests/{scenario.request.id}/seals").json
    assert [e["kind"] for e in seals_now[0]["events"]] == ["applied", "opened"]


def test_seal_event_refusals(client_as, scenario):
    post_result(client_as("inspector"), scenario, seals=[{"number": "ES00004242", "kind": "electronic"}])
    officer = client_as("officer")
    naive = officer.post("/api/v1/seal-events", json={"seal_number": "ES00004242", "kind": "opened",
                                                      "occurred_at": "2027-03-01T10:00:00"})
    assert naive.status_code == 422
    unknown = officer.post("/api/v1/seal-events", json={"seal_number": "FFFF0000", "kind": "opened",
                                                        "occurred_at": utcnow().isoformat()})
    assert unknown.status_code == 422 and "seal_number" in unknown.json["errors"]["json"]
    assert client_as("exporter").post("/api/v1/seal-events", json={}).status_code == 403


def test_exporters_see_only_their_own_decision_trail(client_as, db_session, users, scenario):
    post_result(client_as("inspector"), scenario)
    exporter = client_as("exporter")
    own = exporter.get(f"/api/v1/requests/{scenario.request.id}/decisions")
    assert own.status_code == 200 and own.json[0]["decision"] == "waived"
    other = seal_scenario(db_session, {**users, "exporter": make_user(db_session, role="exporter")},
                          ready=READY + timedelta(days=1))
    assert exporter.get(f"/api/v1/requests/{other.request.id}/decisions").status_code == 404
    assert exporter.get(f"/api/v1/requests/{other.request.id}/seals").status_code == 404


def test_exporter_cannot_call_officer_endpoints(client_as, scenario):
    exporter = client_as("exporter")
    url = f"/api/v1/requests/{scenario.request.id}"
    assert exporter.post(f"{url}/seal-verification", json={"observations": {}}).status_code == 403
    assert exporter.post(f"{url}/reinstatement", json={"reason": "x"}).status_code == 403


def test_reinstatement_through_the_api(client_as, scenario):
    post_result(client_as("inspector"), scenario)
    response = client_as("officer").post(f"/api/v1/requests/{scenario.request.id}/reinstatement",
                                         json={"reason": "Random compliance check"})
    assert response.status_code == 200
    assert response.json["decision"]["basis"] == "manual"
    assert "Random compliance check" in response.json["decision"]["reasons"][0]["text"]


def test_csrf_applies_to_cookie_authenticated_posts(app, client_as, scenario):
    client = client_as("inspector")
    app.config["WTF_CSRF_ENABLED"] = True
    assert post_result(client, scenario).status_code == 400


def test_endpoints_are_documented(client):
    paths = client.get("/api/openapi.json").json["paths"]
    result = paths["/api/v1/inspections/{inspection_id}/result"]["post"]["responses"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(result)
    assert "/api/v1/seal-events" in paths and "/api/v1/requests/{request_id}/decisions" in paths


def test_service_decision_summary_matches_api(db_session, users, scenario):
    outcome = seals.record_result(db_session, users["inspector"], scenario.inspection, "pass", None,
                                  [("NOGA-123456", "mechanical")])
    assert seals.decision_summary(outcome.decision).endswith(f"{scenario.rule.code} v2.")


def test_a_truck_later_than_its_rule_allows_is_required_with_the_hours_and_not_avoided(client_as, db_session, users):
    late = seal_scenario(db_session, users, ready=utcnow() - timedelta(days=8))
    assert post_result(client_as("inspector"), late).status_code == 200
    arrived = (late.inspection.end + timedelta(hours=144)).isoformat()
    officer = client_as("officer")
    response = officer.post(f"/api/v1/requests/{late.request.id}/seal-verification",
                            json={"observations": {"NOGA-123456": "intact"}, "arrived_at": arrived})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["request"]["status"] == "at_border" and body["request"]["arrived_at"] is not None
    assert body["decision"]["decision"] == "required"
    assert [r["text"] for r in body["decision"]["reasons"]] == [
        f"{late.rule.code}: arrived 144 h after the joint inspection; rule allows 48 h"]
    avoided = client_as("supervisor").get("/api/v1/metrics/avoided?by=port&period=year").json
    assert avoided["realised"]["waived"] == 0


def test_an_arrival_in_the_future_is_refused_naming_the_field(client_as, scenario):
    assert post_result(client_as("inspector"), scenario).status_code == 200
    future = (utcnow() + timedelta(hours=3)).isoformat()
    response = client_as("officer").post(f"/api/v1/requests/{scenario.request.id}/seal-verification",
                                         json={"observations": {"NOGA-123456": "intact"}, "arrived_at": future})
    assert response.status_code == 422 and "arrived_at" in response.json["errors"]["json"]


def test_a_request_lists_its_inspections(client_as, scenario):
    body = client_as("exporter").get(f"/api/v1/requests/{scenario.request.id}").json
    [inspection] = body["inspections"]
    assert inspection["id"] == scenario.inspection.id and inspection["kind"] == "joint_inland"
    assert inspection["site"] == scenario.site.code and inspection["status"] == "scheduled"
    assert inspection["inspectors"] == [scenario.inspector.code] and inspection["change"] is None
