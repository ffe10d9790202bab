"""Re-planning after a disruption: keep what still works, move only to serve more, report the changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable

from scheduling.domain import JOINT_INLAND, Assignment, Scenario, Schedule, Shift
from scheduling.solver import Progress, SolverSettings, solve
from scheduling.validation import validate


@dataclass(frozen=True)
class ScheduleDiff:
    """Requests by what happened to them between two schedules."""

    kept: tuple[str, ...]  # served in both with identical assignments
    moved: tuple[str, ...]  # served in both, at another time, site or team
    added: tuple[str, ...]  # served now, not before
    dropped: tuple[str, ...]  # served before, not now


@dataclass(frozen=True)
class Replan:
    schedule: Schedule
    diff: ScheduleDiff


def replan(scenario: Scenario, previous: Schedule, settings: SolverSettings = SolverSettings(),
           pinned: tuple[Assignment, ...] = (),
           progress: Callable[[Progress], None] | None = None,
           stop: threading.Event | None = None) -> Replan:
    """A new schedule for the disrupted scenario that keeps every still-valid assignment of
    `previous` unless moving it serves more shipments; pinned assignments never move."""
    schedule = solve(scenario, settings, previous=previous, pinned=pinned, progress=progress, stop=stop)
    return Replan(schedule, diff_schedules(previous, schedule))


def _by_request(schedule: Schedule) -> dict:
    unscheduled = {u.request for u in schedule.unscheduled}
    result: dict[str, set] = {}
    for a in schedule.assignments:
        if a.request not in unscheduled:
            key = (a.type, a.site, a.start, a.end, tuple(sorted(a.inspectors)))
            result.setdefault(a.request, set()).add(key)
    return result


def diff_schedules(old: Schedule, new: Schedule) -> ScheduleDiff:
    """Which requests kept, changed, gained or lost their assignments."""
    before, after = _by_request(old), _by_request(new)
    kept = sorted(r for r in before if r in after and before[r] == after[r])
    moved = sorted(r for r in before if r in after and before[r] != after[r])
    added = sorted(r for r in after if r not in before)
    dropped = sorted(r for r in before if r not in after)
    return ScheduleDiff(tuple(kept), tuple(moved), tuple(added), tuple(dropped))


def touched(scenario: Scenario, previous: Schedule) -> set[str]:
    """Requests whose previous assignments a disrupted scenario no longer allows (a closed site,
    an inspector off): the re-plan must change them; every other one can stay as it was."""
    per_assignment = {"site_hours", "shift", "shift_start_travel", "inland_window", "border_window",
                      "unknown_reference", "inland_site", "inland_team", "border_inspector", "border_port"}
    served = {a.request for a in previous.assignments}
    kept = Schedule(previous.assignments, previous.border_decisions, ())
    return {v.request for v in validate(scenario, kept) if v.rule in per_assignment and v.request in served}


def from_moment(scenario: Scenario, previous: Schedule, moment: datetime) -> tuple[Scenario, Schedule]:
    """The part of a week still to plan at `moment`, as the app builds it: requests whose joint
    inspection has not started, shifts from `moment` on without the time their started
    inspections still take, and the previous plan of those requests."""
    started = {a.request for a in previous.assignments if a.type == JOINT_INLAND and a.start < moment}
    busy: dict[str, list] = {}
    for a in previous.assignments:
        if a.request in started and a.end > moment:
            for inspector in a.inspectors:
                busy.setdefault(inspector, []).append((a.start, a.end))
    inspectors = tuple(replace(i, shifts=_free_parts(i.shifts, busy.get(i.id, ()), moment))
                       for i in scenario.inspectors)
    requests = tuple(r for r in scenario.requests if r.id not in started)
    future = replace(scenario, inspectors=inspectors, requests=requests)
    return future, Schedule(tuple(a for a in previous.assignments if a.request not in started),
                            tuple(d for d in previous.border_decisions if d.request not in started),
                            tuple(u for u in previous.unscheduled if u.request not in started))


def _free_parts(shifts, busy, moment: datetime) -> tuple[Shift, ...]:
    """What is left of each shift after `moment` once the busy periods are taken out."""
    parts = []
    for shift in shifts:
        pieces = [(max(shift.start, moment), shift.end)]
        for start, end in busy:
            pieces = [p for lo, hi in pieces for p in ((lo, min(hi, start)), (max(lo, end), hi))]
        parts += [Shift(lo, hi) for lo, hi in pieces if hi > lo]
    return tuple(parts)


def inspector_off(scenario: Scenario, inspector_id: str, start: datetime | None = None,
                  end: datetime | None = None) -> Scenario:
    """The scenario with the inspector's shifts that touch [start, end) removed (all when open)."""
    def touches(shift) -> bool:
        return (start is None or shift.end > start) and (end is None or shift.start < end)

    inspectors = tuple(
        replace(i, shifts=tuple(s for s in i.shifts if not touches(s))) if i.id == inspector_id else i
        for i in scenario.inspectors)
    return replace(scenario, inspectors=inspectors)


def site_closed(scenario: Scenario, site_id: str) -> Scenario:
    """The scenario with a site closed: it keeps its place (homes and travel still refer to it)
    but has no opening hours, so nothing can be inspected there."""
    sites = tuple(replace(s, hours=()) if s.id == site_id else s for s in scenario.sites)
    return replace(scenario, sites=sites)
