"""Reference data through the API: planners write sites, closed days, inspectors, weeks of shifts, shift files,
exporters and holidays; others read or are refused; refusals are the scenario import's, field by field."""

from __future__ import annotations

import sqlalchemy as sa

from app.models import Shift
from tests.factories import make_commodity, make_inspector, make_site

SITE = {"code": "MX-ZAMORA", "kind": "inland", "name": "Zamora, Michoacán", "country": "MX", "state": "MIC",
        "lat": 19.9855, "lon": -102.2839, "timezone": "America/Mexico_City", "bays": 2,
        "hours": [{"days": ["mon", "tue", "wed", "thu", "fri"], "open": "07:00", "close": "19:00"}],
        "commodities": ["avocado"], "observes_holidays": ["MX"]}


def test_a_planner_creates_reads_and_changes_a_site(client_as, db_session, users):
    make_commodity(db_session, "avocado")
    db_session.commit()
    planner = client_as("coordinator")
    created = planner.post("/api/v1/sites", json=SITE)
    assert created.status_code == 201, created.json
    assert created.json["hours"] == SITE["hours"] and created.json["observes_holidays"] == ["MX"]
    changed = planner.patch("/api/v1/sites/MX-ZAMORA", json={"bays": 3, "commodities": ["*"]})
    assert changed.json["bays"] == 3 and changed.json["commodities"] == ["*"]
    assert client_as("supervisor").get("/api/v1/sites/MX-ZAMORA").json["bays"] == 3
    assert client_as("supervisor").patch("/api/v1/sites/MX-ZAMORA", json={"bays": 1}).status_code == 403
    assert client_as("exporter").get("/api/v1/sites/MX-ZAMORA").status_code == 403


def test_a_bad_site_gets_the_import_readers_words_under_each_field(client_as, db_session, users):
    make_commodity(db_session, "avocado")
    db_session.commit()
    response = client_as("coordinator").post("/api/v1/sites", json={
        **SITE, "timezone": "Mars/Olympus_Mons", "hours": [{"days": ["mon"], "open": "19:00", "close": "07:00"}]})
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert errors["timezone"] == ["is not a known IANA time zone: 'Mars/Olympus_Mons'"]
    assert "must be after open (19:00)" in errors["hours"][0]


def test_planned_closures_are_listed_added_and_removed(client_as, db_session, users):
    make_site(db_session, code="MX-ZAMORA")
    db_session.commit()
    planner = client_as("coordinator")
    added = planner.post("/api/v1/sites/MX-ZAMORA/planned-closures",
                         json={"first_day": "2027-03-01", "last_day": "2027-03-02", "reason": "Inventario"})
    assert added.status_code == 201
    assert [c["reason"] for c in planner.get("/api/v1/sites/MX-ZAMORA/planned-closures").json] == ["Inventario"]
    backwards = planner.post("/api/v1/sites/MX-ZAMORA/planned-closures",
                             json={"first_day": "2027-03-02", "last_day": "2027-03-01", "reason": "x"})
    assert backwards.status_code == 422 and "last_day" in backwards.json["errors"]["json"]
    assert planner.delete(f"/api/v1/sites/MX-ZAMORA/planned-closures/{added.json['id']}").status_code == 204
    assert planner.get("/api/v1/sites/MX-ZAMORA/planned-closures").json == []


def test_inspectors_are_written_and_read_at_the_same_address(client_as, db_session, users):
    make_commodity(db_session, "avocado")
    make_site(db_session, code="MX-ZAMORA")
    db_session.commit()
    planner = client_as("admin")
    created = planner.post("/api/v1/inspectors", json={"code": "SENASICA-ZAM-01", "name": "Luis Ortega",
                                                       "agency": "SENASICA", "home_site": "MX-ZAMORA",
                                                       "commodities": ["avocado"]})
    assert created.status_code == 201, created.json
    assert planner.patch("/api/v1/inspectors/SENASICA-ZAM-01", json={"max_minutes_per_day": 2000}).status_code == 422
    assert planner.patch("/api/v1/inspectors/SENASICA-ZAM-01", json={"max_minutes_per_day": 300}).json[
        "max_minutes_per_day"] == 300
    assert planner.get("/api/v1/inspectors/SENASICA-ZAM-01").json["qualifications"] == ["avocado"]


def test_a_week_of_shifts_is_set_and_copied_forward(client_as, db_session, users):
    site = make_site(db_session, code="MX-ZAMORA")
    make_inspector(db_session, "APHIS", home_site=site, code="APHIS-ZAM-01")
    db_session.commit()
    planner = client_as("coordinator")
    week = {"shifts": [{"inspector": "APHIS-ZAM-01", "day": f"2027-03-0{d}", "start": "07:00", "end": "15:00"}
                       for d in range(1, 6)]}
    assert planner.put("/api/v1/sites/MX-ZAMORA/weeks/2027-03-01", json=week).json["added"] == 5
    assert planner.post("/api/v1/sites/MX-ZAMORA/weeks/2027-03-08/copy").json["added"] == 5
    assert planner.put("/api/v1/sites/MX-ZAMORA/weeks/2027-03-02", json=week).status_code == 422  # not a Monday
    outside = {"shifts": [{"inspector": "APHIS-ZAM-01", "day": "2027-03-09", "start": "07:00", "end": "15:00"}]}
    assert planner.put("/api/v1/sites/MX-ZAMORA/weeks/2027-03-01", json=outside).status_code == 422
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Shift)) == 10


def test_shifts_come_from_a_csv_body_and_bad_lines_are_named(client_as, db_session, users):
    make_inspector(db_session, "APHIS", code="APHIS-ZAM-01")
    db_session.commit()
    planner = client_as("coordinator")
    ok = planner.post("/api/v1/shifts/csv", data="APHIS-ZAM-01,2027-03-01,07:00,15:00\n",
                      content_type="text/csv")
    assert ok.status_code == 201 and ok.json == {"added": 1}
    bad = planner.post("/api/v1/shifts/csv", data="APHIS-ZAM-01,2027-03-02,07:00\n", content_type="text/csv")
    assert bad.status_code == 422 and "line 1" in bad.json["errors"]["json"]


def test_exporters_and_holidays_through_the_api(client_as, users):
    planner = client_as("coordinator")
    created = planner.post("/api/v1/exporters", json={"code": "AGRO-ZAM", "legal_name": "Agrícola Zamora",
                                                      "tax_id": "AZA020202CD2"})
    assert created.status_code == 201 and created.json["country"] == "MX"
    assert planner.patch("/api/v1/exporters/AGRO-ZAM", json={"tax_id": "x"}).status_code == 422
    assert client_as("supervisor").post("/api/v1/exporters", json={}).status_code == 403
    holiday = planner.post("/api/v1/holidays", json={"country": "MX", "day": "2027-12-12",
                                                     "name_en": "Our Lady of Guadalupe", "name_es": "Guadalupe"})
    assert holiday.status_code == 201
    assert planner.post("/api/v1/holidays", json={"country": "MX", "day": "2027-12-12", "name_en": "Again",
                                                  "name_es": "Otra vez"}).status_code == 422
    assert [h["name_en"] for h in planner.get("/api/v1/holidays?year=2027&country=MX").json] == [
        "Our Lady of Guadalupe"]
    assert planner.delete(f"/api/v1/holidays/{holiday.json['id']}").status_code == 204
