"""The border inspection's own result: pass releases the truck, fail rejects it, hold keeps it queued."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import Inspection
from app.services.border import overview as seals

from .seal_scenario import seal_scenario

NUMBER = "NOGA-654321"


@pytest.fixture
def queued(db_session, users):
    """A sealed shipment whose seal was found broken: it waits for its border inspection."""
    scenario = seal_scenario(db_session, users)
    seals.record_result(db_session, users["inspector"], scenario.inspection, "pass", None, [(NUMBER, "mechanical")])
    seals.verify_seals(db_session, users["officer"], scenario.request, {NUMBER: "broken"}, [])
    db_session.commit()
    return scenario


def url(scenario, action=""):
    return f"/officer/shipments/{scenario.request.id}{action}"


def test_a_passed_border_inspection_releases_the_truck(client_as, db_session, queued):
    client = client_as("officer")
    assert "Record the border inspection" in client.get(url(queued)).get_data(as_text=True)
    response = client.post(url(queued, "/border-result"), data={"result": "pass", "findings": "", "pests": "none"},
                           follow_redirects=True)
    assert "Border inspection recorded." in response.get_data(as_text=True)
    db_session.refresh(queued.request)
    assert queued.request.status == "released" and queued.request.released_at is not None
    border = db_session.scalar(sa.select(Inspection).where(Inspection.request_id == queued.request.id,
                                                           Inspection.kind == "border"))
    assert border.status == "done" and border.result == "pass"


def test_a_failed_border_inspection_needs_findings_and_rejects(client_as, db_session, queued):
    client = client_as("officer")
    refused = client.post(url(queued, "/border-result"), data={"result": "fail", "findings": "", "pests": "none"})
    assert refused.status_code == 422
    assert 'id="findings-error"' in refused.get_data(as_text=True)
    db_session.refresh(queued.request)
    assert queued.request.status == "at_border"
    client.post(url(queued, "/border-result"), data={"result": "fail", "findings": "live larvae in two boxes", "pests": "found"})
    db_session.refresh(queued.request)
    assert queued.request.status == "rejected" and queued.request.status_reason == "live larvae in two boxes"


def test_a_hold_keeps_the_shipment_in_the_queue_with_the_findings(client_as, db_session, queued):
    client_as("officer").post(url(queued, "/border-result"), data={"result": "hold", "findings": "lab sample sent", "pests": "found"})
    db_session.refresh(queued.request)
    assert queued.request.status == "at_border" and queued.request.status_reason == "lab sample sent"


def test_the_api_records_the_result_and_refuses_a_shipment_not_in_the_queue(client_as, db_session, users):
    scenario = seal_scenario(db_session, users)
    client = client_as("officer")
    early = client.post(f"/api/v1/requests/{scenario.request.id}/border-result", json={"result": "pass"})
    assert early.status_code == 409 and "result" in early.json["errors"]["json"]  # not at this step yet
    seals.record_result(db_session, users["inspector"], scenario.inspection, "pass", None, [(NUMBER, "mechanical")])
    seals.reinstate_inspection(db_session, users["officer"], scenario.request, "random check")
    db_session.commit()
    done = client.post(f"/api/v1/requests/{scenario.request.id}/border-result", json={"result": "pass"})
    assert done.status_code == 200, done.json
    assert done.json["request"]["status"] == "released"


def test_only_the_ports_officer_records_it(client_as, queued):
    assert client_as("exporter").post(url(queued, "/border-result"), data={"result": "pass"}).status_code == 403
    assert client_as("inspector").post(f"/api/v1/requests/{queued.request.id}/border-result",
                                       json={"result": "pass"}).status_code == 403
