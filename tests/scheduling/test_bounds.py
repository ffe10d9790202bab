"""Level bounds: a plan that reaches each of them is proven optimal and ends the run at once."""

from __future__ import annotations

from scheduling.bounds import level_bounds
from scheduling.heuristic import greedy
from scheduling.instance import Instance, Score, score
from scheduling.settings import SolverSettings
from scheduling.solver import solve
from tests.scheduling.builders import (at, make_cbp, make_request, make_rule, make_scenario, make_team,
                                       solved)


def test_no_requests_have_nothing_to_reach():
    bounds = level_bounds(Instance(make_scenario([])))
    assert (bounds.served_weight, bounds.avoided, bounds.travel) == (0, 0, 0)
    assert bounds.reached_by(Score(0, 0, 0))


def test_bounds_count_each_request_on_its_own():
    team = make_team(shifts=((1, "06:00", "14:00"), (2, "06:00", "14:00")))
    requests = [make_request("WAIVABLE", sites=("URU",), priority=4),
                make_request("REQUIRED", sites=("URU",), commodity="mango", priority=2),
                make_request("NEVER", sites=("URU",), cross_by=at(1, "08:00"))]
    scenario = make_scenario(requests, inspectors=(*team, make_cbp()), rules=[make_rule()])
    bounds = level_bounds(Instance(scenario))
    assert bounds.served_weight == 6  # NEVER has no window
    assert bounds.avoided == 1  # only the avocado can end within 24 h of crossing
    assert bounds.travel == 0  # the team lives at URU and CBP at Pharr


def test_a_plan_below_any_level_is_not_proven():
    bounds = level_bounds(Instance(make_scenario([make_request("R1", sites=("GUZ",))])))
    assert bounds.travel == 2 * 120  # the team drives from URU to GUZ
    assert bounds.reached_by(Score(3, 0, 240))
    assert not bounds.reached_by(Score(3, 0, 241))
    assert not bounds.reached_by(Score(2, 0, 240))


def test_a_greedy_plan_at_every_bound_is_optimal_without_searching():
    scenario = make_scenario([make_request("R1", sites=("URU",)),
                              make_request("R2", ready=at(1, "09:00"), sites=("URU",))])
    instance = Instance(scenario)
    assert level_bounds(instance).reached_by(score(instance, greedy(instance)))
    schedule = solve(scenario, SolverSettings(time_limit_s=120))
    assert schedule.stats["status"] == "OPTIMAL" and schedule.stats["bound"] == schedule.stats["objective"]
    assert schedule.stats["wall_seconds"] < 60  # it did not wait for its time limit


def test_a_plan_proven_by_cp_sat_ends_the_run_too():
    # the greedy sends R2 to GUZ, a drive the bounds cannot rule out; CP-SAT proves the plan
    schedule = solved(make_scenario([make_request("R1"), make_request("R2", ready=at(1, "09:00"))]),
                      seconds=120)
    assert schedule.stats["status"] == "OPTIMAL" and schedule.stats["wall_seconds"] < 60

