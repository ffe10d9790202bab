"""Reference data in the browser, for the planners: sites with their hours, closed days, inspectors, a week of
shifts, exporters and holidays; refused with the field named, in the reader's language."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.models import Exporter, Holiday, Inspector, Shift, Site, SiteClosure
from tests.factories import make_commodity, make_inspection, make_inspector, make_shipment, make_site

PAGES = ["/reference/", "/reference/sites/new", "/reference/inspectors", "/reference/inspectors/new",
         "/reference/exporters", "/reference/exporters/new", "/reference/holidays", "/reference/shifts/import"]
SITE_FORM = {"code": "mx-zamora", "name": "Zamora, Michoacán", "kind": "inland", "country": "MX", "state": "mic",
             "lat": "19.9855", "lon": "-102.2839", "timezone": "America/Mexico_City", "bays": "2",
             "commodities": ["avocado"], "observes_holidays": ["MX"],
             **{f"{d}_open": "07:00" for d in ("mon", "tue", "wed", "thu", "fri")},
             **{f"{d}_close": "19:00" for d in ("mon", "tue", "wed", "thu", "fri")},
             "sat_open": "08:00", "sat_close": "13:00"}


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", ["exporter", "inspector", "officer", "supervisor"])
def test_only_planners_keep_reference_data(client_as, path, role):
    assert client_as(role).get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_planners_reach_every_reference_page(client_as, path, role):
    assert client_as(role).get(path).status_code == 200


def test_a_site_is_created_from_the_form_with_hours_per_weekday(client_as, db_session, users):
    make_commodity(db_session, "avocado")
    db_session.commit()
    response = client_as("coordinator").post("/reference/sites/new", data=SITE_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    site = db_session.scalar(sa.select(Site).where(Site.code == "MX-ZAMORA"))
    assert sorted((h.days, h.open_time, h.close_time) for h in site.hours) == [
        (["mon", "tue", "wed", "thu", "fri"], "07:00", "19:00"), (["sat"], "08:00", "13:00")]
    assert site.state == "MIC" and site.observes_holidays == ["MX"]


def test_a_bad_site_is_refused_field_by_field_in_spanish(client_as, db_session, users):
    users["coordinator"].language = "es"
    db_session.commit()
    response = client_as("coordinator").post("/reference/sites/new", data={
        **SITE_FORM, "timezone": "Marte/Base", "mon_close": "06:00", "commodities": []})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "No es una zona horaria conocida" in text and "Horario:" in text
    assert db_session.scalar(sa.select(Site).where(Site.code == "MX-ZAMORA")) is None


def test_a_closure_over_scheduled_inspections_asks_first(client_as, db_session, users):
    site = make_site(db_session, code="MX-ZAMORA")
    day = date(2027, 3, 2)
    make_inspection(db_session, make_shipment(db_session), datetime.combine(day, time(10), ZoneInfo(site.timezone)),
                    site=site, status="scheduled", result=None)
    db_session.commit()
    planner = client_as("coordinator")
    fields = {"first_day": day.isoformat(), "last_day": day.isoformat(), "reason": "Paro de transportistas"}
    asked = planner.post(f"/reference/sites/{site.id}/closures", data=fields)
    assert "1 scheduled inspections there fall on these days" in asked.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(SiteClosure)) == 0
    done = planner.post(f"/reference/sites/{site.id}/closures", data={**fields, "confirmed": "yes"})
    assert done.status_code == 302
    closure = db_session.scalar(sa.select(SiteClosure))
    assert (closure.first_day, closure.reason) == (day, "Paro de transportistas")


def test_an_inspector_is_created_for_a_site(client_as, db_session, users):
    make_commodity(db_session, "avocado")
    make_site(db_session, code="MX-ZAMORA")
    db_session.commit()
    response = client_as("admin").post("/reference/inspectors/new", data={
        "code": "aphis-zam-01", "name": "Ana Ruiz", "agency": "APHIS", "home_site": "MX-ZAMORA",
        "commodities": ["avocado"], "max_minutes_per_day": "360", "active": "y", "user": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    inspector = db_session.scalar(sa.select(Inspector).where(Inspector.code == "APHIS-ZAM-01"))
    assert inspector.max_minutes_per_day == 360 and inspector.home_site.code == "MX-ZAMORA"


def test_the_week_is_filled_with_a_pattern_and_saved(client_as, db_session, users):
    site = make_site(db_session, code="MX-ZAMORA")
    inspector = make_inspector(db_session, "APHIS", home_site=site, code="APHIS-ZAM-01")
    db_session.commit()
    monday = date(2027, 3, 1)
    planner = client_as("coordinator")
    page = planner.get(f"/reference/sites/{site.id}/week?start=2027-03-03")
    assert 'name="APHIS-ZAM-01|2027-03-01|start"' in page.get_data(as_text=True)  # the week of that day
    response = planner.post(f"/reference/sites/{site.id}/week?start={monday}", data={
        "action": "fill", "fill_days": ["mon", "tue", "wed", "thu", "fri"], "fill_start": "07:00",
        "fill_end": "15:00", "APHIS-ZAM-01|2027-03-03|start": "09:00", "APHIS-ZAM-01|2027-03-03|end": "17:00"})
    assert response.status_code == 302
    starts = [s.start.astimezone(ZoneInfo(site.timezone)) for s in db_session.scalars(
        sa.select(Shift).where(Shift.inspector_id == inspector.id).order_by(Shift.start))]
    assert [(s.day, s.hour) for s in starts] == [(1, 7), (2, 7), (3, 9), (4, 7), (5, 7)]


def test_a_refused_week_keeps_what_was_typed_and_says_why(client_as, db_session, users):
    site = make_site(db_session, code="MX-ZAMORA")
    make_inspector(db_session, "APHIS", home_site=site, code="APHIS-ZAM-01")
    db_session.commit()
    response = client_as("coordinator").post(f"/reference/sites/{site.id}/week?start=2027-03-01", data={
        "action": "save", "APHIS-ZAM-01|2027-03-01|start": "7 am", "APHIS-ZAM-01|2027-03-01|end": "15:00"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="7 am"' in text and "HH:MM" in text
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Shift)) == 0


def test_shifts_are_imported_from_a_pasted_csv(client_as, db_session, users):
    site = make_site(db_session, code="MX-ZAMORA")
    make_inspector(db_session, "APHIS", home_site=site, code="APHIS-ZAM-01")
    db_session.commit()
    response = client_as("coordinator").post("/reference/shifts/import", data={
        "text": "inspector,day,start,end\nAPHIS-ZAM-01,2027-03-01,07:00,15:00\n"})
    assert response.status_code == 302
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Shift)) == 1


def test_an_exporter_is_created_and_an_administrator_is_offered_its_first_account(client_as, db_session, users):
    response = client_as("admin").post("/reference/exporters/new", data={
        "code": "agro-zam", "legal_name": "Agrícola Zamora SPR de RL", "tax_id": "AZA020202CD2", "country": "MX"})
    assert response.status_code == 302
    exporter = db_session.scalar(sa.select(Exporter).where(Exporter.code == "AGRO-ZAM"))
    page = client_as("admin").get(f"/reference/exporters/{exporter.id}").get_data(as_text=True)
    assert "/admin/accounts/new?role=exporter&amp;exporter=AGRO-ZAM" in page
    assert "/admin/accounts/new" not in client_as("coordinator").get(f"/reference/exporters/{exporter.id}").get_data(
        as_text=True)


def test_holidays_are_added_and_removed(client_as, db_session, users):
    planner = client_as("coordinator")
    response = planner.post("/reference/holidays", data={"country": "MX", "day": "2027-12-12",
                                                         "name_en": "Our Lady of Guadalupe",
                                                         "name_es": "Día de la Virgen de Guadalupe"})
    assert response.status_code == 302
    holiday = db_session.scalar(sa.select(Holiday))
    assert "Guadalupe" in planner.get("/reference/holidays?year=2027").get_data(as_text=True)
    planner.post(f"/reference/holidays/{holiday.id}/remove")
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Holiday)) == 0


def test_the_favicon_is_served_and_every_page_names_it(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in client.get("/login").get_data(as_text=True)
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200
