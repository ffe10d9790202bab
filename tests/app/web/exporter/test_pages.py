"""What an exporter sees and does in the browser: request, pre-check, my shipments, change and cancel."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.models import Shipment
from tests.factories import (
    count, make_agreement, make_certification, make_commodity, make_decision, make_shipment, make_shipment_data,
    make_rule, make_site, make_user,
)


@pytest.fixture
def world(db_session, users):
    make_commodity(db_session, "avocado")
    berries = make_commodity(db_session, "berries")
    port = make_site(db_session, kind="port", code="US-PHARR", name="Pharr", timezone="America/Chicago", state="TX")
    make_site(db_session, code="MX-URUAPAN", name="Uruapan")
    make_site(db_session, code="MX-IRAPUATO", name="Irapuato", inspects_any=False, commodities=[berries])
    db_session.commit()
    return {"session": db_session, "port": port, "exporter": users["exporter"]}


def _own(world, **fields) -> Shipment:
    request = make_shipment(world["session"], exporter=world["exporter"].exporter, port=world["port"], **fields)
    world["session"].commit()
    return request


def test_the_form_shows_the_ports_zone_and_only_sites_for_the_commodity(client_as, world):
    page = client_as("exporter").post("/exporter/requests/new", data=make_shipment_data(world["port"], action="precheck"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "America/Chicago" in html
    assert 'type="datetime-local"' in html
    assert 'value="MX-IRAPUATO" data-commodities="berries"  hidden disabled' in html
    assert 'src="/static/js/request-form.js"' in html


def test_an_exporter_requests_an_inspection_through_the_form(client_as, world):
    response = client_as("exporter").post("/exporter/requests/new", data=make_shipment_data(
        world["port"], sites=["MX-URUAPAN"], sealable="yes", action="submit"))
    assert response.status_code == 302
    created = world["session"].scalar(sa.select(Shipment))
    assert response.headers["Location"] == f"/exporter/shipments/{created.id}"
    assert created.exporter_id == world["exporter"].exporter_id
    assert created.cross_by == datetime(2027, 3, 6, 0, 0, tzinfo=timezone.utc)
    assert created.sealable and [s.code for s in created.sites] == ["MX-URUAPAN"]


def test_an_unticked_seal_box_means_not_sealable(client_as, world):
    client_as("exporter").post("/exporter/requests/new", data=make_shipment_data(world["port"], action="submit"))
    assert world["session"].scalar(sa.select(Shipment.sealable)) is False


def test_a_refused_form_names_the_field_keeps_what_was_typed_and_creates_nothing(client_as, world):
    data = make_shipment_data(world["port"], cross_by="2027-03-02T18:00", packhouse="Empaque <Los Cedros>",
                             action="submit")
    response = client_as("exporter").post("/exporter/requests/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="cross_by" name="cross_by" type="datetime-local" required value="2027-03-02T18:00" ' \
           'aria-describedby="cross_by-error time-zone-hint" aria-invalid="true"' in html
    assert '<p class="error" id="cross_by-error">The cross-by time must be after the ready time.</p>' in html
    assert 'value="Empaque &lt;Los Cedros&gt;"' in html
    assert count(world["session"], Shipment) == 0


def test_the_precheck_button_shows_the_waiver_without_saving(client_as, world):
    session = world["session"]
    make_rule(session, make_agreement(session), code="MR-AVO-01", requires_certifications=["OEA"],
              max_hours_before_crossing=48)
    make_certification(session, world["exporter"].exporter, "OEA", valid_until=date(2028, 1, 1))
    session.commit()
    response = client_as("exporter").post("/exporter/requests/new", data=make_shipment_data(world["port"], action="precheck"))
    assert "This shipment will be waived at Pharr under rule MR-AVO-01 if the joint inspection ends after 18:00 CST" \
        in response.get_data(as_text=True)
    assert count(session, Shipment) == 0


def test_the_live_check_answers_field_errors_and_the_precheck_as_json(client_as, world):
    session = world["session"]
    make_rule(session, make_agreement(session), code="MR-AVO-01", requires_certifications=["OEA"])
    session.commit()
    answer = client_as("exporter").post("/exporter/requests/check", data=make_shipment_data(world["port"], quantity="0")).json
    assert set(answer["errors"]) == {"quantity"}
    assert answer["precheck"]["waivable"] is False
    assert answer["precheck"]["assessments"][0]["missing"][0]["code"] == "certification_missing"
    assert answer["precheck"]["assessments"][0]["missing"][0]["text"] == "exporter holds no OEA certificate"


def test_my_shipments_filter_by_status_and_date_and_paginate(client_as, world):
    start = datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)
    for n in range(23):
        _own(world, reference=f"P-{n:02d}", ready=start + timedelta(hours=n), status="requested" if n else "cancelled")
    client = client_as("exporter")
    first = client.get("/exporter/").get_data(as_text=True)
    assert "P-22" in first and "P-03" in first and "P-02" not in first
    assert "Page 1 of 2 (23 shipments)" in first
    second = client.get("/exporter/?page=2").get_data(as_text=True)
    assert "P-02" in second and "P-00" in second and "P-22" not in second
    cancelled = client.get("/exporter/?status=cancelled").get_data(as_text=True)
    assert "P-00" in cancelled and "P-01" not in cancelled
    dated = client.get("/exporter/?from=2027-03-02&to=2027-03-02").get_data(as_text=True)
    # Days in America/Mexico_City (UTC-6): 2 March starts at 06:00 UTC, P-16's ready time.
    assert "P-16" in dated and "P-15" not in dated
    assert 'href="/exporter/?page=2&amp;status=requested"' in client.get("/exporter/?status=requested").get_data(as_text=True)


def test_the_shipment_page_shows_the_decision_trail_in_the_readers_language(client_as, world, users):
    shipment = _own(world)
    make_decision(world["session"], shipment, "required", basis="plan", reasons=[
        {"code": "certification_expired", "rule": "MR-AVO-01",
         "params": {"program": "OEA", "valid_until": "2027-03-02", "cross_date": "2027-03-03"}}])
    world["session"].commit()
    client = client_as("exporter")
    html = client.get(f"/exporter/shipments/{shipment.id}").get_data(as_text=True)
    assert "MR-AVO-01: OEA certificate expires 2027-03-02, before the crossing date 2027-03-03" in html
    assert "Change this request" in html and "Cancel this shipment" in html
    client.post("/language", data={"language": "es"})
    spanish = client.get(f"/exporter/shipments/{shipment.id}").get_data(as_text=True)
    assert "OEA certificate expires" not in spanish and "MR-AVO-01: " in spanish


def test_an_exporter_changes_a_requested_shipment(client_as, world):
    shipment = _own(world)
    client = client_as("exporter")
    form = client.get(f"/exporter/shipments/{shipment.id}/edit").get_data(as_text=True)
    assert 'value="2027-03-01T08:00"' in form  # 14:00 UTC shown as Central time
    data = make_shipment_data(world["port"], packhouse="Empaque Nuevo", version_id=str(shipment.version_id), action="submit")
    response = client.post(f"/exporter/shipments/{shipment.id}/edit", data=data)
    assert response.status_code == 302
    world["session"].expire_all()
    assert world["session"].get(Shipment, shipment.id).packhouse == "Empaque Nuevo"


def test_a_stale_edit_is_refused_and_changes_nothing(client_as, world):
    shipment = _own(world)
    data = make_shipment_data(world["port"], packhouse="Late edit", version_id=str(shipment.version_id - 1), action="submit")
    client = client_as("exporter")
    response = client.post(f"/exporter/shipments/{shipment.id}/edit", data=data, follow_redirects=True)
    assert "Someone changed this shipment since you opened it" in response.get_data(as_text=True)
    world["session"].expire_all()
    assert world["session"].get(Shipment, shipment.id).packhouse != "Late edit"


def test_an_exporter_cancels_after_confirming(client_as, world):
    shipment = _own(world)
    client = client_as("exporter")
    assert "Yes, cancel the shipment" in client.get(f"/exporter/shipments/{shipment.id}/cancel").get_data(as_text=True)
    client.post(f"/exporter/shipments/{shipment.id}/cancel", data={"version_id": shipment.version_id, "reason": "no truck"})
    world["session"].expire_all()
    assert world["session"].get(Shipment, shipment.id).status == "cancelled"


@pytest.mark.parametrize("method, path", [
    ("get", "/exporter/shipments/{id}"), ("get", "/exporter/shipments/{id}/edit"),
    ("post", "/exporter/shipments/{id}/edit"), ("get", "/exporter/shipments/{id}/cancel"),
    ("post", "/exporter/shipments/{id}/cancel"),
])
def test_another_companys_shipment_is_not_found(client_as, world, method, path):
    theirs = make_shipment(world["session"], exporter=make_user(world["session"]).exporter, port=world["port"])
    world["session"].commit()
    client = client_as("exporter")
    response = getattr(client, method)(path.format(id=theirs.id), data={"version_id": theirs.version_id})
    assert response.status_code == 404
    world["session"].expire_all()
    assert world["session"].get(Shipment, theirs.id).status == "requested"


@pytest.mark.parametrize("path", ["/exporter/requests/new", "/exporter/requests/upload", "/exporter/requests/template.csv"])
def test_staff_cannot_use_the_exporter_pages(client_as, world, path):
    assert client_as("coordinator").get(path).status_code == 403


def test_a_day_filter_is_a_local_day_and_the_page_says_whose(client_as, world):
    """23:30 on 2 March in Mexico City is 05:30 on 3 March in UTC: it is 2 March's shipment."""
    late = datetime(2027, 3, 2, 23, 30, tzinfo=ZoneInfo("America/Mexico_City"))
    _own(world, reference="LATE-NIGHT", ready=late.astimezone(timezone.utc))
    client = client_as("exporter")
    on_the_day = client.get("/exporter/?from=2027-03-02&to=2027-03-02").get_data(as_text=True)
    assert "LATE-NIGHT" in on_the_day
    assert "Days in America/Mexico_City" in on_the_day
    assert "LATE-NIGHT" not in client.get("/exporter/?from=2027-03-03&to=2027-03-03").get_data(as_text=True)
