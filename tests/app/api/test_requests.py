"""The requests API: create, list, change and cancel with company scoping, optimistic versions and the pre-check."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.models import Shipment
from tests.factories import (
    count, make_agreement, make_certification, make_commodity, make_shipment, make_rule, make_site, make_user,
)

BODY = {
    "commodity": "avocado", "quantity": 20, "quantity_unit": "pallets", "origin_state": "MIC",
    "packhouse": "Empaque Los Cedros", "port": "US-PHARR", "ready": "2027-03-03T08:00:00-06:00",
    "arrive_port": "2027-03-04T06:00:00-06:00", "cross_by": "2027-03-05T18:00:00-06:00", "sites": ["MX-URUAPAN"],
}


@pytest.fixture
def world(db_session, users):
    make_commodity(db_session, "avocado")
    port = make_site(db_session, kind="port", code="US-PHARR", name="Pharr", timezone="America/Chicago", state="TX")
    make_site(db_session, code="MX-URUAPAN", name="Uruapan")
    db_session.commit()
    return {"session": db_session, "port": port, "exporter": users["exporter"]}


def _own(world, **fields) -> Shipment:
    request = make_shipment(world["session"], exporter=world["exporter"].exporter, port=world["port"], **fields)
    world["session"].commit()
    return request


def test_an_exporter_creates_a_request(client_as, world):
    response = client_as("exporter").post("/api/v1/requests", json=BODY)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["reference"].startswith("JI-") and body["status"] == "requested"
    assert body["exporter"] == world["exporter"].exporter.code
    assert body["cross_by"] == "2027-03-05T18:00:00-06:00"
    assert body["sites"] == ["MX-URUAPAN"] and body["inspection_minutes"] == 90
    assert response.headers["Location"] == f"/api/v1/requests/{body['id']}"
    assert response.headers["ETag"] == f'"{body["version_id"]}"'


@pytest.mark.parametrize("changes, field", [
    ({"ready": "2027-03-03T08:00:00"}, "ready"),  # a time without an offset
    ({"cross_by": "2027-03-02T18:00:00-06:00"}, "cross_by"),
    ({"port": "US-NOWHERE"}, "port"),
    ({"quantity": 0}, "quantity"),
    ({"quantity": "20"}, "quantity"),
    ({"exporter": "SOMEONE-ELSE"}, "exporter"),  # the owner comes from the session, never the body
    ({"sites": ["US-PHARR"]}, "sites"),
])
def test_bad_input_is_refused_with_the_field_named_and_nothing_created(client_as, world, changes, field):
    response = client_as("exporter").post("/api/v1/requests", json=BODY | changes)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]
    assert count(world["session"], Shipment) == 0


def test_a_missing_field_is_named(client_as, world):
    response = client_as("exporter").post("/api/v1/requests", json={k: v for k, v in BODY.items() if k != "packhouse"})
    assert response.status_code == 422 and "packhouse" in response.json["errors"]["json"]


@pytest.mark.parametrize("role", ["coordinator", "supervisor", "inspector", "officer", "admin"])
def test_only_exporters_create_requests(client_as, world, role):
    assert client_as(role).post("/api/v1/requests", json=BODY).status_code == 403
    assert count(world["session"], Shipment) == 0


def test_the_list_is_scoped_filtered_and_paginated(client_as, world, users):
    start = datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)
    for n in range(5):
        _own(world, reference=f"OWN-{n}", ready=start + timedelta(days=n), status="requested" if n else "cancelled")
    make_shipment(world["session"], port=world["port"], reference="THEIRS")
    world["session"].commit()
    client = client_as("exporter")
    page = client.get("/api/v1/requests?page_size=2&page=2").json
    assert (page["total"], page["pages"], [r["reference"] for r in page["items"]]) == (5, 3, ["OWN-2", "OWN-1"])
    assert [r["reference"] for r in client.get("/api/v1/requests?status=cancelled").json["items"]] == ["OWN-0"]
    dated = client.get("/api/v1/requests?from=2027-03-03&to=2027-03-04").json["items"]
    assert [r["reference"] for r in dated] == ["OWN-3", "OWN-2"]
    assert client.get("/api/v1/requests?status=lost").status_code == 422
    assert client_as("coordinator").get("/api/v1/requests").json["total"] == 6
    assert client_as("inspector").get("/api/v1/requests").status_code == 403


@pytest.mark.parametrize("method, path", [
    ("get", "/api/v1/requests/{id}"), ("patch", "/api/v1/requests/{id}"), ("post", "/api/v1/requests/{id}/cancel"),
])
def test_another_companys_request_is_not_found(client_as, world, method, path):
    theirs = make_shipment(world["session"], exporter=make_user(world["session"]).exporter, port=world["port"])
    world["session"].commit()
    response = getattr(client_as("exporter"), method)(path.format(id=theirs.id),
                                                      json={"version_id": theirs.version_id})
    assert response.status_code == 404
    world["session"].expire_all()
    assert world["session"].get(Shipment, theirs.id).status == "requested"


def test_staff_read_any_request_but_do_not_change_it(client_as, world):
    mine = _own(world)
    coordinator = client_as("coordinator")
    assert coordinator.get(f"/api/v1/requests/{mine.id}").status_code == 200
    assert coordinator.patch(f"/api/v1/requests/{mine.id}", json={"packhouse": "X", "version_id": 1}).status_code == 403


def test_patch_with_if_match_changes_and_a_stale_version_is_a_conflict(client_as, world):
    mine = _own(world)
    client = client_as("exporter")
    etag = client.get(f"/api/v1/requests/{mine.id}").headers["ETag"]
    changed = client.patch(f"/api/v1/requests/{mine.id}", json={"packhouse": "Empaque Nuevo"}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.json["packhouse"] == "Empaque Nuevo"
    assert changed.headers["ETag"] != etag
    stale = client.patch(f"/api/v1/requests/{mine.id}", json={"packhouse": "Lost update"}, headers={"If-Match": etag})
    assert stale.status_code == 409
    assert "version_id" in stale.json["errors"]["json"]
    assert client.patch(f"/api/v1/requests/{mine.id}", json={"packhouse": "No version"}).status_code == 428
    world["session"].expire_all()
    assert world["session"].get(Shipment, mine.id).packhouse == "Empaque Nuevo"


def test_patch_refuses_bad_values_by_field(client_as, world):
    mine = _own(world)
    response = client_as("exporter").patch(f"/api/v1/requests/{mine.id}",
                                           json={"cross_by": "2027-02-01T00:00:00-06:00", "version_id": mine.version_id})
    assert response.status_code == 422 and "cross_by" in response.json["errors"]["json"]


def test_cancel_then_change_is_a_conflict(client_as, world):
    mine = _own(world)
    client = client_as("exporter")
    cancelled = client.post(f"/api/v1/requests/{mine.id}/cancel", json={"version_id": mine.version_id, "reason": "no truck"})
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    again = client.post(f"/api/v1/requests/{mine.id}/cancel", json={"version_id": cancelled.json["version_id"]})
    assert again.status_code == 409


def test_the_precheck_returns_codes_and_texts(client_as, world):
    session = world["session"]
    agreement = make_agreement(session)
    make_rule(session, agreement, code="MR-AVO-01", requires_certifications=["OEA"], max_hours_before_crossing=48)
    make_rule(session, agreement, code="MR-AVO-02", ports=["US-NOGALES"])
    make_certification(session, world["exporter"].exporter, "OEA", valid_until=date(2028, 1, 1))
    session.commit()
    body = client_as("exporter").post("/api/v1/precheck", json=BODY).json
    assert body["waivable"] is True
    first, second = body["assessments"]
    assert first["rule"] == "MR-AVO-01" and first["qualifies"] and first["earliest_end"] == "2027-03-03T18:00:00-06:00"
    assert first["text"].startswith("This shipment will be waived at Pharr under rule MR-AVO-01")
    assert second["missing"][0]["code"] == "port_not_covered"
    assert count(session, Shipment) == 0


def test_the_precheck_refuses_unknown_fields(client_as, world):
    response = client_as("exporter").post("/api/v1/precheck", json=BODY | {"colour": "green"})
    assert response.status_code == 422 and "colour" in response.json["errors"]["json"]


def test_the_requests_api_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert {"/api/v1/requests", "/api/v1/requests/{request_id}", "/api/v1/requests/{request_id}/cancel",
            "/api/v1/precheck"} <= set(paths)
    assert "409" in paths["/api/v1/requests/{request_id}"]["patch"]["responses"]


def test_if_match_wins_over_a_version_in_the_body(client_as, world):
    mine = _own(world)
    response = client_as("exporter").patch(f"/api/v1/requests/{mine.id}", headers={"If-Match": f'W/"{mine.version_id}"'},
                                           json={"packhouse": "Both given", "version_id": 999})
    assert response.status_code == 200 and response.json["packhouse"] == "Both given"


def test_a_retried_create_with_the_same_idempotency_key_creates_once(client_as, world, db_session):
    client = client_as("exporter")
    body = {**BODY, "packhouse": "Empaque reintento"}
    first = client.post("/api/v1/requests", json=body, headers={"Idempotency-Key": "retry-1"})
    assert first.status_code == 201, first.json
    again = client.post("/api/v1/requests", json=body, headers={"Idempotency-Key": "retry-1"})
    assert again.status_code == 201
    assert again.json == first.json
    assert again.headers.get("Idempotent-Replayed") == "true"
    count = db_session.scalar(sa.select(sa.func.count()).select_from(Shipment)
                              .where(Shipment.packhouse == body["packhouse"]))
    assert count == 1
    changed = client.post("/api/v1/requests", json={**body, "quantity": body["quantity"] + 1},
                          headers={"Idempotency-Key": "retry-1"})
    assert changed.status_code == 422
