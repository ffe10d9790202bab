"""Validation per request: joint and border inspections, the border decision, unscheduled listing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduling.domain import ScheduledBorderDecision, Unscheduled
from scheduling.validation import validate
from tests.scheduling.validation.pairs import (AWAY, assert_named, border, inland, make_scenario,
                                               make_schedule, make_v2_scenario, make_v2_schedule,
                                               replace_assignment, t, with_inspector, with_request,
                                               with_site)


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
    "waived_marked_required": ("border_decision", lambda sc, sh: (sc, replace(sh, border_decisions=(ScheduledBorderDecision("R1", "required"), sh.border_decisions[1])))),
    "decision_missing": ("border_decision", lambda sc, sh: (sc, replace(sh, border_decisions=sh.border_decisions[1:]))),
    "required_marked_waived": ("border_decision", lambda sc, sh: (sc, replace(sh, border_decisions=(sh.border_decisions[0], ScheduledBorderDecision("R2", "waived", rule="MR-AVO"))))),
    "waived_under_unknown_rule": ("border_decision", lambda sc, sh: (sc, replace(sh, border_decisions=(ScheduledBorderDecision("R1", "waived", rule="MR-X"), sh.border_decisions[1])))),
    "waived_although_inspected_too_early": ("border_decision", lambda sc, sh: (with_request(sc, "R1", cross_by=t("2027-03-02T12:00")), sh)),
    "required_without_border_inspection": ("border_decision", lambda sc, sh: (sc, replace_assignment(sh, 2, None))),
    "waived_but_inspected_at_border": ("border_decision", lambda sc, sh: (sc, replace(sh, assignments=sh.assignments + (border("R1", "2027-03-01T19:00"),)))),
    "drawn_load_marked_waived": ("border_decision", lambda sc, sh: (with_request(sc, "R1", border_required="drawn for verification"), sh)),
    "unserved_not_listed": ("unserved_not_listed", lambda sc, sh: (sc, replace(sh, unscheduled=()))),
    "listed_but_scheduled": ("unscheduled_has_assignment", lambda sc, sh: (sc, replace(sh, unscheduled=sh.unscheduled + (Unscheduled("R1", "x"),)))),
    "border_only_listed": ("unscheduled_has_assignment", lambda sc, sh: (sc, replace(sh, assignments=sh.assignments + (border("R3", "2027-03-01T19:00"),)))),
    "unscheduled_without_reason": ("unscheduled_reason", lambda sc, sh: (sc, replace(sh, unscheduled=(Unscheduled("R3", " "),)))),
}


@pytest.mark.parametrize(("rule", "breaking"), CASES.values(), ids=CASES.keys())
def test_each_kind_of_violation_is_named(rule, breaking):
    assert_named(rule, breaking)


def test_violation_names_the_request():
    scenario = with_request(make_scenario(), "R2", arrive_port=t("2027-03-01T18:10"))
    [violation] = validate(scenario, make_schedule())
    assert (violation.rule, violation.request) == ("border_window", "R2")
    assert "R2" in violation.message and "Mon 2027-03-01 18:10 America/Chicago" in violation.message


def test_a_drawn_load_marked_waived_is_told_why_its_border_inspection_is_done():
    scenario = with_request(make_scenario(), "R1", border_required="drawn for verification")
    violations = validate(scenario, make_schedule())
    assert [v.rule for v in violations] == ["border_decision"]
    assert violations[0].message == ("R1 is marked waived, but its border inspection is done whatever the rules "
                                     "say: drawn for verification")


def test_the_version_2_pair_is_valid():
    assert validate(make_v2_scenario(), make_v2_schedule()) == []


# Version 2 (rules 1 and 1b): each case breaks the valid version 2 pair in one way.
V2_CASES = {
    "inland_before_the_load_arrives_from_its_packhouse": ("inland_window", lambda sc, sh: (with_request(sc, "R1", origin=AWAY), sh)),
    "us_site_before_the_truck_crosses": ("inland_window", lambda sc, sh: (sc, replace_assignment(sh, 3, inland("R4", "2027-03-01T12:15", site="US-NJIS", team=("APHIS-2", "SEN-2"))))),
    "us_site_after_packhouse_drive_to_port": ("inland_window", lambda sc, sh: (with_request(sc, "R4", origin=AWAY, arrive_port=t("2027-03-01T06:00")), replace_assignment(sh, 3, inland("R4", "2027-03-01T08:30", site="US-NJIS", team=("APHIS-2", "SEN-2"))))),
    "us_site_ends_after_cross_by": ("inland_window", lambda sc, sh: (with_request(sc, "R4", cross_by=t("2027-03-01T13:30")), sh)),
    "us_site_without_a_recognising_rule": ("border_decision", lambda sc, sh: (with_request(sc, "R4", origin_state="JAL"), sh)),
    "us_site_marked_waived": ("border_decision", lambda sc, sh: (sc, replace(sh, border_decisions=(*sh.border_decisions[:2], ScheduledBorderDecision("R4", "waived", rule="MR-AVO"))))),
    "us_site_and_a_port_inspection": ("border_decision", lambda sc, sh: (sc, replace(sh, assignments=(*sh.assignments, border("R4", "2027-03-01T18:00"))))),
    "joint_us_site_at_a_mexican_site": ("border_decision", lambda sc, sh: (sc, replace(sh, border_decisions=(ScheduledBorderDecision("R1", "joint_us_site", rule="MR-AVO"), *sh.border_decisions[1:])))),
    "version_1_request_at_a_us_site_is_judged_by_version_1": ("border_decision", lambda sc, sh: (with_request(sc, "R4", origin=None), sh)),
}


@pytest.mark.parametrize(("rule", "breaking"), V2_CASES.values(), ids=V2_CASES.keys())
def test_each_kind_of_version_2_violation_is_named(rule, breaking):
    assert_named(rule, breaking, (make_v2_scenario(), make_v2_schedule()))


def test_a_us_site_before_the_port_says_where_the_truck_crosses_first():
    schedule = replace_assignment(make_v2_schedule(), 3, inland("R4", "2027-03-01T12:15", site="US-NJIS",
                                                                 team=("APHIS-2", "SEN-2")))
    [violation] = validate(make_v2_scenario(), schedule)
    assert violation.request == "R4"
    assert "crosses at Us-Pharr (US-PHARR) first" in violation.message
    assert "Mon 2027-03-01 12:30 America/Chicago" in violation.message
