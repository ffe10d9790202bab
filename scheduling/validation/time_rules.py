"""Schedule validation of time and capacity: horizon, opening hours, shifts, bays, inspector days."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from scheduling.domain import JOINT_INLAND, WEEKDAYS, Assignment, Inspector, Scenario

UTC = timezone.utc


@dataclass(frozen=True)
class Violation:
    """One broken rule of the exchange spec: a short code, the request concerned, and plain words."""

    rule: str
    request: str | None
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass(frozen=True)
class Slot:
    """An assignment whose references all resolve, with its times in UTC.

    Comparing and subtracting in UTC avoids the wall-clock arithmetic Python does when two
    times share one ZoneInfo object, which is wrong across a DST change.
    """

    assignment: Assignment
    start: datetime
    end: datetime

    @property
    def request(self) -> str:
        return self.assignment.request

    @property
    def site(self) -> str:
        return self.assignment.site

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


class Context:
    """The scenario indexed for validation, and the wording of times and places in messages."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.requests = {r.id: r for r in scenario.requests}
        self.sites = {s.id: s for s in scenario.sites}
        self.inspectors = {i.id: i for i in scenario.inspectors}
        self.exporters = {e.id: e for e in scenario.exporters}
        self.zones = {s.id: ZoneInfo(s.timezone) for s in scenario.sites}
        self.shifts = {
            i.id: sorted((s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in i.shifts)
            for i in scenario.inspectors
        }

    def place(self, site_id: str) -> str:
        return f"{self.sites[site_id].name} ({site_id})"

    def local(self, moment: datetime, site_id: str) -> str:
        """A time as people at the site read it, e.g. 'Tue 2027-03-02 07:30 America/Mexico_City'."""
        zone = self.zones[site_id]
        return f"{moment.astimezone(zone):%a %Y-%m-%d %H:%M} {zone.key}"

    def describe(self, slot: Slot) -> str:
        what = "joint inspection" if slot.assignment.type == JOINT_INLAND else "border inspection"
        zone = self.zones[slot.site]
        start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
        until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %Y-%m-%d %H:%M}"
        return (f"{what} of {slot.request} at {self.place(slot.site)} "
                f"{start:%a %Y-%m-%d %H:%M}-{until} {zone.key}")


def check_time_rules(ctx: Context, slots: list[Slot]) -> list[Violation]:
    """Rules 3, 4 and 5 of the spec over every resolvable assignment."""
    out: list[Violation] = []
    for slot in slots:
        out += inside_horizon(ctx, slot) + inside_opening_hours(ctx, slot) + inside_shifts(ctx, slot)
    by_site: dict[str, list[Slot]] = defaultdict(list)
    by_inspector: dict[str, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_site[slot.site].append(slot)
        for inspector_id in dict.fromkeys(slot.assignment.inspectors):
            by_inspector[inspector_id].append(slot)
    for site_id, site_slots in by_site.items():
        out += within_bays(ctx, site_id, site_slots)
    for inspector_id, timeline in by_inspector.items():
        timeline.sort(key=lambda s: (s.start, s.end))
        inspector = ctx.inspectors[inspector_id]
        out += no_overlap_and_travel(ctx, inspector, timeline)
        out += travel_from_home_at_shift_start(ctx, inspector, timeline)
        out += within_daily_cap(ctx, inspector, timeline)
    return out


def inside_horizon(ctx: Context, slot: Slot) -> list[Violation]:
    """Rule 3: nothing is scheduled outside the horizon."""
    horizon = ctx.scenario.horizon
    if horizon.start <= slot.start and slot.end <= horizon.end:
        return []
    return [Violation("horizon", slot.request, f"{ctx.describe(slot)} lies outside the horizon "
                      f"{horizon.start.isoformat()} to {horizon.end.isoformat()}")]


def inside_opening_hours(ctx: Context, slot: Slot) -> list[Violation]:
    """Rule 3: an inspection lies inside one open period, of the day it starts, in the site's zone."""
    site = ctx.sites[slot.site]
    zone = ctx.zones[slot.site]
    day = slot.start.astimezone(zone).date()
    weekday = WEEKDAYS[day.weekday()]
    periods = [h for h in site.hours if weekday in h.days]
    for hours in periods:
        opens, closes = _wall(day, hours.open, zone.key), _wall(day, hours.close, zone.key)
        if opens <= slot.start and slot.end <= closes:
            return []
    opening = ", ".join(f"{h.open}-{h.close}" for h in periods) or "closed all day"
    return [Violation("site_hours", slot.request,
                      f"{ctx.describe(slot)} is not inside one opening period of the site "
                      f"(on {weekday}: {opening})")]


@lru_cache(maxsize=65536)
def _wall(day: date, hhmm: str, zone_key: str) -> datetime:
    """The instant (UTC) of a wall-clock time on a local day; "24:00" is the next midnight."""
    if hhmm == "24:00":
        day, hhmm = day + timedelta(days=1), "00:00"
    hour, minute = int(hhmm[:2]), int(hhmm[3:])
    return datetime.combine(day, time(hour, minute), ZoneInfo(zone_key)).astimezone(UTC)


def containing_shift(ctx: Context, inspector_id: str, slot: Slot) -> list[tuple[datetime, datetime]]:
    return [s for s in ctx.shifts[inspector_id] if s[0] <= slot.start and slot.end <= s[1]]


def inside_shifts(ctx: Context, slot: Slot) -> list[Violation]:
    """Rule 3: an inspection lies inside one shift of each of its inspectors."""
    return [
        Violation("shift", slot.request, f"{ctx.describe(slot)} is not inside any shift of inspector {i}")
        for i in dict.fromkeys(slot.assignment.inspectors)
        if not containing_shift(ctx, i, slot)
    ]


def within_bays(ctx: Context, site_id: str, slots: list[Slot]) -> list[Violation]:
    """Rule 4: a site never runs more inspections at once than its bays (sweep over start/end)."""
    bays = ctx.sites[site_id].bays
    # an inspection ending at 10:00 frees its bay for one starting at 10:00: ends sort first
    events = [(s.end, 0, s) for s in slots] + [(s.start, 1, s) for s in slots]
    events.sort(key=lambda e: e[:2])
    running: dict[int, Slot] = {}
    out, overloaded = [], False
    for _, is_start, slot in events:
        if not is_start:
            running.pop(id(slot), None)
            overloaded = overloaded and len(running) > bays
            continue
        running[id(slot)] = slot
        if len(running) > bays and not overloaded:
            overloaded = True
            others = ", ".join(sorted(s.request for s in running.values() if s is not slot))
            out.append(Violation("bays", slot.request,
                                 f"{ctx.describe(slot)} makes {len(running)} inspections at once at a site "
                                 f"with {bays} bay{'s' if bays != 1 else ''} (also running: {others})"))
    return out


def no_overlap_and_travel(ctx: Context, inspector: Inspector, timeline: list[Slot]) -> list[Violation]:
    """Rule 5: no two inspections at once; the trip between consecutive inspections at different sites."""
    out = []
    for before, after in zip(timeline, timeline[1:]):
        if after.start < before.end:
            out.append(Violation("inspector_overlap", after.request,
                                 f"inspector {inspector.id} is in two places at once: "
                                 f"{ctx.describe(before)} and {ctx.describe(after)}"))
            continue
        needed = ctx.scenario.travel(before.site, after.site)
        gap = (after.start - before.end).total_seconds() / 60
        if gap < needed:
            out.append(Violation("travel", after.request,
                                 f"inspector {inspector.id} has {gap:g} min between {ctx.describe(before)} "
                                 f"and {ctx.describe(after)}, but the trip takes {needed} min"))
    return out


def travel_from_home_at_shift_start(ctx: Context, inspector: Inspector,
                                    timeline: list[Slot]) -> list[Violation]:
    """Rule 5: the first inspection of a shift starts no sooner than the trip from home allows."""
    out = []
    for index, slot in enumerate(timeline):
        shifts = containing_shift(ctx, inspector.id, slot)
        previous = timeline[index - 1] if index else None
        needed = ctx.scenario.travel(inspector.home_site, slot.site)
        # with overlapping shifts, any shift that makes this inspection reachable will do
        if not shifts or any(
            (previous is not None and previous.start >= shift_start)
            or slot.start >= shift_start + timedelta(minutes=needed)
            for shift_start, _ in shifts
        ):
            continue
        shift_start = shifts[0][0]
        out.append(Violation("shift_start_travel", slot.request,
                             f"{ctx.describe(slot)} is inspector {inspector.id}'s first of the shift starting "
                             f"{ctx.local(shift_start, inspector.home_site)}, but the trip from home site "
                             f"{ctx.place(inspector.home_site)} takes {needed} min"))
    return out


def within_daily_cap(ctx: Context, inspector: Inspector, timeline: list[Slot]) -> list[Violation]:
    """Rule 5: inspection minutes per calendar day (home site's zone, start day) within the cap."""
    zone = ctx.zones[inspector.home_site]
    per_day: dict[date, list[Slot]] = defaultdict(list)
    for slot in timeline:
        per_day[slot.start.astimezone(zone).date()].append(slot)
    out = []
    for day, slots in per_day.items():
        total = sum(s.minutes for s in slots)
        if total > inspector.max_minutes_per_day:
            out.append(Violation("daily_cap", slots[-1].request,
                                 f"inspector {inspector.id} inspects {total:g} min on {day:%a %Y-%m-%d} "
                                 f"({zone.key}; {', '.join(s.request for s in slots)}), "
                                 f"more than the {inspector.max_minutes_per_day} min a day allowed"))
    return out
