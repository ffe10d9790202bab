"""The scenario in minutes: windows, inspectors' shifts and days, teams, and plans of placements."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from zoneinfo import ZoneInfo

from scheduling.domain import (BORDER, JOINT_INLAND, Assignment, Scenario, Schedule,
                               Unscheduled)
from scheduling.waiver import border_decision
from scheduling.minutes import day_index
from scheduling.windows import WindowBuilder

DAY = 24 * 60


@dataclass(frozen=True)
class Crew:
    """One inspector in minutes: shifts as (start, end) and the home zone's midnights."""

    index: int
    id: str
    agency: str
    home: str
    shifts: tuple[tuple[int, int], ...]
    midnights: tuple[int, ...]
    cap: int

    def day(self, minute: int) -> int:
        return day_index(self.midnights, minute)


@dataclass(frozen=True)
class Placement:
    """Where and when one request is served: its joint team, and its border slot if required."""

    request: str
    site: str
    start: int
    team: tuple[int, int]  # APHIS and SENASICA crew indices
    border_start: int | None = None
    border_crew: int | None = None
    pinned: bool = False


class Instance:
    """Everything the heuristic and the CP-SAT model share about one scenario."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        builder = WindowBuilder(scenario)
        self.clock = builder.clock
        self.windows = {r.id: builder.for_request(r) for r in scenario.requests}
        self.requests = {r.id: r for r in scenario.requests}
        self.crews = tuple(self._crew(k, i) for k, i in enumerate(scenario.inspectors))
        self.crew_by_id = {c.id: c for c in self.crews}
        self._teams: dict = {}
        self._on_shift: dict = {}
        self._neighbours: dict = {}
        self._by_agency: dict | None = None
        self.travel = lru_cache(maxsize=None)(scenario.travel)

    def _crew(self, index, inspector) -> Crew:
        shifts = sorted((self.clock.minute(s.start), self.clock.minute(s.end)) for s in inspector.shifts)
        home_zone = self.scenario.site(inspector.home_site).timezone
        return Crew(index, inspector.id, inspector.agency, inspector.home_site, tuple(shifts),
                    self.clock.local_midnights(home_zone), inspector.max_minutes_per_day)

    def team(self, agency: str, commodity: str, site: str, duration: int) -> list[int]:
        """Crews of an agency qualified for the commodity that can work `duration` at the site,
        nearest home first."""
        key = (agency, commodity, site, duration)
        if key not in self._teams:
            self._teams[key] = [crew for _, crew, cap, longest in self._qualified(agency, commodity, site)
                                if cap >= duration and longest >= duration]
        return self._teams[key]

    def _qualified(self, agency: str, commodity: str, site: str) -> list[tuple[int, int, int, int]]:
        """(drive from home, crew, daily cap, longest working time at the site) of the agency's
        crews qualified for the commodity, nearest home first."""
        key = (agency, commodity, site)
        if key not in self._teams:
            if self._by_agency is None:
                self._by_agency = {}
                for inspector, crew in zip(self.scenario.inspectors, self.crews):
                    self._by_agency.setdefault(inspector.agency, []).append((inspector, crew))
            found = []
            for inspector, crew in self._by_agency.get(agency, ()):
                if inspector.qualified_for(commodity):
                    reach = self.travel(crew.home, site)
                    longest = max((e - s - reach for s, e in crew.shifts), default=-1)
                    found.append((reach, crew.index, crew.cap, longest))
            self._teams[key] = sorted(found)
        return self._teams[key]

    def on_shift(self, agency: str, commodity: str, site: str, duration: int, start: int) -> list:
        """The team's shifts on the day of `start`, (first start, last start, crew, drive from
        home), nearest home first: those with first <= start <= last can do [start, start +
        duration) at the site (rule 3)."""
        return self.shift_index(agency, commodity, site, duration).get(start // DAY, [])

    def shift_index(self, agency: str, commodity: str, site: str, duration: int) -> dict:
        """Day -> [(first start, last start, crew, drive from home)] of the team's shifts at the
        site, nearest home first."""
        key = (agency, commodity, site, duration)
        if key not in self._on_shift:
            self._on_shift[key] = self._shift_index(key)
        return self._on_shift[key]

    def shift_starts(self, agency: str, commodity: str, site: str, duration: int):
        """(sorted first possible starts of the team's shifts at the site, the shift index)."""
        index = self.shift_index(agency, commodity, site, duration)
        key = ("firsts", agency, commodity, site, duration)
        if key not in self._on_shift:
            self._on_shift[key] = sorted({entry[0] for entries in index.values() for entry in entries})
        return self._on_shift[key], index

    def _shift_index(self, key) -> dict:
        agency, commodity, site, duration = key
        index: dict[int, list] = {}
        for crew_index in self.team(agency, commodity, site, duration):
            crew = self.crews[crew_index]
            reach = self.travel(crew.home, site)
            for shift_start, shift_end in crew.shifts:
                lo, hi = shift_start + reach, shift_end - duration
                for day in range(lo // DAY, hi // DAY + 1) if lo <= hi else ():
                    index.setdefault(day, []).append((lo, hi, crew_index, reach))
        return index

    def inland_neighbours(self, site: str) -> list[tuple[str, int]]:
        """(inland site, drive to `site`) for every inland site close enough to share an
        inspector within one day, `site` itself first."""
        if site not in self._neighbours:
            sites = [s.id for s in self.scenario.sites if s.kind == "inland"]
            near = sorted((self.travel(w, site), w) for w in sites if self.travel(w, site) < DAY // 2 or w == site)
            self._neighbours[site] = [(w, drive) for drive, w in near]
        return self._neighbours[site]

    def weight(self, request_id: str) -> int:
        return self.requests[request_id].priority

    def waived(self, placement: Placement) -> bool:
        """Whether the placement avoids the border inspection (waived, or north of the border)."""
        request = self.requests[placement.request]
        return self.windows[request.id].avoids_border(placement.site, placement.start + request.inspection_minutes)

    def placement_travel(self, placement: Placement) -> int:
        """The travel the objective counts: each inspector from home to the inspection site."""
        request = self.requests[placement.request]
        total = sum(self.travel(self.crews[c].home, placement.site) for c in placement.team)
        if placement.border_crew is not None:
            total += self.travel(self.crews[placement.border_crew].home, request.port)
        return total

    def local_date(self, site: str, minute: int):
        """The calendar date of a minute at a site, in the site's own time zone."""
        return self.clock.at(minute).astimezone(ZoneInfo(self.scenario.site(site).timezone)).date()

    def upper_bound(self) -> int:
        """Priority-weighted count of requests that could be served each on its own."""
        return sum(self.weight(r) for r, w in self.windows.items() if w.servable)


@dataclass(frozen=True)
class Score:
    """The three objective levels of a plan, compared lexicographically."""

    served_weight: int
    waived: int
    travel: int
    kept: int = 0

    def key(self) -> tuple:
        return (self.served_weight, self.kept, self.waived, -self.travel)


def score(instance: Instance, plan: dict, previous: dict | None = None) -> Score:
    """Score a plan (request id -> Placement); `kept` counts placements equal to `previous`."""
    return Score(
        served_weight=sum(instance.weight(r) for r in plan),
        waived=sum(1 for p in plan.values() if instance.waived(p)),
        travel=sum(instance.placement_travel(p) for p in plan.values()),
        kept=sum(1 for r, p in plan.items() if previous and same_placement(previous.get(r), p)))


def same_placement(a: Placement | None, b: Placement) -> bool:
    """Whether a placement is the previous one (`a`), pinned or not."""
    return a is not None and replace(a, pinned=False) == replace(b, pinned=False)


def plan_assignments(instance: Instance, placement: Placement) -> list[Assignment]:
    """The exchange-format assignments of one placement."""
    request = instance.requests[placement.request]
    clock = instance.clock
    team = tuple(instance.crews[c].id for c in placement.team)
    end = placement.start + request.inspection_minutes
    result = [Assignment(request.id, JOINT_INLAND, placement.site, clock.at(placement.start),
                         clock.at(end), team, placement.pinned)]
    if placement.border_start is not None:
        b_end = placement.border_start + request.border_inspection_minutes
        result.append(Assignment(request.id, BORDER, request.port, clock.at(placement.border_start),
                                 clock.at(b_end), (instance.crews[placement.border_crew].id,),
                                 placement.pinned))
    return result


def plan_to_schedule(instance: Instance, plan: dict, reasons: dict, stats: dict) -> Schedule:
    """A Schedule from a plan; `reasons` gives the Explanation of each unserved request."""
    assignments, decisions = [], []
    for request in instance.scenario.requests:
        placement = plan.get(request.id)
        if placement is None:
            continue
        assignments.extend(plan_assignments(instance, placement))
        end = instance.clock.at(placement.start + request.inspection_minutes)
        decisions.append(border_decision(instance.scenario, request, end, site=placement.site))
    unscheduled = tuple(Unscheduled(r.id, reasons[r.id].text) for r in instance.scenario.requests
                        if r.id not in plan)
    return Schedule(tuple(assignments), tuple(decisions), unscheduled, stats)
