"""A fast constructive plan: highest priority and earliest deadline first, waiver-friendly times first."""

from __future__ import annotations

import bisect

from scheduling.model_bookings import Bookings, bookings_of
from scheduling.model_instance import Instance, Placement
from scheduling.windows import RequestWindows

MAX_TRIED_STARTS = 400  # bounds the work per request; later starts rarely succeed when these fail


def priority_order(instance: Instance, request_ids) -> list[str]:
    """Priority first, then earliest deadline, then earliest ready time."""
    requests = instance.requests
    return sorted(request_ids, key=lambda r: (-requests[r].priority, requests[r].cross_by,
                                              requests[r].ready, r))


def greedy(instance: Instance, fixed: dict | None = None, keep: dict | None = None,
           order: list[str] | None = None) -> dict:
    """A valid plan (request id -> Placement) that contains `fixed` and every placement of
    `keep` that still fits, then as many other requests as fit, in priority order."""
    plan = dict(fixed or {})
    bookings = bookings_of(instance, plan)
    for request_id, placement in (keep or {}).items():
        if request_id not in plan and fits(instance, bookings, placement):
            bookings.place(placement)
            plan[request_id] = placement
    pending = [r for r, w in instance.windows.items() if w.servable and r not in plan]
    for request_id in order or priority_order(instance, pending):
        if request_id in plan:
            continue
        placement = place_request(instance, bookings, instance.windows[request_id])
        if placement is not None:
            bookings.place(placement)
            plan[request_id] = placement
    return plan


def place_request(instance: Instance, bookings: Bookings, windows: RequestWindows) -> Placement | None:
    """The first start, waivable ones first, at which a bay, a joint team and if needed a
    border slot are all free."""
    request = windows.request
    dur = request.inspection_minutes
    for _, start, site in candidate_starts(instance, bookings, windows)[:MAX_TRIED_STARTS]:
        if not bookings.bay_free(site, start, dur):
            continue
        team = _free_team(instance, bookings, request, site, start)
        if team is None:
            continue
        if windows.waivable_at(start + dur):
            return Placement(request.id, site, start, team)
        border = find_border_slot(instance, bookings, windows, site, start + dur)
        if border is not None:
            return Placement(request.id, site, start, team, *border)
    return None


def _free_team(instance, bookings, request, site, start):
    team = []
    for agency in ("APHIS", "SENASICA"):
        crews = instance.team(agency, request.commodity, site, request.inspection_minutes)
        crew = next((c for c in crews
                     if bookings.inspector_free(c, site, start, request.inspection_minutes)), None)
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
        points = {lo for lo, _ in ranges}
        if windows.waive_from is not None:
            points.add(windows.waive_from - dur)
        points.update(_release_points(instance, bookings, request, site, ranges[0][0], ranges[-1][1]))
        for t in points:
            if _inside(ranges, t):
                result.append((not windows.waivable_at(t + dur), t, site))
    result.sort()
    return result


def _release_points(instance, bookings, request, site, lo, hi):
    dur = request.inspection_minutes
    for agency in ("APHIS", "SENASICA"):
        for crew in instance.team(agency, request.commodity, site, dur):
            reach = instance.travel(instance.crews[crew].home, site)
            for shift_start, _ in instance.crews[crew].shifts:
                yield shift_start + reach
            for _, end, where in bookings.crew_items_between(crew, lo - 24 * 60, hi):
                yield end + instance.travel(where, site)
    starts = bookings.bay_starts[site]
    for _, end in bookings.bay_items[site][bisect.bisect_left(starts, lo - 24 * 60):
                                           bisect.bisect_right(starts, hi)]:
        yield end


def _inside(ranges, t: int) -> bool:
    k = bisect.bisect_right(ranges, (t, 10**12)) - 1
    return k >= 0 and ranges[k][0] <= t <= ranges[k][1]


def find_border_slot(instance: Instance, bookings: Bookings, windows: RequestWindows,
                     site: str, inland_end: int) -> tuple[int, int] | None:
    """(start, CBP crew) of the earliest free border inspection after the inland one arrives."""
    request = windows.request
    port, dur = request.port, request.border_inspection_minutes
    earliest = inland_end + instance.travel(site, port)
    ranges = [(max(lo, earliest), hi) for lo, hi in windows.border if hi >= earliest]
    if not ranges:
        return None
    crews = instance.team("CBP", request.commodity, port, dur)
    points = {lo for lo, _ in ranges}
    for crew in crews:
        points.update(end + instance.travel(where, port) for _, end, where
                      in bookings.crew_items_between(crew, earliest - 24 * 60, ranges[-1][1]))
    points.update(end for _, end in bookings.bay_items[port] if end >= earliest)
    for t in sorted(p for p in points if _inside(ranges, p))[:MAX_TRIED_STARTS]:
        if not bookings.bay_free(port, t, dur):
            continue
        crew = next((c for c in crews if bookings.inspector_free(c, port, t, dur)), None)
        if crew is not None:
            return t, crew
    return None


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
    if windows.waivable_at(placement.start + dur):
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
