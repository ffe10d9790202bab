"""The inspector's pages: assignments by day and recording a joint inspection's result and seals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import Seal, utcnow
from tests.factories import count, make_booking, make_inspection, make_user

from ...services.border.seal_scenario import seal_scenario


@pytest.fixture
def scenario(db_session, users):
    return seal_scenario(db_session, users)


def result_form(result="pass", findings="", seals=(), version=None):
    data = {"result": result, "findings": findings}
    for index, (number, kind) in enumerate(seals):
        data[f"seals-{index}-number"] = number
        data[f"seals-{index}-kind"] = kind
    if version is not None:
        data["version"] = str(version)
    return data


def test_home_groups_assignments_by_day_in_the_sites_zone(client_as, db_session, scenario):
    start = utcnow().replace(microsecond=0) + timedelta(hours=2)
    today = make_inspection(db_session, scenario.request, start, site=scenario.site, status="scheduled", result=None)
    make_booking(db_session, today, scenario.inspector)
    db_session.commit()
    page = client_as("inspector").get("/inspector/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"/inspector/inspections/{today.id}" in text
    assert "CST" in text or "CDT" in text  # Mexico City times with their zone


def test_assignment_page_shows_the_shipment_and_a_form(client_as, scenario):
    page = client_as("inspector").get(f"/inspector/inspections/{scenario.inspection.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert scenario.request.reference in text
    assert 'name="seals-0-number"' in text and 'for="seals-0-number"' in text


def test_recording_pass_with_a_seal_shows_the_waiver_and_its_rule_version(client_as, db_session, scenario):
    client = client_as("inspector")
    response = client.post(f"/inspector/inspections/{scenario.inspection.id}",
                           data=result_form(seals=[("noga-123456", "mechanical")]), follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Result recorded." in text
    assert f"Border inspection waived under rule {scenario.rule.code} v2." in text
    assert "NOGA-123456" in text
    db_session.refresh(scenario.request)
    assert scenario.request.status == "sealed"


def test_a_refusal_keeps_what_was_typed_and_names_the_row(client_as, db_session, scenario):
    client = client_as("inspector")
    response = client.post(f"/inspector/inspections/{scenario.inspection.id}",
                           data=result_form(findings="All good", seals=[("NOGA-123456", "mechanical"),
                                                                        ("NOGA-123456", "mechanical")]))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-describedby="seal-hint seals-1-number-error"' in text and 'id="seals-1-number-error"' in text
    assert "is listed twice" in text
    assert "All good" in text
    assert count(db_session, Seal) == 0


def test_a_failed_inspection_with_seals_is_refused(client_as, db_session, scenario):
    response = client_as("inspector").post(
        f"/inspector/inspections/{scenario.inspection.id}",
        data=result_form("fail", "Larvae found", seals=[("NOGA-123456", "mechanical")]))
    assert response.status_code == 422
    assert "cannot be sealed" in response.get_data(as_text=True)
    db_session.refresh(scenario.request)
    assert scenario.request.status == "scheduled"


def test_a_stale_form_is_refused_with_409(client_as, db_session, scenario):
    response = client_as("inspector").post(f"/inspector/inspections/{scenario.inspection.id}",
                                           data=result_form(version=scenario.inspection.version_id + 5))
    assert response.status_code == 409
    db_session.refresh(scenario.request)
    assert scenario.request.status == "scheduled"


def test_inspectors_not_booked_get_404(app, client_as, db_session, scenario):
    make_user(db_session, role="inspector", username="test-other-inspector")
    db_session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "test-other-inspector", "password": "jointinspect-demo"})
    assert client.get(f"/inspector/inspections/{scenario.inspection.id}").status_code == 404
    assert client.post(f"/inspector/inspections/{scenario.inspection.id}", data=result_form()).status_code == 404


@pytest.mark.parametrize("role", ["exporter", "officer", "coordinator", "supervisor"])
def test_other_roles_get_403(client_as, scenario, role):
    assert client_as(role).get(f"/inspector/inspections/{scenario.inspection.id}").status_code == 403


def test_the_form_carries_a_csrf_token_and_a_post_without_it_is_refused(app, client_as, db_session, scenario):
    client = client_as("inspector")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/inspector/inspections/{scenario.inspection.id}").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert client.post(f"/inspector/inspections/{scenario.inspection.id}", data=result_form()).status_code == 400
    db_session.refresh(scenario.request)
    assert scenario.request.status == "scheduled"


def test_spanish_page(client_as, scenario):
    client = client_as("inspector")
    client.post("/language", data={"language": "es"})
    text = client.get(f"/inspector/inspections/{scenario.inspection.id}").get_data(as_text=True)
    assert 'lang="es"' in text
    assert "Mis asignaciones" in text and "Producto" in text and "Sellos" in text
    assert "Registrar resultado" in text and "Número de sello" in text
