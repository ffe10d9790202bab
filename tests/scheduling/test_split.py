"""Independent parts: found from the data, complete on their own, and merged into one valid schedule."""

from __future__ import annotations

from dataclasses import replace

from scheduling.exchange import load_scenario, load_schedule, scenario_to_dict, schedule_to_dict
from scheduling.settings import SolverSettings
from scheduling.solver import solve, solve_part
from scheduling.split import components, merge, ports_of
from scheduling.validation import validate
from tests.scheduling.builders import (at, make_inspector, make_port, make_request, make_rule, make_scenario,
                                       make_site, make_team, served)

# Two corridors 1,000 km apart: avocados from Uruapan to Pharr, tomatoes from Culiacan to Nogales.
URU = make_site("URU", commodities=("avocado",))
CUL = replace(make_site("CUL", commodities=("tomato",), timezone="America/Mazatlan"), lat=24.8, lon=-107.4)
PHARR = replace(make_port(), lat=26.1, lon=-98.2)
NOG = replace(make_port(), id="NOG", name="Nogales", lat=31.3, lon=-111.0, timezone="America/Phoenix")
TRAVEL = (("URU", "PHARR", 600),)


def two_corridors(requests=None, inspectors=None, sites=(URU, CUL, PHARR, NOG)):
    requests = requests or [make_request("AVO-1"), make_request("AVO-2", priority=5),
                            replace(make_request("TOM-1", commodity="tomato", cross_by=at(3, "12:00")), port="NOG")]
    inspectors = inspectors or (*make_team("U", home="URU"), *make_team("C", home="CUL"),
                                make_inspector("CBP-P", "CBP", "PHARR", ((1, "00:00", "23:59"), (2, "00:00", "23:59"))),
                                make_inspector("CBP-N", "CBP", "NOG", ((1, "00:00", "23:59"), (2, "00:00", "23:59"))))
    return make_scenario(requests, inspectors=inspectors, sites=sites, rules=[make_rule()], travel=TRAVEL)


def test_corridors_that_share_no_inspector_site_or_port_are_separate_parts():
    scenario = two_corridors()
    first, second = components(scenario)
    assert [r.id for r in first.requests] == ["AVO-1", "AVO-2"] and ports_of(first) == ("PHARR",)
    assert [r.id for r in second.requests] == ["TOM-1"] and ports_of(second) == ("NOG",)
    assert {s.id for s in first.sites} == {"URU", "PHARR"} and {s.id for s in second.sites} == {"CUL", "NOG"}
    assert {i.id for i in second.inspectors} == {"APHIS-C", "SENASICA-C", "CBP-N"}
    assert first.travel_overrides == TRAVEL and second.travel_overrides == ()


def test_a_part_is_a_complete_scenario_a_worker_can_read():
    part = components(two_corridors())[1]
    assert load_scenario(scenario_to_dict(part)) == part


def test_an_inspector_who_can_reach_both_corridors_joins_them():
    roaming = make_inspector("APHIS-R", "APHIS", home="CUL", shifts=((1, "00:00", "23:59"),))
    scenario = two_corridors()
    assert len(components(replace(scenario, inspectors=(*scenario.inspectors, roaming),
                                  travel_overrides=(*TRAVEL, ("CUL", "URU", 300))))) == 1


def test_a_request_that_could_use_the_other_corridors_site_joins_them():
    scenario = two_corridors()
    # Culiacan inspecting avocados too, with days for an Uruapan avocado to go round by it
    sites = (URU, replace(CUL, commodities=("tomato", "avocado")), PHARR, NOG)
    assert len(components(replace(scenario, sites=sites))) == 1
    # the same site is out of reach within a short window: the corridors stay apart
    short = [replace(r, cross_by=at(1, "20:00")) if r.id.startswith("AVO") else r for r in scenario.requests]
    assert len(components(replace(scenario, sites=sites, requests=tuple(short)))) == 2


def test_one_corridor_is_one_part_the_scenario_itself():
    scenario = make_scenario([make_request("R1"), make_request("R2")])
    assert components(scenario) == [scenario]


def test_solving_the_parts_apart_gives_the_plan_of_the_whole():
    scenario = two_corridors()
    whole = solve(scenario, SolverSettings(time_limit_s=10, split=False))
    split = solve(scenario, SolverSettings(time_limit_s=10))
    assert validate(scenario, split) == []
    assert served(split) == served(whole) == {"AVO-1", "AVO-2", "TOM-1"}
    assert split.stats["objective"] == whole.stats["objective"] and split.stats["status"] == "OPTIMAL"
    assert [p["ports"] for p in split.stats["parts"]] == [["PHARR"], ["NOG"]]


def test_merge_orders_entries_as_the_scenario_and_adds_up_the_figures():
    scenario = two_corridors()
    parts = [solve_part(part, SolverSettings(time_limit_s=10)) for part in reversed(components(scenario))]
    # a queue worker's answer travels as a document
    parts = [load_schedule(schedule_to_dict(part)) for part in parts]
    merged = merge(scenario, parts)
    assert validate(scenario, merged) == []
    assert [a.request for a in merged.assignments if a.type == "joint_inland"] == ["AVO-1", "AVO-2", "TOM-1"]
    assert merged.stats["objective"] == sum(p.stats["objective"] for p in parts)
    assert merged.stats["requests"] == 3 and merged.stats["served"] == 3


def test_a_merged_run_is_optimal_only_when_every_part_is():
    scenario = two_corridors()
    parts = [solve_part(part, SolverSettings(time_limit_s=10)) for part in components(scenario)]
    assert merge(scenario, parts).stats["status"] == "OPTIMAL"
    parts[1].stats["status"] = "FEASIBLE"
    assert merge(scenario, parts).stats["status"] == "FEASIBLE"


def test_progress_tells_each_part_and_the_sums():
    reports = []
    solve(two_corridors(), SolverSettings(time_limit_s=10), progress=reports.append)
    assert {r.part for r in reports} == {"1/2", "2/2"}
    last = reports[-1]
    assert len(last.parts) == 2 and last.served == sum(p.served for p in last.parts) == 3


def test_parts_solved_in_processes_of_their_own_give_the_same_plan():
    scenario = two_corridors()
    reports = []
    schedule = solve(scenario, SolverSettings(time_limit_s=20, processes=2), progress=reports.append)
    assert validate(scenario, schedule) == []
    assert served(schedule) == {"AVO-1", "AVO-2", "TOM-1"} and schedule.stats["status"] == "OPTIMAL"
    assert {r.part for r in reports} == {"1/2", "2/2"}
