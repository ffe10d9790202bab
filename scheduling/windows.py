"""Exact start windows per request and site, in whole minutes from the horizon start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduling.domain import JOINT_US_SITE, WEEKDAYS, Request, Scenario, Site
from scheduling.explain import Explanation, explanation
from scheduling.minutes import Clock, Interval, intersect, normalise, starts_within
from scheduling.waiver import us_site_decision, waive_from_minute

# --- the facts each window is made of -------------------------------------------------------


def open_periods(site: Site, clock: Clock) -> list[Interval]:
    """Open periods [open, close) as minute ranges, from the site's weekly hours in its own zone.

    Built from local dates with zoneinfo so that daylight-saving changes land where they do.
    """
    tz = ZoneInfo(site.timezone)
    dates = clock.local_dates(site.timezone)
    periods = []
    for day in dates:
        for hours in site.hours:
            if WEEKDAYS[day.weekday()] in hours.days:
                opens = _local_minute(clock, day, hours.open, tz)
                closes = _local_minute(clock, day, hours.close, tz)
                if closes <= opens:  # a period past midnight closes on the next day
                    closes = _local_minute(clock, day + timedelta(days=1), hours.close, tz)
                periods.append((opens, closes))
    return periods


def _local_minute(clock: Clock, day, hhmm: str, tz: ZoneInfo) -> int:
    if hhmm == "24:00":
        return clock.minute(datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz))
    hour, minute = (int(part) for part in hhmm.split(":"))
    return clock.minute(datetime.combine(day, time(hour, minute), tzinfo=tz))


class Coverage:
    """Start windows at a site covered by some qualified inspector's shift, per agency."""

    def __init__(self, scenario: Scenario, clock: Clock):
        self.scenario = scenario
        self._shifts: dict[str, list] = {}  # agency -> [(inspector, shifts in minutes)]
        for inspector in scenario.inspectors:
            minutes = [(clock.minute(shift.start), clock.minute(shift.end)) for shift in inspector.shifts]
            self._shifts.setdefault(inspector.agency, []).append((inspector, minutes))
        self._cache: dict = {}
        self._periods_cache: dict = {}

    def starts(self, agency: str, commodity: str, site: str, duration: int) -> list[Interval]:
        key = (agency, commodity, site, duration)
        if key not in self._cache:
            periods = [(start, end) for start, end, cap in self._periods(agency, commodity, site)
                       if cap >= duration and end - start >= duration]
            self._cache[key] = starts_within(periods, duration)
        return self._cache[key]

    def _periods(self, agency: str, commodity: str, site: str) -> list[tuple[int, int, int]]:
        """(first minute at the site, shift end, daily cap) of every qualified inspector's shift."""
        key = (agency, commodity, site)
        if key not in self._periods_cache:
            travel = self.scenario.travel
            self._periods_cache[key] = [
                (start + travel(inspector.home_site, site), end, inspector.max_minutes_per_day)
                for inspector, shifts in self._shifts.get(agency, ()) if inspector.qualified_for(commodity)
                for start, end in shifts]
        return self._periods_cache[key]


# --- per request ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestWindows:
    """Where and when one request's inspections can start; `problem` says why it never can."""

    request: Request
    inland: dict  # site id -> list of inclusive start ranges (only non-empty ones)
    border: list  # start ranges of the border inspection at the request's port
    waive_from: int | None  # an inland end at or after this minute waives the border; None: never
    problem: Explanation | None = None
    north: frozenset = frozenset()  # sites of `inland` north of the border: rule 1b, no port inspection

    @property
    def servable(self) -> bool:
        return bool(self.inland)

    def waivable_at(self, end: int) -> bool:
        return self.waive_from is not None and end >= self.waive_from

    def avoids_border(self, site: str, end: int) -> bool:
        """No inspection at the port: inspected north of the border, or waived by ending late enough."""
        return site in self.north or self.waivable_at(end)


class WindowBuilder:
    """Computes RequestWindows for every request of a scenario, sharing cached coverage."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.clock = Clock(scenario)
        self.coverage = Coverage(scenario, self.clock)
        self._open = {s.id: open_periods(s, self.clock) for s in scenario.sites}
        self.inland_sites = [s for s in scenario.sites if s.kind == "inland"]
        self._open_starts: dict = {}
        self._recognised: dict = {}

    def open_starts(self, site: str, duration: int) -> list[Interval]:
        key = (site, duration)
        if key not in self._open_starts:
            self._open_starts[key] = starts_within(self._open[site], duration)
        return self._open_starts[key]

    def border_starts(self, request: Request) -> list[Interval]:
        """Rule 2 and 3: CBP coverage and port hours, after arrive_port, ending by cross_by."""
        clock, dur = self.clock, request.border_inspection_minutes
        latest = min(clock.minute(request.cross_by), clock.end_minute) - dur
        bounds = [(max(0, clock.ceil_minute(request.arrive_port)), latest)]
        return intersect(intersect(bounds, self.open_starts(request.port, dur)),
                         self.coverage.starts("CBP", request.commodity, request.port, dur))

    def inland_starts(self, request: Request, site: Site, border: list[Interval], waive_from: int | None,
                      recognised: bool = False) -> tuple[list[Interval], str | None]:
        """Rules 1, 1b and 3 at one site; the second value names the first filter that emptied it."""
        dur = request.inspection_minutes
        if request.crosses_before(site):
            if not recognised:
                return [], "us_site_not_recognised"
            window, too_short = [self.north_bounds(request, site)], "us_site_too_late"
        else:
            window = [self.south_bounds(request, site)]
            too_short = "too_far_from_origin" if request.origin is not None else "window_too_short"
        if not normalise(window):
            return [], too_short
        steps = [("closed", self.open_starts(site.id, dur)),
                 ("no_aphis", self.coverage.starts("APHIS", request.commodity, site.id, dur)),
                 ("no_senasica", self.coverage.starts("SENASICA", request.commodity, site.id, dur))]
        if not request.crosses_before(site):
            steps.append(("no_border_slot", self._served_starts(request, site, border, waive_from)))
        for code, allowed in steps:
            window = intersect(window, allowed)
            if not window:
                return [], code
        return window, None

    def south_bounds(self, request: Request, site: Site) -> Interval:
        """Rule 1: from ready (plus the drive from the packhouse, version 2) to the latest start
        that still reaches the port by cross_by."""
        clock, dur = self.clock, request.inspection_minutes
        arrives = clock.ceil_minute(request.ready) + self.scenario.travel_from_origin(request, site.id)
        transit = self.scenario.travel(site.id, request.port)
        return max(0, arrives), min(clock.minute(request.cross_by) - transit, clock.end_minute) - dur

    def north_bounds(self, request: Request, site: Site) -> Interval:
        """Rule 1b: after the truck has crossed its port and driven on to the site; ends by cross_by."""
        clock, scenario = self.clock, self.scenario
        at_port = max(clock.ceil_minute(request.arrive_port),
                      clock.ceil_minute(request.ready) + scenario.travel_from_origin(request, request.port))
        arrives = at_port + scenario.travel(request.port, site.id)
        return max(0, arrives), min(clock.minute(request.cross_by), clock.end_minute) - request.inspection_minutes

    def recognised(self, request: Request) -> bool:
        """Rule 1b's condition: an active rule recognises the shipment (its seal and timing aside), which
        depends on its exporter, commodity, origin state, port, crossing date and own border reason only."""
        key = (request.exporter, request.commodity, request.origin_state, request.port,
               request.cross_by.date(), request.border_required)
        if key not in self._recognised:
            self._recognised[key] = us_site_decision(self.scenario, request).decision == JOINT_US_SITE
        return self._recognised[key]

    def _served_starts(self, request, site, border, waive_from) -> list[Interval]:
        # Served needs a waiver (ending late enough) or a border start after end plus transit.
        dur, far = request.inspection_minutes, self.clock.end_minute + 1
        ranges = []
        if waive_from is not None:
            ranges.append((waive_from - dur, far))
        if border:
            ranges.append((-far, border[-1][1] - dur - self.scenario.travel(site.id, request.port)))
        return normalise(ranges)

    def for_request(self, request: Request) -> RequestWindows:
        waive_from = waive_from_minute(self.scenario, request, self.clock)
        border = self.border_starts(request)
        candidates = [s for s in self.inland_sites if s.inspects(request.commodity)
                      and (request.sites is None or s.id in request.sites)]
        recognised = any(request.crosses_before(s) for s in candidates) and self.recognised(request)
        inland, failures = {}, {}
        for site in candidates:
            starts, failure = self.inland_starts(request, site, border, waive_from, recognised)
            if starts:
                inland[site.id] = starts
            else:
                failures[site.id] = failure
        problem = None
        if not inland:
            problem = explanation_for_no_window(self.scenario, request, candidates, failures)
        north = frozenset(s for s in inland if request.crosses_before(self.scenario.site(s)))
        return RequestWindows(request, inland, border, waive_from, problem, north)


def compute_windows(scenario: Scenario) -> dict[str, RequestWindows]:
    """RequestWindows for every request, by request id."""
    builder = WindowBuilder(scenario)
    return {r.id: builder.for_request(r) for r in scenario.requests}


# Failures in the order of how far the request got: the first one found is the most fixable.
FAILURE_ORDER = ("no_border_slot", "no_senasica", "no_aphis", "closed", "us_site_too_late",
                 "too_far_from_origin", "window_too_short", "us_site_not_recognised")


def explanation_for_no_window(scenario: Scenario, request: Request, candidates, failures) -> Explanation:
    """The most useful reason why no inland site can ever take this request."""
    if not candidates:
        return explanation("no_site_for_commodity", commodity=request.commodity,
                           sites=list(request.sites or ()))
    code = next(c for c in FAILURE_ORDER if c in failures.values())
    site = min((s for s, c in failures.items() if c == code), key=lambda s: _minutes(scenario, request, s, code))
    return explanation(code, site=scenario.site(site).name, commodity=request.commodity,
                       port=scenario.site(request.port).name, minutes=_minutes(scenario, request, site, code))


def _minutes(scenario: Scenario, request: Request, site: str, code: str) -> int:
    """The time the reason speaks of: on the road and inspecting, from where the load must come."""
    dur = request.inspection_minutes
    if code == "us_site_too_late":
        return scenario.travel(request.port, site) + dur
    return scenario.travel_from_origin(request, site) + dur + scenario.travel(site, request.port)
