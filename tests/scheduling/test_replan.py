"""Re-planning after a disruption keeps unaffected assignments, reports moves, never moves pins."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduling.replan import (ScheduleDiff, diff_schedules, from_moment, inspector_off, replan, site_closed,
                               touched)
from scheduling.solver import SolverSettings
from scheduling.validation import validate
from tests.scheduling.builders import (at, inland_of, make_cbp, make_request, make_rule, make_scenario,
                                       make_team, served, solved)

SETTINGS = SolverSettings(time_limit_s=3)
LNS = SolverSettings(time_limit_s=3, lns_threshold=1, neighbourhood_size=4, neighbourhood_time_s=0.5,
                     repair_burst_s=0.2, repair_size=4)
SHIFTS = ((1, "06:00", "14:00"), (2, "06:00", "14:00"))


def week():
    """Two teams, one at each inland site, and six requests that fit either."""
    inspectors = (*make_team("1", "URU", SHIFTS), *make_team("2", "GUZ", SHIFTS), make_cbp())
    requests = [make_request(f"R{k}", cross_by=at(3, "12:00"), priority=1 + k % 5) for k in range(6)]
    return make_scenario(requests, inspectors=inspectors, rules=[make_rule(max_hours=None)])


def uses(assignment, inspector: str) -> bool:
    return inspector in assignment.inspectors


def test_diff_of_identical_schedules_keeps_everything():
    schedule = solved(week())
    assert diff_schedules(schedule, schedule) == ScheduleDiff(tuple(sorted(served(schedule))), (), (), ())


@pytest.mark.parametrize("settings", [SETTINGS, LNS], ids=["single model", "neighbourhoods"])
def test_inspector_off_sick_keeps_every_other_assignment(settings):
    scenario = week()
    before = solved(scenario)
    disrupted = inspector_off(scenario, "APHIS-1")
    result = replan(disrupted, before, settings)
    assert validate(disrupted, result.schedule) == []
    affected = {a.request for a in before.assignments if uses(a, "APHIS-1")}
    assert affected, "the disruption should touch the plan"
    unaffected = served(before) - affected
    assert unaffected <= set(result.diff.kept)
    assert set(result.diff.moved) | set(result.diff.dropped) <= affected


@pytest.mark.parametrize("settings", [SETTINGS, LNS], ids=["single model", "neighbourhoods"])
def test_site_closed_moves_only_what_was_there(settings):
    scenario = week()
    before = solved(scenario)
    disrupted = site_closed(scenario, "URU")
    result = replan(disrupted, before, settings)
    assert validate(disrupted, result.schedule) == []
    at_uru = {a.request for a in before.assignments if a.site == "URU"}
    assert at_uru, "the closed site should have had inspections"
    assert served(before) - at_uru <= set(result.diff.kept)
    assert all(a.site != "URU" for a in result.schedule.assignments)


def test_pinned_assignments_never_move_in_a_replan():
    scenario = week()
    before = solved(scenario)
    pinned = replace(before.assignments[0], pinned=True)
    previous = replace(before, assignments=(pinned, *before.assignments[1:]))
    disrupted = inspector_off(scenario, "SENASICA-2")
    result = replan(disrupted, previous, SETTINGS)
    assert pinned.request in result.diff.kept
    assert any(a.request == pinned.request and a.start == pinned.start and a.site == pinned.site
               for a in result.schedule.assignments)


def test_moving_is_allowed_when_it_serves_more():
    scenario = week()
    before = solved(scenario)
    extra = make_request("URGENT", priority=5, cross_by=at(3, "12:00"))
    grown = replace(scenario, requests=(*scenario.requests, extra))
    result = replan(grown, before, SETTINGS)
    assert "URGENT" in result.diff.added
    assert validate(grown, result.schedule) == []


def _crowded():
    """R1 took the 06:00 slot; URGENT can only start at 06:00 (600 min from Pharr, due 17:00)."""
    inspectors = (*make_team("1", "URU", SHIFTS), make_cbp())
    first = make_scenario([make_request("R1", sites=("URU",))], inspectors=inspectors,
                          rules=[make_rule(max_hours=None)])
    previous = solved(first)
    urgent = make_request("URGENT", priority=5, sites=("URU",), cross_by=at(1, "17:00"))
    return replace(first, requests=(*first.requests, urgent)), previous


@pytest.mark.parametrize("keep_share, moved", [(1.0, False), (0.0, True)])
def test_a_replan_moves_no_more_than_its_keep_share_allows(keep_share, moved):
    grown, previous = _crowded()
    assert inland_of(previous, "R1").start == at(1, "06:00")
    result = replan(grown, previous, replace(SETTINGS, keep_share=keep_share))
    assert validate(grown, result.schedule) == []
    assert ("R1" in result.diff.moved) is moved and ("URGENT" in result.diff.added) is moved


def test_touched_names_the_requests_a_disruption_forces_to_change():
    scenario = week()
    before = solved(scenario)
    at_uru = {a.request for a in before.assignments if a.site == "URU"}
    assert touched(site_closed(scenario, "URU"), before) == at_uru
    assert touched(scenario, before) == set()


def test_from_moment_leaves_out_what_has_started_and_the_time_it_still_takes():
    scenario = week()
    before = solved(scenario)
    moment = at(1, "08:00")
    future, previous = from_moment(scenario, before, moment)
    started = {a.request for a in before.assignments if a.type == "joint_inland" and a.start < moment}
    assert started and not started & {r.id for r in future.requests}
    assert {a.request for a in previous.assignments} == served(before) - started
    for inspector in future.inspectors:
        busy = [a for a in before.assignments if a.request in started and inspector.id in a.inspectors]
        for shift in inspector.shifts:
            assert shift.start >= moment
            assert not any(shift.start < a.end and a.start < shift.end for a in busy)
    assert validate(future, previous) == []
