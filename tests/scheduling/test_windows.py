"""Start windows: opening hours in local time (DST, 24:00), shift coverage with travel, reasons."""

from __future__ import annotations

from datetime import datetime

import pytest

from scheduling.domain import Horizon
from scheduling.minutes import Clock
from scheduling.windows import WindowBuilder, compute_windows, open_periods
from tests.scheduling.builders import (AWAY, PACKHOUSE, at, make_cbp, make_inspector, make_north_site,
                                       make_port, make_request, make_rule, make_scenario, make_site,
                                       make_team)



def _clock_from(start: str) -> Clock:
    scenario = make_scenario([])
    begin = datetime.fromisoformat(start)
    return Clock(scenario.__class__(**{**scenario.__dict__, "horizon": Horizon(begin, at(28, "00:00"))}))


def test_opening_hours_follow_daylight_saving_time():
    # Chicago moves to CDT on Sunday 14 March 2027: 06:00 local is 12:00 UTC before, 11:00 after
    clock = _clock_from("2027-03-13T00:00:00-06:00")
    site = make_site("PHARR", "port", open="06:00", close="20:00", days=("sat", "mon"),
                     timezone="America/Chicago")
    periods = sorted(p for p in open_periods(site, clock) if p[0] >= 0)
    assert periods[0] == (6 * 60, 20 * 60)
    assert periods[1] == (2 * 1440 + 5 * 60, 2 * 1440 + 19 * 60)


def test_close_at_2400_is_midnight():
    clock = _clock_from("2027-03-01T00:00:00-06:00")
    site = make_site("URU", open="18:00", close="24:00", days=("mon",))
    assert (18 * 60, 24 * 60) in open_periods(site, clock)


def test_window_needs_a_reachable_shift_of_each_agency():
    aphis = make_inspector("APHIS-1", "APHIS", home="GUZ", shifts=((1, "06:00", "14:00"),))
    senasica = make_inspector("SENASICA-1", "SENASICA", home="URU", shifts=((1, "10:00", "18:00"),))
    scenario = make_scenario([make_request("R1", sites=("URU",))], inspectors=(aphis, senasica, make_cbp()))
    windows = compute_windows(scenario)["R1"]
    # APHIS reaches URU at 08:00 and must finish by 14:00; SENASICA starts at 10:00
    assert windows.inland == {"URU": [(10 * 60, 13 * 60)]}


def test_border_window_needs_cbp_port_hours_arrival_and_deadline():
    cbp = make_cbp(shifts=((1, "20:00", "23:00"),))
    scenario = make_scenario([make_request("R1", cross_by=at(1, "22:30"), arrive_port=at(1, "16:00"))],
                             inspectors=(*make_team(), cbp))
    builder = WindowBuilder(scenario)
    assert builder.border_starts(scenario.requests[0]) == [(20 * 60, 22 * 60)]


def test_a_request_that_can_only_be_waived_starts_late_enough():
    scenario = make_scenario([make_request("R1", sites=("URU",), cross_by=at(1, "23:00"))],
                             inspectors=make_team(shifts=((1, "06:00", "14:00"),)),
                             rules=[make_rule(max_hours=10.5)])
    windows = compute_windows(scenario)["R1"]
    # an end at 12:30 or later waives (10.5 h before 23:00); without CBP an earlier end is
    # useless, and the 600 min drive to the port means ending by 13:00
    assert windows.waive_from == 12 * 60 + 30
    assert windows.inland == {"URU": [(11 * 60 + 30, 12 * 60)]}


@pytest.mark.parametrize("change, code", [
    ({"commodity": "grape"}, "no_site_for_commodity"),
    ({"cross_by": at(1, "10:00")}, "window_too_short"),
])
def test_reasons_for_requests_without_any_window(change, code):
    sites = (make_site("URU", commodities=("avocado",)), make_site("GUZ", commodities=("avocado",)),
             make_port())
    scenario = make_scenario([make_request("R1", **change)], sites=sites)
    assert compute_windows(scenario)["R1"].problem.code == code


def test_reason_when_the_site_is_closed():
    sites = (make_site("URU", days=("sun",)), make_site("GUZ", days=("sun",)),
             make_port())
    scenario = make_scenario([make_request("R1", cross_by=at(2, "20:00"))], sites=sites)
    assert compute_windows(scenario)["R1"].problem.code == "closed"


@pytest.mark.parametrize("agency, code", [("APHIS", "no_aphis"), ("SENASICA", "no_senasica")])
def test_reason_when_an_agency_has_no_qualified_inspector_on_shift(agency, code):
    team = [i for i in make_team() if i.agency != agency]
    team.append(make_inspector(f"{agency}-9", agency, commodities=("mango",)))
    scenario = make_scenario([make_request("R1")], inspectors=(*team, make_cbp()))
    windows = compute_windows(scenario)["R1"]
    assert windows.problem.code == code
    assert "avocado" in windows.problem.text


def test_reason_when_no_cbp_can_do_the_required_border_inspection():
    scenario = make_scenario([make_request("R1")], inspectors=make_team())
    problem = compute_windows(scenario)["R1"].problem
    assert problem.code == "no_border_slot" and "CBP" in problem.text


# --- version 2 ---------------------------------------------------------------------------------------


def _north_scenario(request, rules=(make_rule(max_hours=None),)):
    sites = (make_site("URU"), make_north_site(open="00:00", close="24:00"), make_port())
    team = make_team("N", home="NJIS", shifts=((1, "00:00", "23:59"), (2, "00:00", "23:59")))
    return make_scenario([request], inspectors=(*make_team(), *team, make_cbp()), sites=sites, rules=rules)


def test_a_mexican_site_opens_to_the_load_after_the_drive_from_its_packhouse():
    request = make_request("R1", sites=("URU",), packhouse=AWAY)
    assert compute_windows(make_scenario([request]))["R1"].inland["URU"][0][0] == 6 * 60 + 145


def test_a_site_north_of_the_border_opens_after_the_port_and_closes_at_cross_by():
    request = make_request("R1", sites=("NJIS",), packhouse=AWAY, arrive_port=at(1, "07:00"),
                           cross_by=at(1, "20:00"))
    windows = compute_windows(_north_scenario(request))["R1"]
    # at the port at max(07:00, 06:00 + 145 min) = 08:25, at the site 30 min later; 60 min to 20:00
    assert windows.inland == {"NJIS": [(8 * 60 + 55, 19 * 60)]}
    assert windows.north == {"NJIS"} and windows.avoids_border("NJIS", 0)


def test_a_site_north_of_the_border_needs_a_rule_that_recognises_the_shipment():
    request = make_request("R1", sites=("NJIS",), packhouse=PACKHOUSE)
    windows = compute_windows(_north_scenario(request, rules=()))["R1"]
    assert windows.inland == {} and windows.problem.code == "us_site_not_recognised"
    assert "Njis is north of the border" in windows.problem.text


def test_seal_and_hours_before_crossing_do_not_matter_north_of_the_border():
    request = make_request("R1", sites=("NJIS",), packhouse=PACKHOUSE, sealable=False, cross_by=at(2, "23:00"))
    windows = compute_windows(_north_scenario(request, rules=(make_rule(max_hours=1),)))["R1"]
    assert windows.inland["NJIS"] and windows.waive_from is None


def test_a_version_1_request_treats_a_us_inland_site_as_version_1_did():
    request = make_request("R1", sites=("NJIS",), cross_by=at(1, "20:00"))
    windows = compute_windows(_north_scenario(request))["R1"]
    # before the port: from ready 06:00 to the latest start that still drives 30 min to Pharr
    assert windows.inland == {"NJIS": [(6 * 60, 18 * 60 + 30)]} and windows.north == set()
