"""The border officer's pages: the port's queue, verifying seals, reinstating a border inspection."""

from __future__ import annotations

import pytest

from app.models import Seal
from app.services.border import overview as seals
from tests.factories import make_inspector, make_site, make_user

from ...services.border.seal_scenario import seal_scenario

NUMBER = "NOGA-123456"


@pytest.fixture
def sealed(db_session, users):
    scenario = seal_scenario(db_session, users)
    seals.record_result(db_session, users["inspector"], scenario.inspection, "pass", None, [(NUMBER, "mechanical")])
    db_session.commit()
    return scenario


def shipment_url(scenario, action=""):
    return f"/officer/shipments/{scenario.request.id}{action}"


def test_home_is_the_officers_port_queue_with_decisions(client_as, sealed):
    text = client_as("officer").get("/officer/").get_data(as_text=True)
    assert sealed.port.name in text
    assert sealed.request.reference in text
    assert "Border inspection waived" in text and "sealed: verify the seals" in text


def test_officer_without_a_port_chooses_one_and_cannot_act(app, client_as, db_session, sealed):
    make_user(db_session, role="officer", username="test-roving-officer")
    db_session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "test-roving-officer", "password": "jointinspect-demo"})
    text = client.get("/officer/").get_data(as_text=True)
    assert 'name="port"' in text and sealed.port.name in text
    chosen = client.get(f"/officer/?port={sealed.port.code}").get_data(as_text=True)
    assert sealed.request.reference in chosen and shipment_url(sealed) not in chosen
    assert client.get(shipment_url(sealed)).status_code == 404


def test_intact_seal_releases_the_shipment(client_as, db_session, sealed):
    client = client_as("officer")
    page = client.get(shipment_url(sealed)).get_data(as_text=True)
    assert 'name="seal_0"' in page and NUMBER in page
    response = client.post(shipment_url(sealed, "/verify"), data={"seal_0": "intact", "presented": ""},
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Seals intact and matching: the truck is released" in text
    assert f"waived under rule {sealed.rule.code} v2" in text and "Seals verified" not in text
    db_session.refresh(sealed.request)
    assert sealed.request.status == "released"


def test_broken_seal_is_shown_for_confirmation_then_reinstates_and_queues(client_as, db_session, sealed):
    client = client_as("officer")
    first = client.post(shipment_url(sealed, "/verify"), data={"seal_0": "broken"})
    preview = first.get_data(as_text=True)
    assert first.status_code == 200 and "This changes the border decision" in preview
    assert "Confirm and record" in preview and 'name="confirmed" type="hidden" value="yes"' in preview
    db_session.refresh(sealed.request)
    assert sealed.request.status == "sealed"  # nothing recorded before the officer confirms
    response = client.post(shipment_url(sealed, "/verify"), data={"seal_0": "broken", "confirmed": "yes"},
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Seals verified" not in text and text.count("seal found broken at the border") == 2  # flash, trail
    assert "seal found broken at the border; rule requires an intact seal" in text
    assert "seal verification" in text  # the trail names the basis
    db_session.refresh(sealed.request)
    assert sealed.request.status == "at_border"
    queue = client.get("/officer/").get_data(as_text=True)
    assert "Border inspections to do" in queue and sealed.request.reference in queue


def test_other_number_on_the_truck_is_a_mismatch(client_as, db_session, sealed):
    client = client_as("officer")
    client.post(shipment_url(sealed, "/verify"),
                data={"seal_0": "missing", "presented": "noga-999999", "confirmed": "yes"})
    seal = db_session.query(Seal).filter_by(number=NUMBER).one()
    db_session.refresh(seal)
    assert seal.status == "mismatch"
    page = client.get(shipment_url(sealed)).get_data(as_text=True)
    assert "NOGA-999999" in page and "number does not match" in page  # what was found, beside what was applied


def test_a_missing_choice_is_shown_next_to_the_seal(client_as, db_session, sealed):
    response = client_as("officer").post(shipment_url(sealed, "/verify"), data={"presented": ""})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-describedby="seal_0-error"' in text
    db_session.refresh(sealed.request)
    assert sealed.request.status == "sealed"


def test_reinstating_needs_a_reason_and_then_queues_the_shipment(client_as, db_session, sealed):
    client = client_as("officer")
    refused = client.post(shipment_url(sealed, "/reinstate"), data={"reason": ""})
    assert refused.status_code == 422 and 'aria-describedby="reason-error"' in refused.get_data(as_text=True)
    done = client.post(shipment_url(sealed, "/reinstate"), data={"reason": "Tip-off from the field"},
                       follow_redirects=True)
    assert "Tip-off from the field" in done.get_data(as_text=True)
    db_session.refresh(sealed.request)
    assert sealed.request.status == "at_border"


def test_officer_of_another_port_gets_404(app, db_session, users, sealed):
    other = make_user(db_session, role="officer", username="test-other-officer")
    make_inspector(db_session, "CBP", home_site=make_site(db_session, kind="port"), user_id=other.id)
    db_session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "test-other-officer", "password": "jointinspect-demo"})
    assert client.get(shipment_url(sealed)).status_code == 404
    assert client.post(shipment_url(sealed, "/verify"), data={"seal_0": "intact"}).status_code == 404
    db_session.refresh(sealed.request)
    assert sealed.request.status == "sealed"


@pytest.mark.parametrize("role", ["exporter", "inspector", "coordinator", "supervisor"])
def test_other_roles_get_403(client_as, sealed, role):
    client = client_as(role)
    assert client.get(shipment_url(sealed)).status_code == 403
    assert client.post(shipment_url(sealed, "/verify"), data={"seal_0": "intact"}).status_code == 403


def test_forms_carry_csrf_tokens(app, client_as, db_session, sealed):
    client = client_as("officer")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(shipment_url(sealed)).get_data(as_text=True)
    assert page.count('name="csrf_token"') >= 3  # language switch, verification, reinstatement
    assert client.post(shipment_url(sealed, "/verify"), data={"seal_0": "intact"}).status_code == 400


def test_spanish_pages(client_as, sealed):
    client = client_as("officer")
    client.post("/language", data={"language": "es"})
    home = client.get("/officer/").get_data(as_text=True)
    assert 'lang="es"' in home and "Fila del puerto" in home and "Inspección fronteriza dispensada" in home
    page = client.get(shipment_url(sealed)).get_data(as_text=True)
    assert "Sellos" in page and "Embarque" in page
    assert "Camión en el puerto: revise sus sellos" in page and "Historial de decisiones" in page


def test_a_stale_verification_is_refused_with_409(client_as, db_session, sealed):
    response = client_as("officer").post(shipment_url(sealed, "/verify"),
                                         data={"seal_0": "intact", "version": sealed.request.version_id + 3})
    assert response.status_code == 409
    db_session.refresh(sealed.request)
    assert sealed.request.status == "sealed"
