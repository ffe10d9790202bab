"""Shifts a week at a time, copied from last week, or from a CSV file: local times, all or nothing,
and never a booked inspection left without its shift."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, Shift
from app.services.planning.calendar import add_closure, add_holiday
from app.services.planning.reference_checks import InvalidFields
from app.services.planning.shift_csv import import_shifts
from app.services.planning.shifts import copy_week, set_week
from tests.factories import make_booking, make_inspection, make_inspector, make_shift, make_shipment, make_site

MEXICO = ZoneInfo("America/Mexico_City")
MONDAY = date(2027, 3, 1)


@pytest.fixture
def team(db_session):
    site = make_site(db_session, code="MX-ZAMORA")
    return site, make_inspector(db_session, "APHIS", home_site=site, code="APHIS-ZAM-01"), \
        make_inspector(db_session, "SENASICA", home_site=site, code="SENASICA-ZAM-01")


def _local(shift: Shift) -> tuple[str, str, str]:
    start, end = shift.start.astimezone(MEXICO), shift.end.astimezone(MEXICO)
    return start.date().isoformat(), start.strftime("%H:%M"), end.strftime("%H:%M")


def _shifts(db_session, inspector) -> list[tuple[str, str, str]]:
    db_session.expire_all()
    return [_local(s) for s in db_session.scalars(sa.select(Shift).where(Shift.inspector_id == inspector.id)
                                                  .order_by(Shift.start))]


def test_a_week_is_set_in_local_time_with_a_shift_past_midnight(db_session, team, users):
    site, aphis, senasica = team
    report = set_week(db_session, users["coordinator"], site, MONDAY, {
        ("APHIS-ZAM-01", MONDAY): ("07:00", "15:00"), ("APHIS-ZAM-01", MONDAY + timedelta(days=1)): ("07:00", "15:00"),
        ("SENASICA-ZAM-01", MONDAY): ("22:00", "06:00")})
    assert report.added == 3
    assert _shifts(db_session, aphis) == [("2027-03-01", "07:00", "15:00"), ("2027-03-02", "07:00", "15:00")]
    night = db_session.scalar(sa.select(Shift).where(Shift.inspector_id == senasica.id))
    assert night.end - night.start == timedelta(hours=8)
    assert db_session.scalar(sa.select(AuditEntry.after).where(AuditEntry.entity_id == str(aphis.id)))["how"] == "week"


def test_setting_the_week_again_changes_and_removes_what_differs(db_session, team):
    site, aphis, _senasica = team
    set_week(db_session, None, site, MONDAY, {("APHIS-ZAM-01", MONDAY): ("07:00", "15:00"),
                                              ("APHIS-ZAM-01", MONDAY + timedelta(days=1)): ("07:00", "15:00")})
    report = set_week(db_session, None, site, MONDAY, {("APHIS-ZAM-01", MONDAY): ("08:00", "16:00")})
    assert (report.added, report.changed, report.removed) == (0, 1, 1)
    assert _shifts(db_session, aphis) == [("2027-03-01", "08:00", "16:00")]


@pytest.mark.parametrize("times", [("7:00", "15:00"), ("07:00", "07:00"), ("25:00", "03:00"), ("", "15:00")])
def test_bad_times_are_refused_and_nothing_is_saved(db_session, team, times):
    site, aphis, _senasica = team
    with pytest.raises(InvalidFields) as refused:
        set_week(db_session, None, site, MONDAY, {("APHIS-ZAM-01", MONDAY + timedelta(days=1)): ("07:00", "15:00"),
                                                  ("APHIS-ZAM-01", MONDAY): times})
    assert "APHIS-ZAM-01 2027-03-01" in refused.value.field_messages()
    assert _shifts(db_session, aphis) == []


def test_a_shift_cannot_overlap_the_nights_shift_before(db_session, team):
    site, aphis, _senasica = team
    with pytest.raises(InvalidFields) as refused:
        set_week(db_session, None, site, MONDAY, {("APHIS-ZAM-01", MONDAY): ("20:00", "08:00"),
                                                  ("APHIS-ZAM-01", MONDAY + timedelta(days=1)): ("07:00", "15:00")})
    assert "overlap" in refused.value.field_messages()["APHIS-ZAM-01"]


def test_a_shift_with_a_booked_inspection_cannot_be_taken_away(db_session, team):
    site, aphis, _senasica = team
    shift = make_shift(db_session, aphis, datetime.combine(MONDAY, time(7), MEXICO))
    inspection = make_inspection(db_session, make_shipment(db_session), shift.start + timedelta(hours=1), site=site,
                                 status="scheduled", result=None)
    make_booking(db_session, inspection, aphis)
    with pytest.raises(InvalidFields) as refused:
        set_week(db_session, None, site, MONDAY, {})
    assert "booked" in refused.value.field_messages()["APHIS-ZAM-01"]
    set_week(db_session, None, site, MONDAY, {("APHIS-ZAM-01", MONDAY): ("06:00", "16:00")})  # longer is fine
    assert _shifts(db_session, aphis) == [("2027-03-01", "06:00", "16:00")]


def test_an_unavailable_shift_is_left_as_it_is(db_session, team):
    site, aphis, _senasica = team
    shift = make_shift(db_session, aphis, datetime.combine(MONDAY, time(7), MEXICO))
    shift.available, shift.unavailable_reason = False, "ill"
    set_week(db_session, None, site, MONDAY, {})
    assert _shifts(db_session, aphis) == [("2027-03-01", "07:00", "15:00")]


def test_inspectors_of_another_site_are_refused(db_session, team):
    site, _aphis, _senasica = team
    make_inspector(db_session, "APHIS", code="APHIS-ELSEWHERE")
    with pytest.raises(InvalidFields) as refused:
        set_week(db_session, None, site, MONDAY, {("APHIS-ELSEWHERE", MONDAY): ("07:00", "15:00")})
    assert "APHIS-ELSEWHERE" in refused.value.field_messages()


def test_last_week_is_copied_at_the_same_local_times_except_on_closed_days(db_session, team):
    site, aphis, senasica = team
    site.observes_holidays = ["MX"]
    before = MONDAY - timedelta(days=7)
    for day in range(5):
        make_shift(db_session, aphis, datetime.combine(before + timedelta(days=day), time(7), MEXICO))
    make_shift(db_session, senasica, datetime.combine(before, time(7), MEXICO))
    make_shift(db_session, senasica, datetime.combine(MONDAY, time(9), MEXICO))  # already has Monday
    add_holiday(db_session, None, "MX", MONDAY + timedelta(days=2), "Día", "Día")
    add_closure(db_session, None, site, MONDAY + timedelta(days=4), MONDAY + timedelta(days=4), "Inventory")
    report = copy_week(db_session, None, site, MONDAY)
    assert (report.added, report.skipped_closed, report.skipped_taken) == (3, 2, 1)
    assert [s[0] for s in _shifts(db_session, aphis) if s[0] >= "2027-03-01"] == [
        "2027-03-01", "2027-03-02", "2027-03-04"]
    assert all(s[1:] == ("07:00", "15:00") for s in _shifts(db_session, aphis))


def test_shifts_come_from_a_csv_file_all_or_nothing(db_session, team):
    _site, aphis, senasica = team
    good = "inspector,day,start,end\nAPHIS-ZAM-01,2027-03-01,07:00,15:00\nSENASICA-ZAM-01,2027-03-01,22:00,06:00\n"
    assert import_shifts(db_session, None, good) == 2
    assert _shifts(db_session, senasica) == [("2027-03-01", "22:00", "06:00")]
    bad = "APHIS-ZAM-01,2027-03-02,07:00,15:00\nNOBODY,2027-03-02,07:00,15:00\nAPHIS-ZAM-01,2027-3-2,7,15\n"
    with pytest.raises(InvalidFields) as refused:
        import_shifts(db_session, None, bad)
    assert set(refused.value.field_messages()) == {"line 2", "line 3"}
    assert len(_shifts(db_session, aphis)) == 1


def test_a_csv_shift_that_clashes_names_its_lines(db_session, team):
    with pytest.raises(InvalidFields) as refused:
        import_shifts(db_session, None, "APHIS-ZAM-01,2027-03-01,07:00,15:00\nAPHIS-ZAM-01,2027-03-01,14:00,18:00\n")
    (key, message), = refused.value.field_messages().items()
    assert key == "APHIS-ZAM-01 (line 1, line 2)" and "overlap" in message
