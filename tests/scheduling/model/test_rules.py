"""Each scheduling rule on tiny hand-made scenarios: trivial, violated (cannot serve), satisfied."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from scheduling.domain import Shift
from tests.scheduling.builders import (AWAY, PACKHOUSE, at, border_of, inland_of, make_cbp, make_inspector,
                                       make_north_site, make_port, make_request, make_rule, make_scenario,
                                       make_site, make_team, reason_code, served, solved)


# --- trivial -----------------------------------------------------------------------------------


def test_no_requests_gives_an_empty_valid_schedule():
    schedule = solved(make_scenario([]))
    assert schedule.assignments == () and schedule.unscheduled == ()
    assert schedule.stats["served"] == 0


# --- rule 1: the joint inland inspection -------------------------------------------------------


def test_joint_team_is_one_aphis_and_one_senasica():
    schedule = solved(make_scenario([make_request("R1")]))
    inland = inland_of(schedule, "R1")
    assert sorted(i.split("-")[0] for i in inland.inspectors) == ["APHIS", "SENASICA"]
    assert inland.end - inland.start == timedelta(minutes=60)


def test_without_a_senasica_inspector_nothing_is_served():
    scenario = make_scenario([make_request("R1")], inspectors=(make_team()[0], make_cbp()))
    schedule = solved(scenario)
    assert served(schedule) == set()
    assert reason_code(schedule, "R1") == "no_senasica"


def test_inspectors_must_be_qualified_for_the_commodity():
    aphis, _ = make_team()
    senasica = make_inspector("SENASICA-1", "SENASICA", commodities=("mango",))
    schedule = solved(make_scenario([make_request("R1")], inspectors=(aphis, senasica, make_cbp())))
    assert reason_code(schedule, "R1") == "no_senasica"


def test_only_the_exporters_sites_are_used():
    team = make_team(shifts=((1, "06:00", "18:00"),))
    schedule = solved(make_scenario([make_request("R1", sites=("GUZ",))], inspectors=(*team, make_cbp())))
    assert inland_of(schedule, "R1").site == "GUZ"


def test_a_site_that_does_not_inspect_the_commodity_is_not_used():
    sites = (make_site("URU", commodities=("mango",)), make_site("GUZ", commodities=("mango",)),
             make_port())
    schedule = solved(make_scenario([make_request("R1", commodity="grape")], sites=sites))
    assert reason_code(schedule, "R1") == "no_site_for_commodity"


def test_inland_end_leaves_transit_time_to_the_port():
    # 60 min inspection + 600 min transit do not fit between 06:00 and 15:00
    schedule = solved(make_scenario([make_request("R1", cross_by=at(1, "15:00"), sites=("URU",))]))
    assert reason_code(schedule, "R1") == "window_too_short"
    ok = solved(make_scenario([make_request("R1", cross_by=at(1, "18:00"), sites=("URU",))]))
    assert inland_of(ok, "R1").end + timedelta(minutes=600) <= at(1, "18:00")


# --- rule 1 in version 2: the drive from the packhouse ---------------------------------------------


def test_version_2_inspection_waits_for_the_drive_from_the_packhouse():
    schedule = solved(make_scenario([make_request("R1", sites=("URU",), packhouse=AWAY)]))
    assert inland_of(schedule, "R1").start >= at(1, "08:25")  # ready 06:00 + 145 min on the road
    version_1 = solved(make_scenario([make_request("R1", sites=("URU",))]))
    assert inland_of(version_1, "R1").start == at(1, "06:00")


def test_a_packhouse_too_far_to_make_the_deadline_leaves_the_request_unscheduled():
    # 145 min from the packhouse + 60 min inspection + 600 min to Pharr do not fit 06:00-18:00
    request = make_request("R1", sites=("URU",), cross_by=at(1, "18:00"), packhouse=AWAY)
    schedule = solved(make_scenario([request]))
    assert reason_code(schedule, "R1") == "too_far_from_origin"
    assert "805 min" in schedule.unscheduled[0].reason


# --- rule 1b: a joint inspection north of the border, after crossing -------------------------------


def _north(requests, rules=(), north_shifts=((1, "06:00", "20:00"), (2, "06:00", "20:00"))):
    sites = (make_site("URU"), make_north_site(), make_port())
    inspectors = (*make_team("1"), *make_team("N", home="NJIS", shifts=north_shifts), make_cbp())
    return make_scenario(requests, inspectors=inspectors, sites=sites, rules=rules)


def test_a_version_1_request_may_use_a_us_site_as_version_1_did():
    schedule = solved(_north([make_request("R1", sites=("NJIS",))]))
    assert inland_of(schedule, "R1").site == "NJIS" and border_of(schedule, "R1") is not None
    assert schedule.border_decisions[0].decision == "required"


def test_a_recognised_shipment_is_inspected_north_of_the_border_after_crossing():
    request = make_request("R1", sites=("NJIS",), arrive_port=at(1, "09:00"), packhouse=PACKHOUSE)
    schedule = solved(_north([request], rules=[make_rule()]))
    inland = inland_of(schedule, "R1")
    assert inland.site == "NJIS" and inland.start >= at(1, "09:30")  # at the port 09:00, then 30 min
    assert border_of(schedule, "R1") is None
    assert schedule.border_decisions[0].decision == "joint_us_site"
    assert schedule.border_decisions[0].rule == "MR-1"
    assert schedule.stats["border_inspections_avoided"] == 1


def test_north_of_the_border_the_truck_first_drives_from_its_packhouse_to_the_port():
    request = make_request("R1", sites=("NJIS",), packhouse=AWAY)  # 145 min from Pharr
    schedule = solved(_north([request], rules=[make_rule()]))
    assert inland_of(schedule, "R1").start >= at(1, "08:55")


def test_an_unrecognised_shipment_is_never_inspected_north_of_the_border():
    request = make_request("R1", sites=("NJIS",), packhouse=PACKHOUSE)
    without_rule = solved(_north([request]))
    assert served(without_rule) == set()
    assert reason_code(without_rule, "R1") == "us_site_not_recognised"
    assert served(solved(_north([request], rules=[make_rule()]))) == {"R1"}


def test_the_plan_prefers_the_site_north_of_the_border_to_a_port_inspection():
    # at URU the rule's 24 h limit cannot be met (cross_by day 3), so the border would be required
    request = make_request("R1", packhouse=PACKHOUSE, cross_by=at(3, "12:00"),
                           arrive_port=at(1, "09:00"))
    scenario = _north([request], rules=[make_rule()], north_shifts=((1, "06:00", "20:00"),))
    schedule = solved(scenario)
    assert inland_of(schedule, "R1").site == "NJIS" and border_of(schedule, "R1") is None


# --- rule 2: the border inspection -------------------------------------------------------------


def test_a_required_border_inspection_follows_inland_end_plus_transit():
    schedule = solved(make_scenario([make_request("R1", sites=("URU",))]))
    inland, border = inland_of(schedule, "R1"), border_of(schedule, "R1")
    assert border is not None and border.site == "PHARR" and border.inspectors == ("CBP-1",)
    assert border.start >= inland.end + timedelta(minutes=600)
    assert schedule.border_decisions[0].decision == "required"


def test_without_cbp_a_required_border_inspection_cannot_be_served():
    schedule = solved(make_scenario([make_request("R1")], inspectors=make_team()))
    assert served(schedule) == set()
    assert reason_code(schedule, "R1") == "no_border_slot"


# --- rule 3: opening hours and shifts ----------------------------------------------------------


def test_inspection_lies_inside_opening_hours():
    team = make_team(shifts=((1, "06:00", "22:00"), (2, "06:00", "14:00")))
    request = make_request("R1", ready=at(1, "19:30"), sites=("URU",))
    schedule = solved(make_scenario([request], inspectors=(*team, make_cbp())))
    assert inland_of(schedule, "R1").start >= at(2, "06:00")


def test_first_inspection_of_a_shift_waits_for_travel_from_home():
    team = make_team(home="GUZ")
    schedule = solved(make_scenario([make_request("R1", sites=("URU",))], inspectors=(*team, make_cbp())))
    assert inland_of(schedule, "R1").start >= at(1, "08:00")


# --- rule 4: bays ------------------------------------------------------------------------------


@pytest.mark.parametrize("bays, expected", [(1, {"R1"}), (2, {"R1", "R2"})])
def test_bays_limit_inspections_running_at_once(bays, expected):
    sites = (make_site("URU", bays=bays, open="06:00", close="07:00"), make_site("GUZ", commodities=()),
             make_port())
    requests = [make_request("R1", priority=5), make_request("R2", priority=2)]
    inspectors = (*make_team("1"), *make_team("2"), make_cbp())
    schedule = solved(make_scenario(requests, inspectors=inspectors, sites=sites))
    assert served(schedule) == expected


# --- rule 5: inspectors ------------------------------------------------------------------------


def test_one_team_does_two_inspections_one_after_the_other():
    schedule = solved(make_scenario([make_request("R1"), make_request("R2")]))
    first, second = sorted((inland_of(schedule, r) for r in ("R1", "R2")), key=lambda a: a.start)
    assert first.end <= second.start


def test_travel_between_sites_is_respected():
    tight = [make_request("R1", sites=("URU",), cross_by=at(1, "17:30")),
             make_request("R2", sites=("GUZ",), ready=at(1, "07:00"), cross_by=at(1, "20:00"))]
    # R1 must start by 06:30 at URU; R2 at GUZ must start by 08:00, but the drive takes 120 min
    schedule = solved(make_scenario(tight))
    assert len(served(schedule)) == 1
    loose = [tight[0], make_request("R2", sites=("GUZ",), ready=at(1, "07:00"), cross_by=at(2, "12:00"))]
    schedule = solved(make_scenario(loose))
    assert served(schedule) == {"R1", "R2"}
    assert inland_of(schedule, "R2").start >= inland_of(schedule, "R1").end + timedelta(minutes=120)


def test_daily_minutes_cap():
    requests = [make_request("R1", cross_by=at(2, "00:00")), make_request("R2", cross_by=at(2, "00:00"))]
    capped = (*make_team(cap=90), make_cbp())
    assert len(served(solved(make_scenario(requests, inspectors=capped)))) == 1
    two_days = (*make_team(cap=90, shifts=((1, "06:00", "14:00"), (2, "06:00", "14:00"))), make_cbp())
    late = [make_request("R1"), make_request("R2")]
    assert served(solved(make_scenario(late, inspectors=two_days))) == {"R1", "R2"}


def test_daily_minutes_count_on_the_day_the_inspection_starts():
    # one night shift crosses midnight: 60 minutes on day 1 and 60 on day 2 fit a 60-minute cap
    sites = (make_site("URU", open="00:00", close="24:00"), make_site("GUZ", commodities=()), make_port())
    night = (Shift(at(1, "22:00"), at(2, "03:00")),)
    team = tuple(replace(i, shifts=night) for i in make_team(cap=60))
    requests = [make_request("R1", ready=at(1, "22:00")), make_request("R2", ready=at(2, "00:00"))]
    schedule = solved(make_scenario(requests, inspectors=(*team, make_cbp()), sites=sites))
    assert served(schedule) == {"R1", "R2"}
    assert inland_of(schedule, "R1").start < at(2, "00:00") <= inland_of(schedule, "R2").start


# --- rule 6: the border decision ---------------------------------------------------------------


def test_inland_inspection_is_timed_to_be_waived():
    # the rule waives only inspections ending within 24 h of crossing: day 2 12:00 or later
    team = make_team(shifts=((1, "06:00", "14:00"), (2, "06:00", "14:00"), (3, "06:00", "14:00")))
    scenario = make_scenario([make_request("R1", sites=("URU",))], inspectors=(*team, make_cbp()),
                             rules=[make_rule()])
    schedule = solved(scenario)
    assert inland_of(schedule, "R1").end >= at(2, "12:00")
    assert border_of(schedule, "R1") is None
    assert schedule.border_decisions[0].decision == "waived"
    assert schedule.stats["border_inspections_avoided"] == 1


def test_a_rule_the_exporter_does_not_qualify_for_leaves_the_border_inspection():
    scenario = make_scenario([make_request("R1", sites=("URU",))], rules=[make_rule()],
                             certifications=("CTPAT",))
    schedule = solved(scenario)
    assert border_of(schedule, "R1") is not None
    assert schedule.border_decisions[0].decision == "required"


# --- objective ---------------------------------------------------------------------------------


def test_higher_priority_wins_a_single_slot():
    sites = (make_site("URU", open="06:00", close="07:00"), make_site("GUZ", commodities=()),
             make_port())
    requests = [make_request("LOW", priority=1), make_request("HIGH", priority=5)]
    schedule = solved(make_scenario(requests, sites=sites))
    assert served(schedule) == {"HIGH"}


def test_known_optimum_beats_the_greedy_order():
    # one 06:00 slot per site; every greedy order takes WIDE first and books it at GUZ, the only
    # site NARROW may use; the optimum sends WIDE to URU
    sites = (make_site("URU", open="06:00", close="07:00"), make_site("GUZ", open="06:00", close="07:00"),
             make_port())
    inspectors = (*make_team("1", "URU"), *make_team("2", "GUZ"))
    requests = [make_request("WIDE", priority=5, cross_by=at(2, "12:00")),
                make_request("NARROW", priority=1, cross_by=at(3, "12:00"), sites=("GUZ",))]
    scenario = make_scenario(requests, inspectors=inspectors, sites=sites, rules=[make_rule(max_hours=None)])
    schedule = solved(scenario)
    assert served(schedule) == {"WIDE", "NARROW"}
    assert schedule.stats["objective"] == 6 and schedule.stats["status"] == "OPTIMAL"
    assert schedule.stats["heuristic_objective"] == schedule.stats["greedy_objective"] == 5
