"""The officer records a border inspection's pests on the shipment page, and sends the notice."""

from __future__ import annotations

import pytest

from app.models import Interception

from ...services.border.safety_scenario import at_the_border


@pytest.fixture
def queued(db_session, users):
    scenario = at_the_border(db_session, users, "NOGA-660001", verification_rate=1.0)
    db_session.commit()
    return scenario


def test_the_border_result_says_whether_pests_were_found_then_each_is_recorded(client_as, db_session, queued):
    officer = client_as("officer")
    url = f"/officer/shipments/{queued.request.id}"
    page = officer.get(url).get_data(as_text=True)
    assert "drawn for a verification inspection" in officer.get("/officer/").get_data(as_text=True)
    assert 'name="pests"' in page
    missing = officer.post(url + "/border-result", data={"result": "fail", "findings": "Larvae."})
    assert missing.status_code == 422 and "Say whether pests were found." in missing.get_data(as_text=True)
    officer.post(url + "/border-result", data={"result": "fail", "findings": "Larvae.", "pests": "found"})
    form = officer.get(url).get_data(as_text=True)
    assert "Heilipus lauri" in form and "Anastrepha ludens" not in form  # the avocado's pests only
    refused = officer.post(url + "/interceptions", data={"organism": "heilipus_lauri", "life_stage": "larva",
                                                          "count": "2", "action": "released_after_treatment"})
    assert refused.status_code == 422 and "can only be" in refused.get_data(as_text=True)
    done = officer.post(url + "/interceptions", data={"organism": "heilipus_lauri", "life_stage": "larva",
                                                       "count": "2", "action": "destroyed", "sent_to_lab": "y"},
                        follow_redirects=True)
    assert "Interception recorded" in done.get_data(as_text=True)
    assert db_session.query(Interception).filter_by(request_id=queued.request.id).count() == 1
    notice = officer.get(url + "/notice").get_data(as_text=True)
    assert "Emergency Action Notice / Notificación de acción de emergencia" in notice and "Heilipus lauri" in notice
    assert "destroyed / destruido" in notice  # its codes in both languages too


def test_spanish_officer_page(client_as, queued):
    officer = client_as("officer")
    officer.post("/language", data={"language": "es"})
    officer.post(f"/officer/shipments/{queued.request.id}/border-result",
                 data={"result": "fail", "findings": "Larvas.", "pests": "found"})
    page = officer.get(f"/officer/shipments/{queued.request.id}").get_data(as_text=True)
    assert "Plagas interceptadas" in page and "Registrar la intercepción" in page and "Estadio" in page
