"""Schedule validation of time and capacity: horizon, opening hours, shifts, bays, inspector days."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from scheduling.domain import WEEKDAYS, Inspector
from scheduling.validation.context import UTC, Context, Slot, Violation


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
