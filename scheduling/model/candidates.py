"""Candidate (inspector, shift day, site) options per inspection, filtered before the model sees them."""

from __future__ import annotations

from dataclasses import dataclass

from scheduling.bookings import Bookings
from scheduling.instance import Instance
from scheduling.minutes import intersect, normalise


@dataclass(frozen=True)
class Candidate:
    """One inspector may do one inspection at `site`, starting in `starts`, counted on `day`."""

    crew: int
    agency: str
    site: str
    day: int
    starts: tuple[tuple[int, int], ...]  # inclusive start ranges, sorted

    @property
    def lo(self) -> int:
        return self.starts[0][0]

    @property
    def hi(self) -> int:
        return self.starts[-1][1]


class CandidateCache:
    """Candidates per request computed once from shifts and windows; bookings filter them later."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self._inland: dict = {}
        self._border: dict = {}

    def inland(self, request_id: str) -> list[Candidate]:
        if request_id not in self._inland:
            windows = self.instance.windows[request_id]
            request = windows.request
            self._inland[request_id] = [
                cand for site, ranges in windows.inland.items()
                for agency in ("APHIS", "SENASICA")
                for cand in self._options(agency, request.commodity, site,
                                          request.inspection_minutes, ranges)]
        return self._inland[request_id]

    def border(self, request_id: str) -> list[Candidate]:
        if request_id not in self._border:
            windows = self.instance.windows[request_id]
            request = windows.request
            self._border[request_id] = self._options(
                "CBP", request.commodity, request.port, request.border_inspection_minutes,
                windows.border) if windows.border else []
        return self._border[request_id]

    def _options(self, agency, commodity, site, duration, ranges) -> list[Candidate]:
        """Rule 3 and 5: every (crew, shift, home day) whose starts meet the window."""
        if not ranges:
            return []
        instance = self.instance
        result = []
        for crew_index in instance.team(agency, commodity, site, duration):
            crew = instance.crews[crew_index]
            reach = instance.travel(crew.home, site)
            for shift_start, shift_end in crew.shifts:
                lo, hi = shift_start + reach, shift_end - duration
                if hi < ranges[0][0] or lo > ranges[-1][1] or lo > hi:
                    continue
                for day in range(max(0, crew.day(lo)), crew.day(hi) + 1):
                    day_lo = max(lo, crew.midnights[day])
                    day_hi = min(hi, crew.midnights[day + 1] - 1) if day + 1 < len(crew.midnights) else hi
                    starts = intersect(ranges, [(day_lo, day_hi)])
                    if starts:
                        result.append(Candidate(crew_index, agency, site, day, tuple(starts)))
        return result


def usable(instance: Instance, context: Bookings, candidate: Candidate, duration: int) -> Candidate | None:
    """The candidate minus the starts that clash with the crew's fixed bookings (with travel),
    or None when nothing is left or the day's minutes are already used up."""
    crew = instance.crews[candidate.crew]
    if context.day_minutes[(candidate.crew, candidate.day)] + duration > crew.cap:
        return None
    forbidden = []
    margin = 24 * 60
    for start, end, where in context.crew_items_between(candidate.crew, candidate.lo - margin,
                                                          candidate.hi + duration + margin):
        before = start - duration - instance.travel(candidate.site, where)
        after = end + instance.travel(where, candidate.site)
        forbidden.append((before + 1, after - 1))
    if not forbidden:
        return candidate
    starts = _subtract(list(candidate.starts), normalise(forbidden))
    if not starts:
        return None
    return Candidate(candidate.crew, candidate.agency, candidate.site, candidate.day, tuple(starts))


def _subtract(ranges, holes):
    result = []
    for lo, hi in ranges:
        cursor = lo
        for h_lo, h_hi in holes:
            if h_hi < cursor or h_lo > hi:
                continue
            if h_lo > cursor:
                result.append((cursor, h_lo - 1))
            cursor = max(cursor, h_hi + 1)
        if cursor <= hi:
            result.append((cursor, hi))
    return result
