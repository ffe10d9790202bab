"""Inspectors, shifts, unavailability and site closures through the API."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.models import AuditEntry, Shift, Site
from tests.factories import make_commodity, make_inspector, make_shift, make_site

T0 = datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)


def _staff(session):
    north, south = make_site(session, code="ST-NORTH"), make_site(session, code="ST-SOUTH")
    aphis = make_inspector(session, "APHIS", north, code="ST-APHIS-1", qualified_any=False)
    aphis.qualifications = [make_commodity(session, "avocado"), make_commodity(session, "berries")]
    senasica = make_inspector(session, "SENASICA", south, code="ST-SEN-1")
    for day in range(3):
        make_shift(session, aphis, T0 + timedelta(days=day))
    session.commit()
    return aphis, senasica


def test_inspectors_are_listed_with_filters_and_pages(client_as, db_session):
    _staff(db_session)
    client = client_as("supervisor")
    page = client.get("/api/v1/inspectors?agency=APHIS&site=ST-NORTH").json
    assert [i["code"] for i in page["items"]] == ["ST-APHIS-1"]
    assert page["items"][0]["home_site"]["code"] == "ST-NORTH"
    assert (page["total"], page["page"], page["pages"]) == (1, 1, 1)
    everyone = client.get("/api/v1/inspectors?page_size=1&page=2").json
    assert everyone["total"] >= 2 and len(everyone["items"]) == 1 and everyone["pages"] == everyone["total"]


def test_inspector_list_refuses_unknown_filters_and_exporters(client_as, db_session):
    assert client_as("coordinator").get("/api/v1/inspectors?colour=red").status_code == 422
    assert client_as("exporter").get("/api/v1/inspectors").status_code == 403
    assert client_as("inspector").get("/api/v1/inspectors").status_code == 403


def test_one_inspector_with_qualifications_and_home_site(client_as, db_session):
    _staff(db_session)
    client = client_as("coordinator")
    body = client.get("/api/v1/inspectors/ST-APHIS-1").json
    assert body["qualifications"] == ["avocado", "berries"] and body["qualified_any"] is False
    assert body["home_site"] == {"code": "ST-NORTH", "name": body["home_site"]["name"], "active": True}
    assert client.get("/api/v1/inspectors/NOPE").status_code == 404


def test_shifts_in_a_window_with_offsets(client_as, db_session):
    _staff(db_session)
    client = client_as("coordinator")
    response = client.get("/api/v1/inspectors/ST-APHIS-1/shifts",
                          query_string={"from": "2027-03-01T00:00:00-06:00", "to": "2027-03-02T12:00:00-06:00"})
    assert response.status_code == 200
    assert [datetime.fromisoformat(s["start"]) for s in response.json] == [T0, T0 + timedelta(days=1)]
    assert response.json[0]["start"].endswith("+00:00") and response.json[0]["available"] is True
    naive = client.get("/api/v1/inspectors/ST-APHIS-1/shifts", query_string={"from": "2027-03-01T00:00:00",
                                                                              "to": "2027-03-02T00:00:00Z"})
    assert naive.status_code == 422 and "from" in naive.json["errors"]["query"]


def test_marking_unavailable_takes_the_shifts_off(client_as, db_session):
    aphis, _ = _staff(db_session)
    response = client_as("coordinator").post("/api/v1/inspectors/ST-APHIS-1/unavailability", json={
        "start": "2027-03-01T00:00:00-06:00", "end": "2027-03-03T00:00:00-06:00", "reason": "Illness"})
    assert response.status_code == 200, response.json
    assert response.json["inspector"] == "ST-APHIS-1" and len(response.json["shifts"]) == 2
    assert all(s["available"] is False and s["unavailable_reason"] == "Illness" for s in response.json["shifts"])
    db_session.expire_all()
    available = db_session.scalars(sa.select(Shift).where(Shift.inspector_id == aphis.id, Shift.available)).all()
    assert len(available) == 1
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "inspector.unavailable")) == 1


def test_unavailability_refusals_name_the_field(client_as, db_session):
    _staff(db_session)
    client = client_as("coordinator")
    url = "/api/v1/inspectors/ST-APHIS-1/unavailability"
    backwards = client.post(url, json={"start": "2027-03-02T00:00:00Z", "end": "2027-03-01T00:00:00Z", "reason": "x"})
    assert backwards.status_code == 422 and "end" in backwards.json["errors"]["json"]
    empty = client.post(url, json={"start": "2027-04-01T00:00:00Z", "end": "2027-04-02T00:00:00Z", "reason": "x"})
    assert empty.status_code == 422 and "start" in empty.json["errors"]["json"]
    blank = client.post(url, json={"start": "2027-03-01T00:00:00Z", "end": "2027-03-02T00:00:00Z", "reason": "  "})
    assert blank.status_code == 422 and "reason" in blank.json["errors"]["json"]
    naive = client.post(url, json={"start": "2027-03-01T00:00:00", "end": "2027-03-02T00:00:00Z", "reason": "x"})
    assert naive.status_code == 422 and "start" in naive.json["errors"]["json"]
    extra = client.post(url, json={"start": "2027-03-01T00:00:00Z", "end": "2027-03-02T00:00:00Z", "reason": "x",
                                   "shifts": []})
    assert extra.status_code == 422 and "shifts" in extra.json["errors"]["json"]
    assert client.post("/api/v1/inspectors/NOPE/unavailability", json={
        "start": "2027-03-01T00:00:00Z", "end": "2027-03-02T00:00:00Z", "reason": "x"}).status_code == 404
    assert client_as("supervisor").post(url, json={}).status_code == 403


def test_closing_and_reopening_a_site(client_as, db_session):
    make_site(db_session, code="ST-CLOSE")
    db_session.commit()
    client = client_as("coordinator")
    closed = client.post("/api/v1/sites/ST-CLOSE/closure", json={"reason": "Security incident"})
    assert closed.status_code == 200, closed.json
    assert closed.json["active"] is False and closed.json["closed_reason"] == "Security incident"
    assert client.post("/api/v1/sites/ST-CLOSE/closure", json={"reason": "again"}).status_code == 409
    db_session.expire_all()
    assert db_session.scalar(sa.select(Site).where(Site.code == "ST-CLOSE")).active is False
    reopened = client.delete("/api/v1/sites/ST-CLOSE/closure")
    assert reopened.status_code == 200 and reopened.json["active"] is True and reopened.json["closed_at"] is None
    assert client.delete("/api/v1/sites/ST-CLOSE/closure").status_code == 409


def test_closure_refusals(client_as, db_session):
    make_site(db_session, code="ST-KEEP")
    db_session.commit()
    client = client_as("admin")
    missing = client.post("/api/v1/sites/ST-KEEP/closure", json={})
    assert missing.status_code == 422 and "reason" in missing.json["errors"]["json"]
    blank = client.post("/api/v1/sites/ST-KEEP/closure", json={"reason": "   "})
    assert blank.status_code == 422 and "reason" in blank.json["errors"]["json"]
    assert client.post("/api/v1/sites/NOPE/closure", json={"reason": "x"}).status_code == 404
    assert client_as("supervisor").post("/api/v1/sites/ST-KEEP/closure", json={"reason": "x"}).status_code == 403
    assert client_as("exporter").delete("/api/v1/sites/ST-KEEP/closure").status_code == 403
