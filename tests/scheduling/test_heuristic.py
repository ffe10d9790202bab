"""The constructive heuristic: valid plans, waiver-friendly timing, priority order, scale."""

from __future__ import annotations


import pytest

from scheduling.exchange import load_scenario, load_scenario_file
from scheduling.heuristic import greedy
from scheduling.instance import Instance, plan_to_schedule, score
from scheduling.validation import validate
from tests.scheduling.builders import (EXAMPLE, PACKHOUSE, at, make_cbp, make_north_site, make_port,
                                       make_request, make_rule, make_scenario, make_site, make_team)



def heuristic_schedule(scenario):
    instance = Instance(scenario)
    plan = greedy(instance)
    reasons = {r: w.problem for r, w in instance.windows.items() if r not in plan}
    reasons = {r: e or _placeholder() for r, e in reasons.items()}
    return instance, plan, plan_to_schedule(instance, plan, reasons, {})


def _placeholder():
    from scheduling.explain import explanation
    return explanation("capacity", site="?", date="?")


def test_heuristic_plan_of_the_example_is_valid():
    scenario = load_scenario_file(EXAMPLE)
    _, plan, schedule = heuristic_schedule(scenario)
    assert plan
    assert validate(scenario, schedule) == []


def test_heuristic_times_the_inspection_for_the_waiver():
    team = make_team(shifts=((1, "06:00", "14:00"), (2, "06:00", "14:00")))
    scenario = make_scenario([make_request("R1", sites=("URU",))], inspectors=(*team, make_cbp()),
                             rules=[make_rule()])
    instance, plan, schedule = heuristic_schedule(scenario)
    assert plan["R1"].border_start is None and instance.waived(plan["R1"])
    assert validate(scenario, schedule) == []


def test_heuristic_inspects_a_recognised_shipment_north_of_the_border_after_it_crossed():
    sites = (make_site("URU"), make_north_site(), make_port())
    inspectors = (*make_team(), *make_team("N", home="NJIS", shifts=((1, "06:00", "20:00"),)), make_cbp())
    request = make_request("R1", packhouse=PACKHOUSE, arrive_port=at(1, "10:00"), cross_by=at(3, "12:00"))
    scenario = make_scenario([request], inspectors=inspectors, sites=sites, rules=[make_rule()])
    instance, plan, schedule = heuristic_schedule(scenario)
    assert plan["R1"].site == "NJIS" and plan["R1"].border_start is None and instance.waived(plan["R1"])
    assert schedule.border_decisions[0].decision == "joint_us_site"
    assert validate(scenario, schedule) == []


def test_heuristic_books_a_border_slot_when_no_rule_applies():
    scenario = make_scenario([make_request("R1", sites=("URU",))])
    _, plan, schedule = heuristic_schedule(scenario)
    assert plan["R1"].border_start is not None
    assert validate(scenario, schedule) == []


def test_heuristic_serves_higher_priority_first():
    sites = (make_site("URU", open="06:00", close="07:00"), make_site("GUZ", commodities=()),
             make_port())
    requests = [make_request("LOW", priority=1, cross_by=at(1, "23:00")),
                make_request("HIGH", priority=5, cross_by=at(3, "12:00"))]
    _, plan, _ = heuristic_schedule(make_scenario(requests, sites=sites))
    assert set(plan) == {"HIGH"}


def test_heuristic_keeps_previous_placements_that_still_fit():
    scenario = make_scenario([make_request("R1"), make_request("R2")])
    instance = Instance(scenario)
    first = greedy(instance)
    again = greedy(instance, keep=first)
    assert again == first


def test_heuristic_on_a_generated_week_is_valid():
    scenarios = pytest.importorskip("bench.scenarios")
    scenario = load_scenario(scenarios.generate(400, seed=3))
    instance, plan, schedule = heuristic_schedule(scenario)
    assert score(instance, plan).served_weight > 0.6 * instance.upper_bound()
    assert validate(scenario, schedule) == []
