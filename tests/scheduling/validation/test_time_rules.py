"""Validation of time and capacity: horizon, opening hours and shifts (across DST), bays, inspector days."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduling.domain import Horizon, OpeningHours, Scenario, Schedule, ScheduledBorderDecision, Shift
from scheduling.validation import validate
from tests.scheduling.validation.pairs import (ALL_DAYS, assert_named, border, inland, make_request,
                                               make_scenario, make_schedule, replace_assignment, t,
                                               with_inspector, with_site)


# Each case breaks the valid pair in one way: (scenario, schedule) -> (scenario, schedule).
CASES = {
    "outside_horizon": ("horizon", lambda sc, sh: (replace(sc, horizon=replace(sc.horizon, end=t("2027-03-01T18:15"))), sh)),
    "site_closed": ("site_hours", lambda sc, sh: (with_site(sc, "MX-URU", hours=(OpeningHours(ALL_DAYS, "06:30", "20:00"),)), sh)),
    "site_closed_that_weekday": ("site_hours", lambda sc, sh: (with_site(sc, "MX-URU", hours=(OpeningHours(("tue",), "06:00", "20:00"),)), sh)),
    "outside_shift": ("shift", lambda sc, sh: (with_inspector(sc, "APHIS-1", shifts=(Shift(t("2027-03-01T06:30"), t("2027-03-01T14:00")),)), sh)),
    "more_than_bays": ("bays", lambda sc, sh: (sc, replace_assignment(sh, 1, inland("R2", "2027-03-01T06:30")))),
    "inspector_double_booked": ("inspector_overlap", lambda sc, sh: (sc, replace_assignment(sh, 1, inland("R2", "2027-03-01T06:30")))),
    "no_time_to_travel_between_sites": ("travel", lambda sc, sh: (sc, replace_assignment(sh, 1, inland("R2", "2027-03-01T07:00", site="MX-TAN")))),
    "no_time_to_travel_from_home": ("shift_start_travel", lambda sc, sh: (sc, replace_assignment(sh, 0, inland("R1", "2027-03-01T06:00", site="MX-TAN")))),
    "daily_cap_exceeded": ("daily_cap", lambda sc, sh: (with_inspector(sc, "APHIS-1", max_minutes_per_day=90), sh)),
}


@pytest.mark.parametrize(("rule", "breaking"), CASES.values(), ids=CASES.keys())
def test_each_kind_of_violation_is_named(rule, breaking):
    assert_named(rule, breaking)


def test_travel_is_symmetric_and_daily_cap_counts_the_start_day():
    # 06:00-07:00 and 07:45-08:45 at sites 45 min apart: exactly enough travel
    schedule = replace_assignment(make_schedule(), 1, inland("R2", "2027-03-01T07:45", site="MX-TAN"))
    schedule = replace_assignment(schedule, 2, border("R2", "2027-03-01T18:45"))
    assert validate(make_scenario(), schedule) == []
    capped = with_inspector(make_scenario(), "SEN-1", max_minutes_per_day=120)
    assert validate(capped, schedule) == []


# --- DST: the US changes clocks on 2027-03-14; Mexico City keeps -06:00 all year -----------------


def dst_pair(border_start: str) -> tuple[Scenario, Schedule]:
    """R2 inspected at Pharr (America/Chicago, opens 06:00) on a day around the DST change."""
    day = border_start[:10]
    scenario = make_scenario(horizon=Horizon(t("2027-03-01T00:00"), t("2027-03-22T00:00")))
    scenario = with_site(scenario, "US-PHARR", hours=(OpeningHours(ALL_DAYS, "06:00", "16:00"),))
    shift_day = f"{int(day[8:]) - 1:02d}"
    scenario = replace(scenario, requests=(make_request(
        "R2", origin_state="JAL", ready=t(f"{day[:8]}{shift_day}T06:00"), arrive_port=t(f"{day}T00:00"),
        cross_by=t(f"{day}T23:00")),))
    scenario = with_inspector(scenario, "APHIS-1", shifts=(Shift(t(f"{day[:8]}{shift_day}T06:00"), t(f"{day[:8]}{shift_day}T14:00")),))
    scenario = with_inspector(scenario, "SEN-1", shifts=(Shift(t(f"{day[:8]}{shift_day}T06:00"), t(f"{day[:8]}{shift_day}T14:00")),))
    scenario = with_inspector(scenario, "CBP-1", shifts=(Shift(t(f"{day}T00:00"), t(f"{day}T23:00")),))
    schedule = Schedule(
        assignments=(inland("R2", f"{day[:8]}{shift_day}T06:00"), border("R2", border_start)),
        border_decisions=(ScheduledBorderDecision("R2", "required", reasons=("origin",)),),
        unscheduled=())
    return scenario, schedule


@pytest.mark.parametrize(("border_start", "inside"), [
    # 05:30-06:00 is 06:30 CDT on Tuesday 16 March: open, though -06:00 wall time reads 05:30
    ("2027-03-16T05:30", True),
    # the same -06:00 wall time a week earlier is 05:30 CST: still closed
    ("2027-03-09T05:30", False),
    # 15:45-06:00 on 16 March is 16:45 CDT, after closing; a week earlier 15:15 CST is open
    ("2027-03-16T15:45", False),
    ("2027-03-09T15:15", True),
], ids=["after-dst-open", "before-dst-closed", "after-dst-closed", "before-dst-open"])
def test_opening_hours_follow_the_sites_daylight_saving_time(border_start, inside):
    scenario, schedule = dst_pair(border_start)
    rules = {v.rule for v in validate(scenario, schedule)}
    assert ("site_hours" not in rules) is inside, rules
    assert rules <= {"site_hours"}


@pytest.mark.parametrize(("late_start", "over_cap"), [
    # 23:30-06:00 on Monday 15 March is 00:30 CDT on Tuesday in Chicago, CBP-1's home zone
    ("2027-03-15T23:30", True),
    # 22:30-06:00 is 23:30 CDT, still Monday
    ("2027-03-15T22:30", False),
], ids=["counts-on-home-tuesday", "counts-on-home-monday"])
def test_daily_cap_day_is_the_home_sites_calendar_day(late_start, over_cap):
    scenario, schedule = dst_pair("2027-03-16T05:30")
    second = replace(scenario.requests[0], id="R4", arrive_port=t("2027-03-15T00:00"), cross_by=t("2027-03-16T23:00"))
    scenario = replace(scenario, requests=scenario.requests + (second,))
    scenario = with_site(scenario, "US-PHARR", hours=(OpeningHours(ALL_DAYS, "00:00", "24:00"),))
    scenario = with_inspector(scenario, "CBP-1", max_minutes_per_day=45,
                              shifts=(Shift(t("2027-03-15T20:00"), t("2027-03-16T23:00")),))
    schedule = replace(schedule,
                       assignments=schedule.assignments + (inland("R4", "2027-03-15T07:00"), border("R4", late_start)),
                       border_decisions=schedule.border_decisions + (ScheduledBorderDecision("R4", "required"),))
    rules = [v.rule for v in validate(scenario, schedule)]
    assert rules == (["daily_cap"] if over_cap else []), rules
