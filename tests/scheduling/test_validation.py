"""The schedule validator: accepts a correct hand-made schedule and names each kind of violation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from mr_agreements.domain import Certification, Rule
from scheduling.domain import (
    BORDER,
    JOINT_INLAND,
    Assignment,
    Exporter,
    Horizon,
    Inspector,
    OpeningHours,
    Request,
    Scenario,
    Schedule,
    ScheduledBorderDecision,
    Shift,
    Site,
    Unscheduled,
)
from scheduling.validation import Violation, validate

ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def t(text: str, offset: str = "-06:00") -> datetime:
    """A time written the way the exchange format writes it (Mexico City / Chicago winter offset)."""
    return datetime.fromisoformat(f"{text}{offset}")


def make_site(id: str, kind: str = "inland", timezone: str = "America/Mexico_City", bays: int = 1,
              open: str = "06:00", close: str = "20:00", days=ALL_DAYS[:6], commodities=("avocado",)) -> Site:
    return Site(id=id, name=id.title(), kind=kind, country="MX" if kind == "inland" else "US", lat=19.4,
                lon=-102.0, timezone=timezone, bays=bays, hours=(OpeningHours(tuple(days), open, close),),
                commodities=tuple(commodities))


def make_inspector(id: str, agency: str, home: str, shifts=(("2027-03-01T06:00", "2027-03-01T14:00"),),
                   commodities=("*",), cap: int = 360) -> Inspector:
    return Inspector(id=id, agency=agency, home_site=home, commodities=tuple(commodities),
                     shifts=tuple(Shift(t(a), t(b)) for a, b in shifts), max_minutes_per_day=cap)


def make_request(id: str, **changes) -> Request:
    base = Request(id=id, exporter="EXP-1", commodity="avocado", origin_state="MIC", port="US-PHARR",
                   ready=t("2027-03-01T06:00"), arrive_port=t("2027-03-01T12:00"),
                   cross_by=t("2027-03-02T00:00"), inspection_minutes=60, border_inspection_minutes=30,
                   priority=4)
    return replace(base, **changes)


def make_scenario(**changes) -> Scenario:
    """Two inland sites 45 min apart, Pharr 10 h away, one team, one CBP officer, one avocado rule."""
    base = Scenario(
        horizon=Horizon(t("2027-03-01T00:00"), t("2027-03-08T00:00")),
        sites=(make_site("MX-URU"), make_site("MX-TAN"),
               make_site("US-PHARR", kind="port", timezone="America/Chicago", open="06:00", close="24:00",
                         days=ALL_DAYS, commodities=("*",))),
        inspectors=(make_inspector("APHIS-1", "APHIS", "MX-URU"), make_inspector("SEN-1", "SENASICA", "MX-URU"),
                    make_inspector("CBP-1", "CBP", "US-PHARR", shifts=(("2027-03-01T14:00", "2027-03-01T22:00"),))),
        exporters=(Exporter("EXP-1", "Exportadora", (Certification("OEA", date(2028, 1, 1)),)),),
        requests=(make_request("R1", cross_by=t("2027-03-01T23:00")),
                  make_request("R2", origin_state="JAL"),
                  make_request("R3")),
        rules=(Rule(id="MR-AVO", agreement="MR", commodities=("avocado",), origin_states=("MIC",),
                    requires_certifications=("OEA",), requires_seal=True, max_hours_before_crossing=24,
                    valid_from=date(2027, 1, 1)),),
        travel_overrides=(("MX-URU", "MX-TAN", 45), ("MX-URU", "US-PHARR", 600), ("MX-TAN", "US-PHARR", 600)),
    )
    return replace(base, **changes)


def inland(request: str, start: str, minutes: int = 60, site: str = "MX-URU",
           team=("APHIS-1", "SEN-1")) -> Assignment:
    begin = t(start)
    return Assignment(request, JOINT_INLAND, site, begin, begin + _minutes(minutes), tuple(team))


def border(request: str, start: str, minutes: int = 30, site: str = "US-PHARR", team=("CBP-1",)) -> Assignment:
    begin = t(start)
    return Assignment(request, BORDER, site, begin, begin + _minutes(minutes), tuple(team))


def _minutes(n: int):
    from datetime import timedelta

    return timedelta(minutes=n)


def make_schedule(**changes) -> Schedule:
    """R1 waived after its joint inspection, R2 (origin not covered) inspected at Pharr, R3 unscheduled."""
    base = Schedule(
        assignments=(inland("R1", "2027-03-01T06:00"), inland("R2", "2027-03-01T07:00"),
                     border("R2", "2027-03-01T18:00")),
        border_decisions=(ScheduledBorderDecision("R1", "waived", rule="MR-AVO"),
                          ScheduledBorderDecision("R2", "required", reasons=("origin state JAL is not covered",))),
        unscheduled=(Unscheduled("R3", "no team free"),),
    )
    return replace(base, **changes)


def replace_assignment(schedule: Schedule, index: int, new: Assignment | None) -> Schedule:
    items = list(schedule.assignments)
    if new is None:
        del items[index]
    else:
        items[index] = new
    return replace(schedule, assignments=tuple(items))


def with_request(scenario: Scenario, request_id: str, **changes) -> Scenario:
    requests = tuple(replace(r, **changes) if r.id == request_id else r for r in scenario.requests)
    return replace(scenario, requests=requests)


def with_inspector(scenario: Scenario, inspector_id: str, **changes) -> Scenario:
    inspectors = tuple(replace(i, **changes) if i.id == inspector_id else i for i in scenario.inspectors)
    return replace(scenario, inspectors=inspectors)


def with_site(scenario: Scenario, site_id: str, **changes) -> Scenario:
    return replace(scenario, sites=tuple(replace(s, **changes) if s.id == site_id else s for s in scenario.sites))


def test_a_correct_schedule_has_no_violations():
    assert validate(make_scenario(), make_schedule()) == []


def test_violations_read_as_plain_words_with_local_times():
    schedule = replace_assignment(make_schedule(), 0, inland("R1", "2027-03-01T05:30"))
    messages = [str(v) for v in validate(make_scenario(), schedule)]
    assert any("site_hours" in m and "MX-URU" in m and "Mon 2027-03-01 05:30-06:30 America/Mexico_City" in m
               for m in messages), messages


# Each case breaks the valid pair in one way: (scenario, schedule) -> (scenario, schedule).
CASES = {
    "inland_at_a_port": ("inland_site", lambda sc, sh: (sc, replace_assignment(sh, 0, inland("R1", "2027-03-01T06:00", site="US-PHARR")))),
    "site_does_not_inspect_commodity": ("inland_site", lambda sc, sh: (with_site(sc, "MX-URU", commodities=("lime",)), sh)),
    "site_not_among_exporter_sites": ("inland_site", lambda sc, sh: (with_request(sc, "R1", sites=("MX-TAN",)), sh)),
    "team_without_senasica": ("inland_team", lambda sc, sh: (sc, replace_assignment(sh, 0, inland("R1", "2027-03-01T06:00", team=("APHIS-1",))))),
    "team_member_not_qualified": ("inland_team", lambda sc, sh: (with_inspector(sc, "SEN-1", commodities=("lime",)), sh)),
    "inland_too_short": ("duration", lambda sc, sh: (sc, replace_assignment(sh, 0, inland("R1", "2027-03-01T06:00", minutes=45)))),
    "inland_before_ready": ("inland_window", lambda sc, sh: (with_request(sc, "R1", ready=t("2027-03-01T06:30")), sh)),
    "inland_too_late_for_transit": ("inland_window", lambda sc, sh: (with_request(sc, "R1", cross_by=t("2027-03-01T16:30")), sh)),
    "border_at_wrong_port": ("border_port", lambda sc, sh: (sc, replace_assignment(sh, 2, border("R2", "2027-03-01T18:00", site="MX-TAN")))),
    "border_without_cbp": ("border_inspector", lambda sc, sh: (sc, replace_assignment(sh, 2, border("R2", "2027-03-01T18:00", team=("SEN-1",))))),
    "cbp_not_qualified": ("border_inspector", lambda sc, sh: (with_inspector(sc, "CBP-1", commodities=("lime",)), sh)),
    "border_too_long": ("duration", lambda sc, sh: (sc, replace_assignment(sh, 2, border("R2", "2027-03-01T18:00", minutes=45)))),
    "border_before_truck_arrives": ("border_window", lambda sc, sh: (with_request(sc, "R2", arrive_port=t("2027-03-01T18:10")), sh)),
    "border_before_transit_from_inland": ("border_window", lambda sc, sh: (sc, replace_assignment(sh, 2, border("R2", "2027-03-01T17:30")))),
    "border_after_cross_by": ("border_window", lambda sc, sh: (with_request(sc, "R2", cross_by=t("2027-03-01T18:20")), sh)),
    "outside_horizon": ("horizon", lambda sc, sh: (replace(sc, horizon=replace(sc.horizon, end=t("2027-03-01T18:15"))), sh)),
    "site_closed": ("site_hours", lambda sc, sh: (with_site(sc, "MX-URU", hours=(OpeningHours(ALL_DAYS, "06:30", "20:00"),)), sh)),
    "site_closed_that_weekday": ("site_hours", lambda sc, sh: (with_site(sc, "MX-URU", hours=(OpeningHours(("tue",), "06:00", "20:00"),)), sh)),
    "outside_shift": ("shift", lambda sc, sh: (with_inspector(sc, "APHIS-1", shifts=(Shift(t("2027-03-01T06:30"), t("2027-03-01T14:00")),)), sh)),
    "more_than_bays": ("bays", lambda sc, sh: (sc, replace_assignment(sh, 1, inland("R2", "2027-03-01T06:30")))),
    "inspector_double_booked": ("inspector_overlap", lambda sc, sh: (sc, replace_assignment(sh, 1, inland("R2", "2027-03-01T06:30")))),
    "no_time_to_travel_between_sites": ("travel", lambda sc, sh: (sc, replace_assignment(sh, 1, inland("R2", "2027-03-01T07:00", site="MX-TAN")))),
    "no_time_to_travel_from_home": ("shift_start_travel", lambda sc, sh: (sc, replace_assignment(sh, 0, inland("R1", "2027-03-01T06:00", site="MX-TAN")))),
    "daily_cap_exceeded": ("daily_cap", lambda sc, sh: (with_inspector(sc, "APHIS-1", max_minutes_per_day=90), sh)),
    "waived_marked_required": ("border_decision", lambda sc, sh: (sc, replace(sh, border_decisions=(ScheduledBorderDecision("R1", "required"), sh.border_decisions[1])))),
    "decision_missing": ("border_decision", lambda sc, sh: (sc, replace(sh, border_decisions=sh.border_decisions[1:]))),
    "required_marked_waived": ("border_decision", lambda sc, sh: (sc, replace(sh, border_decisions=(sh.border_decisions[0], ScheduledBorderDecision("R2", "waived", rule="MR-AVO"))))),
    "waived_under_unknown_rule": ("border_decision", lambda sc, sh: (sc, replace(sh, border_decisions=(ScheduledBorderDecision("R1", "waived", rule="MR-X"), sh.border_decisions[1])))),
    "waived_although_inspected_too_early": ("border_decision", lambda sc, sh: (with_request(sc, "R1", cross_by=t("2027-03-02T12:00")), sh)),
    "required_without_border_inspection": ("border_decision", lambda sc, sh: (sc, replace_assignment(sh, 2, None))),
    "waived_but_inspected_at_border": ("border_decision", lambda sc, sh: (sc, replace(sh, assignments=sh.assignments + (border("R1", "2027-03-01T19:00"),)))),
    "unserved_not_listed": ("unserved_not_listed", lambda sc, sh: (sc, replace(sh, unscheduled=()))),
    "listed_but_scheduled": ("unscheduled_has_assignment", lambda sc, sh: (sc, replace(sh, unscheduled=sh.unscheduled + (Unscheduled("R1", "x"),)))),
    "border_only_listed": ("unscheduled_has_assignment", lambda sc, sh: (sc, replace(sh, assignments=sh.assignments + (border("R3", "2027-03-01T19:00"),)))),
    "unscheduled_without_reason": ("unscheduled_reason", lambda sc, sh: (sc, replace(sh, unscheduled=(Unscheduled("R3", " "),)))),
    "two_inland_inspections": ("duplicate", lambda sc, sh: (sc, replace(sh, assignments=sh.assignments + (inland("R1", "2027-03-01T09:00"),)))),
    "unknown_request": ("unknown_reference", lambda sc, sh: (sc, replace(sh, assignments=sh.assignments + (inland("R99", "2027-03-01T09:00"),)))),
    "unknown_inspector": ("unknown_reference", lambda sc, sh: (sc, replace_assignment(sh, 0, inland("R1", "2027-03-01T06:00", team=("APHIS-1", "SEN-9"))))),
}


@pytest.mark.parametrize(("rule", "breaking"), CASES.values(), ids=CASES.keys())
def test_each_kind_of_violation_is_named(rule, breaking):
    scenario, schedule = breaking(make_scenario(), make_schedule())
    violations = validate(scenario, schedule)
    assert rule in {v.rule for v in violations}, violations
    assert all(isinstance(v, Violation) and v.message for v in violations)


def test_violation_names_the_request():
    scenario = with_request(make_scenario(), "R2", arrive_port=t("2027-03-01T18:10"))
    [violation] = validate(scenario, make_schedule())
    assert (violation.rule, violation.request) == ("border_window", "R2")
    assert "R2" in violation.message and "Mon 2027-03-01 18:10 America/Chicago" in violation.message


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
