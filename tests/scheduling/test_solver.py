"""The solver: valid output always, anytime behaviour, never below the heuristic, pinning, LNS."""

from __future__ import annotations

import threading

import pytest

from scheduling.domain import JOINT_INLAND, Assignment
from scheduling.exchange import load_scenario, load_scenario_file
from scheduling.solver import SolverSettings, solve
from scheduling.validation import validate
from tests.scheduling.builders import (EXAMPLE, at, border_of, inland_of, make_request, make_rule,
                                       make_scenario, served, solved)

SPEC_KEYS = ("status", "objective", "bound", "wall_seconds", "requests", "served",
             "border_inspections_avoided")


def test_example_scenario_is_solved_validly_with_every_stat():
    scenario = load_scenario_file(EXAMPLE)
    schedule = solve(scenario, SolverSettings(time_limit_s=5))
    assert validate(scenario, schedule) == []
    for key in (*SPEC_KEYS, "heuristic_objective", "greedy_objective", "time_to_first_s",
                "travel_minutes", "utilisation"):
        assert key in schedule.stats
    stats = schedule.stats
    assert stats["objective"] >= stats["greedy_objective"] >= stats["heuristic_objective"]
    assert schedule.stats["objective"] <= schedule.stats["bound"]
    listed = {u.request for u in schedule.unscheduled}
    assert listed | served(schedule) == {r.id for r in scenario.requests}
    assert all(u.reason for u in schedule.unscheduled)


def test_progress_starts_with_the_heuristic():
    seen = []
    solve(make_scenario([make_request("R1")]), SolverSettings(time_limit_s=2), progress=seen.append)
    assert seen[0].phase == "heuristic" and seen[0].served == 1
    assert all(p.objective <= p.bound for p in seen)


def test_a_set_stop_event_returns_the_heuristic_plan_at_once():
    stop = threading.Event()
    stop.set()
    scenario = make_scenario([make_request("R1"), make_request("R2")])
    schedule = solve(scenario, SolverSettings(time_limit_s=60), stop=stop)
    assert schedule.stats["wall_seconds"] < 5
    assert validate(scenario, schedule) == []


def test_pinned_assignment_stays_exactly_where_it_was_pinned():
    scenario = make_scenario([make_request("R1", sites=("URU",)), make_request("R2", sites=("URU",))],
                             rules=[make_rule(max_hours=None)])
    pin = Assignment("R2", JOINT_INLAND, "URU", at(1, "09:17"), at(1, "10:17"),
                     ("APHIS-1", "SENASICA-1"), pinned=True)
    schedule = solve(scenario, SolverSettings(time_limit_s=3), pinned=(pin,))
    kept = inland_of(schedule, "R2")
    assert (kept.start, kept.site, set(kept.inspectors)) == (pin.start, pin.site, set(pin.inspectors))
    assert served(schedule) == {"R1", "R2"}
    assert validate(scenario, schedule) == []


def test_waiver_is_preferred_over_a_border_inspection():
    scenario = make_scenario([make_request("R1", sites=("URU",))], rules=[make_rule(max_hours=None)])
    schedule = solve(scenario, SolverSettings(time_limit_s=3))
    assert schedule.stats["border_inspections_avoided"] == 1


def test_a_load_drawn_for_verification_gets_its_border_inspection_booked_with_cbp():
    drawn = make_request("R1", sites=("URU",), border_required="selected at random for a verification inspection")
    scenario = make_scenario([drawn, make_request("R2", sites=("URU",))], rules=[make_rule(max_hours=None)])
    schedule = solved(scenario, 3)
    border = border_of(schedule, "R1")
    assert border is not None and [i.split("-")[0] for i in border.inspectors] == ["CBP"]
    assert border_of(schedule, "R2") is None and schedule.stats["border_inspections_avoided"] == 1
    decision = next(d for d in schedule.border_decisions if d.request == "R1")
    assert (decision.decision, decision.reasons) == ("required", ("selected at random for a verification inspection",))


@pytest.fixture(scope="module")
def generated_week():
    scenarios = pytest.importorskip("bench.scenarios")
    return load_scenario(scenarios.generate(60, seed=2))


def test_single_model_on_a_generated_week(generated_week):
    schedule = solve(generated_week, SolverSettings(time_limit_s=5))
    assert validate(generated_week, schedule) == []
    stats = schedule.stats
    assert stats["objective"] >= stats["greedy_objective"] >= stats["heuristic_objective"]


def test_large_neighbourhood_search_on_a_generated_week(generated_week):
    settings = SolverSettings(time_limit_s=5, lns_threshold=10, neighbourhood_size=20,
                              neighbourhood_time_s=1.0)
    schedule = solve(generated_week, settings)
    assert validate(generated_week, schedule) == []
    stats = schedule.stats
    assert stats["objective"] >= stats["greedy_objective"] >= stats["heuristic_objective"]


def test_stop_during_the_search_returns_the_best_plan_so_far(generated_week):
    stop = threading.Event()
    settings = SolverSettings(time_limit_s=60, lns_threshold=10)
    timer = threading.Timer(1.0, stop.set)
    timer.start()
    schedule = solve(generated_week, settings, stop=stop)
    timer.cancel()
    assert schedule.stats["wall_seconds"] < 10
    assert validate(generated_week, schedule) == []
