"""Days closed ahead: holidays a site observes and dated closures reach the optimizer as hours it cannot
use, so nothing is planned on them; the federal holidays are seeded on their real dates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from scheduling.domain import OpeningHours
from scheduling.settings import SolverSettings
from scheduling.solver import solve

from app.models import AuditEntry, Holiday
from app.services.planning.calendar import add_closure, add_holiday, hours_around, inspections_on
from app.services.planning.reference_checks import InvalidFields
from app.services.planning.scenario import build_scenario
from app.services.seeding import seed
from app.services.seeding.holidays import holiday_date
from tests.factories import make_inspection, make_inspector, make_shift, make_shipment, make_site

MEXICO = ZoneInfo("America/Mexico_City")
MONDAY = date(2027, 2, 1)  # Constitution Day in Mexico
WEEK = (datetime.combine(MONDAY, time(0), MEXICO), datetime.combine(MONDAY + timedelta(days=7), time(0), MEXICO))
WEEKDAYS = OpeningHours(("mon", "tue", "wed", "thu", "fri"), "07:00", "19:00")


def _hours(scenario, code: str) -> list[tuple[tuple[str, ...], str, str]]:
    return [(h.days, h.open, h.close) for h in scenario.site(code).hours]


def test_a_site_observing_mexican_holidays_is_closed_on_constitution_day(db_session):
    make_site(db_session, code="MX-ZAMORA", observes_holidays=["MX"])
    make_site(db_session, code="MX-OTHER")
    add_holiday(db_session, None, "MX", MONDAY, "Constitution Day", "Día de la Constitución")
    scenario, _ids = build_scenario(db_session, *WEEK)
    assert _hours(scenario, "MX-ZAMORA") == [(("tue", "wed", "thu", "fri", "sat"), "06:00", "20:00")]
    assert _hours(scenario, "MX-OTHER") == [(("mon", "tue", "wed", "thu", "fri", "sat"), "06:00", "20:00")]


def test_a_dated_closure_closes_its_days_in_the_plan_and_is_audited(db_session, users):
    site = make_site(db_session, code="MX-ZAMORA")
    add_closure(db_session, users["coordinator"], site, MONDAY + timedelta(days=2), MONDAY + timedelta(days=3),
                "Road blocked")
    scenario, _ids = build_scenario(db_session, *WEEK)
    assert _hours(scenario, "MX-ZAMORA") == [(("mon", "tue", "fri", "sat"), "06:00", "20:00")]
    assert db_session.scalar(sa.select(AuditEntry.after).where(AuditEntry.action == "site.closure_added")) \
        == {"first_day": "2027-02-03", "last_day": "2027-02-04", "reason": "Road blocked"}


def test_a_closure_outside_the_horizon_changes_nothing(db_session):
    site = make_site(db_session, code="MX-ZAMORA")
    add_closure(db_session, None, site, MONDAY + timedelta(days=7), MONDAY + timedelta(days=7), "Next week")
    scenario, _ids = build_scenario(db_session, *WEEK)
    assert _hours(scenario, "MX-ZAMORA")[0][0] == ("mon", "tue", "wed", "thu", "fri", "sat")


def test_over_two_weeks_a_weekday_closed_once_is_closed_on_both_dates():
    """The format has weekly hours only: the plan never uses a closed day, at the price of the other one."""
    start = WEEK[0]
    kept = hours_around((WEEKDAYS,), "America/Mexico_City", start, start + timedelta(days=14), {MONDAY})
    assert kept == (OpeningHours(("tue", "wed", "thu", "fri"), "07:00", "19:00"),)


def test_a_closed_day_before_the_horizon_does_not_close_its_weekday_inside():
    start = WEEK[0]
    kept = hours_around((WEEKDAYS,), "America/Mexico_City", start, start + timedelta(days=7),
                        {MONDAY - timedelta(days=3)})  # the Friday before
    assert kept == (WEEKDAYS,)


def _one_shipment_world(db_session, ready: datetime, cross_by: datetime):
    site = make_site(db_session, code="MX-ZAMORA", lat=19.98, lon=-102.28, observes_holidays=["MX"])
    # A port next door: the shipment's window, not the drive, decides the day.
    port = make_site(db_session, kind="port", code="MX-PORT", lat=20.0, lon=-102.3)
    team = [make_inspector(db_session, agency, home_site=site) for agency in ("APHIS", "SENASICA")]
    team.append(make_inspector(db_session, "CBP", home_site=port))
    for day in range(5):
        for inspector in team:
            make_shift(db_session, inspector, datetime.combine(MONDAY + timedelta(days=day), time(6), MEXICO), 14)
    return make_shipment(db_session, reference="ZAM-1", port=port, ready=ready, arrive_port=ready,
                         cross_by=cross_by, commodity=None)


@pytest.mark.parametrize("holiday", [False, True])
def test_the_optimizer_plans_nothing_at_a_site_on_its_holiday(db_session, holiday):
    monday_morning = datetime.combine(MONDAY, time(8), MEXICO)
    _one_shipment_world(db_session, monday_morning, monday_morning + timedelta(hours=36))
    if holiday:
        add_holiday(db_session, None, "MX", MONDAY, "Constitution Day", "Día de la Constitución")
    scenario, _ids = build_scenario(db_session, *WEEK)
    schedule = solve(scenario, SolverSettings(time_limit_s=5, workers=1))
    inland = [a for a in schedule.assignments if a.type == "joint_inland"]
    assert len(inland) == 1, schedule.unscheduled
    day = inland[0].start.astimezone(MEXICO).date()
    assert day != MONDAY if holiday else day in (MONDAY, MONDAY + timedelta(days=1))


@pytest.mark.parametrize("holiday", [False, True])
def test_a_shipment_that_only_fits_on_the_holiday_is_left_unscheduled(db_session, holiday):
    monday_morning = datetime.combine(MONDAY, time(8), MEXICO)
    _one_shipment_world(db_session, monday_morning, monday_morning + timedelta(hours=10))
    if holiday:
        add_holiday(db_session, None, "MX", MONDAY, "Constitution Day", "Día de la Constitución")
    scenario, _ids = build_scenario(db_session, *WEEK)
    schedule = solve(scenario, SolverSettings(time_limit_s=5, workers=1))
    assert [u.request for u in schedule.unscheduled] == (["ZAM-1"] if holiday else [])


def test_a_closure_says_how_many_scheduled_inspections_it_strands(db_session):
    site = make_site(db_session, code="MX-ZAMORA")
    make_inspection(db_session, make_shipment(db_session), datetime.combine(MONDAY, time(10), MEXICO), site=site,
                    status="scheduled", result=None)
    assert inspections_on(db_session, site, MONDAY, MONDAY) == 1
    assert inspections_on(db_session, site, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)) == 0


def test_a_closure_needs_a_reason_and_days_in_order(db_session):
    site = make_site(db_session)
    with pytest.raises(InvalidFields) as refused:
        add_closure(db_session, None, site, MONDAY, MONDAY - timedelta(days=1), " ")
    assert set(refused.value.field_messages()) == {"reason", "last_day"}


@pytest.mark.parametrize(("country", "name", "year", "expected"), [
    ("US", "Independence Day", 2026, date(2026, 7, 3)),  # a Saturday: observed on the Friday
    ("US", "Christmas Day", 2022, date(2022, 12, 26)),  # a Sunday: observed on the Monday
    ("US", "Thanksgiving Day", 2027, date(2027, 11, 25)),
    ("US", "Memorial Day", 2027, date(2027, 5, 31)),
    ("MX", "Constitution Day", 2027, date(2027, 2, 1)),
    ("MX", "Revolution Day", 2026, date(2026, 11, 16)),
    ("MX", "Transfer of Federal Executive Power", 2030, date(2030, 10, 1)),
    ("MX", "Transfer of Federal Executive Power", 2027, None),
    ("MX", "Independence Day", 2027, date(2027, 9, 16)),  # a Thursday: Mexico does not move its holidays
])
def test_federal_holidays_fall_on_their_real_dates(country, name, year, expected):
    from app.services.seeding.common import load_json

    rule = next(r for r in load_json("holidays.json")[country] if r["name_en"] == name)
    assert holiday_date(rule, year, observed=country == "US") == expected


def test_seeding_loads_both_calendars_once(db_session):
    seed(db_session, demo_accounts=False, today=date(2027, 6, 1))
    count = db_session.scalar(sa.select(sa.func.count()).select_from(Holiday))
    assert db_session.scalar(sa.select(Holiday.name_es).where(Holiday.country == "MX",
                                                              Holiday.day == date(2027, 9, 16))) \
        == "Día de la Independencia"
    again = seed(db_session, demo_accounts=False, today=date(2027, 6, 1))
    assert again.created["holiday"] == 0 and db_session.scalar(sa.select(sa.func.count()).select_from(Holiday)) == count
