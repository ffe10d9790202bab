"""A fast constructive plan: highest priority and earliest deadline first, waiver-friendly times first."""

from __future__ import annotations

import bisect

from scheduling.bookings import Bookings, bookings_of
from scheduling.instance import DAY, Instance, Placement
from scheduling.windows import RequestWindows

MAX_TRIED_STARTS = 150  # bounds the work per request; later starts rarely succeed when these fail


def _latest_start(instance: Instance, request_id: str) -> int:
    return max(hi for ranges in instance.windows[request_id].inland.values() for _, hi in ranges)


# Orders the greedy can take requests in. "priority" (highest priority, then earliest
# deadline) is the baseline; on generated weeks "deadline" and "urgency" serve 1-3% more
# weight (docs/optimizer.md), so the solver tries all three.
ORDERS = {
    "priority": lambda instance, r: (-instance.requests[r].priority, instance.requests[r].cross_by,
                                     instance.requests[r].ready, r),
    "deadline": lambda instance, r: (instance.requests[r].cross_by, -instance.requests[r].priority, r),
    "urgency": lambda instance, r: (_latest_start(instance, r) - 480 * instance.requests[r].priority, r),
}


def priority_order(instance: Instance, request_ids, name: str = "priority") -> list[str]:
    """Requests in one of the ORDERS; "priority" is highest priority, then earliest deadline."""
    return sorted(request_ids, key=lambda r: ORDERS[name](instance, r))


def greedy(instance: Instance, fixed: dict | None = None, keep: dict | None = None,
           order: str | list[str] = "priority", latest_border: bool = False) -> dict:
    """A valid plan (request id -> Placement) that contains `fixed` and every placement of
    `keep` that still fits, then as many other requests as fit, in priority order."""
    plan = dict(fixed or {})
    bookings = bookings_of(instance, plan)
    for request_id, placement in (keep or {}).items():
        if request_id not in plan and fits(instance, bookings, placement):
            bookings.place(placement)
            plan[request_id] = placement
    pending = [r for r, w in instance.windows.items() if w.servable and r not in plan]
    if isinstance(order, str):
        order = priority_order(instance, pending, order)
    for request_id in order:
        if request_id in plan:
            continue
        placement = place_request(instance, bookings, instance.windows[request_id], latest_border)
        if placement is not None:
            bookings.place(placement)
            plan[request_id] = placement
    return plan


def place_request(instance: Instance, bookings: Bookings, windows: RequestWindows,
                  latest_border: bool = False) -> Placement | None:
    """The first start, waivable ones first, at which a bay, a joint team and if needed a
    border slot are all free."""
    request = windows.request
    dur = request.inspection_minutes
    no_border_after = None  # a later arrival at the port than one that found no slot finds none
    for _, start, site in candidate_starts(instance, bookings, windows)[:MAX_TRIED_STARTS]:
        waived = windows.avoids_border(site, start + dur)
        arrival = start + dur + instance.travel(site, request.port)
        if not waived and no_border_after is not None and arrival >= no_border_after:
            continue
        if not bookings.bay_free(site, start, dur):
            continue
        team = _free_team(instance, bookings, request, site, start)
        if team is None:
            continue
        if waived:
            return Placement(request.id, site, start, team)
        border = find_border_slot(instance, bookings, windows, site, start + dur, latest_border)
        if border is not None:
            return Placement(request.id, site, start, team, *border)
        no_border_after = arrival
    return None


def _free_team(instance, bookings, request, site, start):
    team = []
    for agency in ("APHIS", "SENASICA"):
        crews = instance.on_shift(agency, request.commodity, site, request.inspection_minutes, start)
        crew = bookings.first_free(crews, site, start, request.inspection_minutes)
        if crew is None:
            return None
        team.append(crew)
    return tuple(team)


def candidate_starts(instance: Instance, bookings: Bookings, windows: RequestWindows):
    """(not waivable, start, site) for every start worth trying: window openings, the first
    waivable start, and the moments a bay or a qualified inspector becomes free."""
    request = windows.request
    dur = request.inspection_minutes
    result = []
    for site, ranges in windows.inland.items():
        # starts from `waivable` on avoid the border inspection (all of them north of the border)
        if site in windows.north:
            waivable = -DAY
        else:
            waivable = windows.waive_from - dur if windows.waive_from is not None else 10**9
        points = {lo for lo, _ in ranges}
        points.add(waivable)
        _add_release_points(points, instance, bookings, request, site, ranges[0][0], ranges[-1][1])
        result.extend((t < waivable, t, site) for t in _within(sorted(points), ranges))
    result.sort()
    return result


def _add_release_points(points: set, instance, bookings, request, site, lo, hi) -> None:
    """Moments in [lo, hi] when a shift can first start work here or a booking frees up.

    A qualified inspector frees up when a booking of theirs ends, plus the drive here; every
    such booking holds a bay at its site, so the bookings' ends at the sites within a drive
    are the moments (a few more than needed, far fewer to look through than each inspector's).
    """
    dur = request.inspection_minutes
    for agency in ("APHIS", "SENASICA"):
        firsts, _ = instance.shift_starts(agency, request.commodity, site, dur)
        points.update(firsts[bisect.bisect_left(firsts, lo):bisect.bisect_right(firsts, hi)])
    for where, drive in instance.inland_neighbours(site):
        starts = bookings.bay_starts[where]
        ends = bookings.bay_ends[where][bisect.bisect_left(starts, lo - drive - bookings.longest[where]):
                                        bisect.bisect_right(starts, hi - drive)]
        points.update(map(drive.__add__, ends) if drive else ends)


def _within(points: list[int], ranges) -> list[int]:
    """The sorted points that lie inside one of the sorted inclusive ranges."""
    inside, k = [], 0
    for t in points:
        while k < len(ranges) and ranges[k][1] < t:
            k += 1
        if k == len(ranges):
            break
        if t >= ranges[k][0]:
            inside.append(t)
    return inside


def _inside(ranges, t: int) -> bool:
    k = bisect.bisect_right(ranges, (t, 10**12)) - 1
    return k >= 0 and ranges[k][0] <= t <= ranges[k][1]


def find_border_slot(instance: Instance, bookings: Bookings, windows: RequestWindows,
                     site: str, inland_end: int, latest: bool = False) -> tuple[int, int] | None:
    """(start, CBP crew) of the earliest (or latest) free border inspection after the inland
    one arrives; latest leaves the early slots to shipments with earlier deadlines."""
    request = windows.request
    port, dur = request.port, request.border_inspection_minutes
    earliest = inland_end + instance.travel(site, port)
    ranges = [(max(lo, earliest), hi) for lo, hi in windows.border if hi >= earliest]
    if not ranges:
        return None
    points = _border_points(instance, bookings, request, ranges, latest)
    for t in sorted((p for p in points if _inside(ranges, p)), reverse=latest)[:MAX_TRIED_STARTS]:
        if not bookings.bay_free(port, t, dur):
            continue
        crew = bookings.first_free(instance.on_shift("CBP", request.commodity, port, dur, t), port, t, dur)
        if crew is not None:
            return t, crew
    return None


def _border_points(instance, bookings, request, ranges, latest: bool) -> set[int]:
    """Starts worth trying: range edges, CBP shift edges, and the moments next to the port's
    bookings (CBP inspectors work at their port, so its bookings are theirs)."""
    port, dur = request.port, request.border_inspection_minutes
    lo, hi = ranges[0][0], ranges[-1][1]
    points = {b if latest else a for a, b in ranges}
    firsts, index = instance.shift_starts("CBP", request.commodity, port, dur)
    if latest:
        points.update(entry[1] for day in range(lo // DAY, hi // DAY + 1) for entry in index.get(day, ()))
    else:
        points.update(firsts[bisect.bisect_left(firsts, lo):bisect.bisect_right(firsts, hi)])
    starts = bookings.bay_starts[port]
    longest = bookings.longest[port]
    for start, end in bookings.bay_items[port][bisect.bisect_left(starts, lo - longest):
                                               bisect.bisect_right(starts, hi + dur)]:
        points.add(start - dur if latest else end)
    return points


def fits(instance: Instance, bookings: Bookings, placement: Placement) -> bool:
    """Whether a placement (from a previous plan) still obeys every rule beside the bookings."""
    windows = instance.windows.get(placement.request)
    if windows is None or not _inside(windows.inland.get(placement.site, []), placement.start):
        return False
    request = windows.request
    dur = request.inspection_minutes
    for agency, crew in zip(("APHIS", "SENASICA"), placement.team):
        if crew not in instance.team(agency, request.commodity, placement.site, dur) \
                or not bookings.inspector_free(crew, placement.site, placement.start, dur):
            return False
    if not bookings.bay_free(placement.site, placement.start, dur):
        return False
    if windows.avoids_border(placement.site, placement.start + dur):
        return placement.border_start is None
    return _border_fits(instance, bookings, windows, placement)


def _border_fits(instance, bookings, windows, placement) -> bool:
    request = windows.request
    if placement.border_start is None:
        return False
    t, dur = placement.border_start, request.border_inspection_minutes
    arrival = placement.start + request.inspection_minutes + instance.travel(placement.site, request.port)
    return (t >= arrival and _inside(windows.border, t)
            and placement.border_crew in instance.team("CBP", request.commodity, request.port, dur)
            and bookings.bay_free(request.port, t, dur)
            and bookings.inspector_free(placement.border_crew, request.port, t, dur))
