"""Who works where and when in a benchmark scenario: inspectors and shifts that follow the work."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bench import _scenario_facts as facts

# Inspector minutes offered per minute of work expected. Windows, shifts that do not line up
# and travel waste some of what is offered, so these leave roughly 80-95% of requests servable.
INLAND_CAPACITY = 0.9
BORDER_CAPACITY = 1.05
EXPECTED_REQUIRED_SHARE = 0.75  # share of shipments whose border inspection no rule waives
SHIFT_MINUTES = 420  # what one 8 h shift yields at a typical daily cap
# The national week staffs every site and port in proportion to its work with this much more
# margin: about 6,600 inspectors for 20,000 requests, as in the week measured for issue 16 (6,689).
NATIONAL_MARGIN = 4.0


def at(day: date, hour: int, zone: ZoneInfo, minute: int = 0) -> datetime:
    """A local wall time as an aware datetime (hour 24 is next midnight); zoneinfo gives the offset."""
    if hour == 24:
        day, hour = day + timedelta(days=1), 0
    return datetime.combine(day, time(hour, minute), zone)


def _patterns(site_id: str, inland: bool) -> tuple:
    return facts.INLAND_SHIFTS if inland else facts.PORT_SHIFTS.get(site_id, facts.DEFAULT_PORT_SHIFTS)


def _pattern_for(patterns: tuple, hour: int) -> int:
    """The shift best placed for work arriving at a local hour: one with 2 h still to run."""
    for index, (start, end) in enumerate(patterns):
        if start <= hour < end - 2:
            return index
    return 0 if hour < patterns[0][0] else len(patterns) - 1


def demand(drafts: list, places: dict, monday: date, inland: bool) -> dict[str, Counter]:
    """Minutes of work expected per site, local day and shift (border: only the share not waived)."""
    work: dict[str, Counter] = defaultdict(Counter)
    for d in drafts:
        site = d.site if inland else d.port
        moment = (d.reaches_site if inland else d.arrive_port).astimezone(places[site]["zone"])
        day = (moment.date() - monday).days
        if 0 <= day < 7:
            minutes = d.minutes if inland else d.border_minutes * EXPECTED_REQUIRED_SHARE
            work[site][(day, _pattern_for(_patterns(site, inland), moment.hour))] += minutes
    return work


def staff(rng, places: dict, work: dict[str, Counter], monday: date, inland: bool,
          margin: float = 1.0) -> tuple[list[dict], dict[str, int]]:
    """Inspectors with shifts where and when the work is (APHIS+SENASICA pairs inland, CBP at ports)."""
    people, bays = [], {}
    agencies = ("APHIS", "SENASICA") if inland else ("CBP",)
    capacity = (INLAND_CAPACITY if inland else BORDER_CAPACITY) * margin
    for site_id in sorted(work):
        needed = _shifts_needed(work[site_id], facts.open_days(site_id), capacity)
        patterns = _patterns(site_id, inland)
        per_day = Counter()
        for (day, _), count in needed.items():
            per_day[day] += count
        bays[site_id] = max(1, math.ceil(0.75 * max(per_day.values())))
        for k, roster in enumerate(_rosters(needed)):
            for agency in agencies:
                shifts = roster
                if agency == "SENASICA" and rng.random() < 0.15:
                    # not every pair works the same hours: some overlap only part of the day
                    shifts = [(day, (p + 1) % len(patterns)) for day, p in roster]
                hours = [(day, patterns[p]) for day, p in shifts]
                people.append(_inspector(rng, places[site_id], agency, hours, monday, k))
    return people, bays


def _shifts_needed(demand: Counter, open_days: list[int], capacity: float) -> Counter:
    """Shifts per (open day, shift pattern) for the work expected then.

    Work on a closed day moves to the next open morning; rounding up per shift keeps small
    sites staffed when they have work at all.
    """
    work = Counter()
    for (day, pattern), minutes in demand.items():
        later = [d for d in open_days if d >= day]
        work[(day, pattern) if later and later[0] == day else ((later or open_days[-1:])[0], 0)] += minutes
    return Counter({key: math.ceil(minutes * capacity / SHIFT_MINUTES) for key, minutes in work.items()})


def _rosters(needed: Counter) -> list[list[tuple[int, int]]]:
    """The (day, pattern) shifts of each inspector: at most 5 a week and one a day, few inspectors."""
    per_day = Counter()
    for (day, _), count in needed.items():
        per_day[day] += count
    count = max(max(per_day.values()), math.ceil(sum(per_day.values()) / 5))
    rosters: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for day, pattern in sorted(needed):
        for _ in range(needed[(day, pattern)]):
            free = [r for r in rosters if len(r) < 5 and all(d != day for d, _ in r)]
            if free:
                min(free, key=len).append((day, pattern))
    return [r for r in rosters if r]


def _inspector(rng, place: dict, agency: str, shifts, monday: date, k: int) -> dict:
    zone = place["zone"]
    site_commodities = facts.site_commodities(place["id"])
    if site_commodities == ["*"] or k == 0 or rng.random() < 0.75:
        qualified = site_commodities
    else:
        qualified = sorted(rng.sample(site_commodities, rng.randint(1, len(site_commodities))))
    return {
        "id": agency,
        "agency": agency,
        "home_site": place["id"],
        "commodities": qualified,
        "shifts": [{"start": at(monday + timedelta(days=day), a, zone).isoformat(),
                    "end": at(monday + timedelta(days=day), b, zone).isoformat()} for day, (a, b) in shifts],
        "max_minutes_per_day": rng.choice((360, 420, 480)),
    }


def number_inspectors(people: list[dict]) -> list[dict]:
    for number, inspector in enumerate(people, start=1):
        inspector["id"] = f"{inspector['agency']}-{number:04d}"
    return people
