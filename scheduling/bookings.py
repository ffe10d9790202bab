"""Who and what is already booked when: inspector timelines, daily minutes and site bays."""

from __future__ import annotations

import bisect
from collections import defaultdict

from scheduling.instance import Instance, Placement


class Bookings:
    """Mutable resource state for building plans one placement at a time (rules 3 to 5)."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.starts = defaultdict(list)  # crew -> sorted starts
        self.items = defaultdict(list)  # crew -> [(start, end, site)] in start order
        self.day_minutes = defaultdict(int)  # (crew, home day) -> inspection minutes
        self.bay_starts = defaultdict(list)  # site -> sorted starts
        self.bay_items = defaultdict(list)  # site -> [(start, end)] in start order
        self.bay_ends = defaultdict(list)  # site -> the ends of bay_items, in the same order
        self.longest = defaultdict(int)  # site -> longest booking, bounds the overlap search
        self._scan_from: dict = {}  # (shifts, start) -> where first_free may start looking

    # --- checks -----------------------------------------------------------------------------

    def shift_covers(self, crew: int, site: str, start: int, duration: int) -> bool:
        """Rule 3 and 5: inside one shift, after travelling from home at its start."""
        info = self.instance.crews[crew]
        reach = self.instance.travel(info.home, site)
        last = bisect.bisect_right(info.shifts, (start - reach, 10**12)) - 1
        # Shifts rarely overlap, so the covering one is among the last few that began in time.
        for shift_start, shift_end in info.shifts[max(0, last - 2):last + 1]:
            if shift_start + reach <= start and start + duration <= shift_end:
                return True
        return False

    def inspector_free(self, crew: int, site: str, start: int, duration: int,
                       on_shift: bool = False) -> bool:
        """Rule 5: shift coverage (known when `on_shift`), daily cap, no overlap and travel
        from and to the neighbouring bookings."""
        if not on_shift and not self.shift_covers(crew, site, start, duration):
            return False
        # The neighbouring bookings first: a busy inspector is turned down by them most often.
        starts, items = self.starts[crew], self.items[crew]
        pos = bisect.bisect_left(starts, start)
        travel = self.instance.travel
        if pos > 0:
            _, prev_end, prev_site = items[pos - 1]
            if prev_end + travel(prev_site, site) > start:
                return False
        if pos < len(items):
            next_start, _, next_site = items[pos]
            if start + duration + travel(site, next_site) > next_start:
                return False
        info = self.instance.crews[crew]
        return self.day_minutes[(crew, info.day(start))] + duration <= info.cap

    def first_free(self, shifts: list, site: str, start: int, duration: int) -> int | None:
        """The first crew, nearest home first, of the `shifts` (from Instance.on_shift) covering
        `start` that is free for [start, start + duration) at `site`.

        The crews a search for the same shifts and start passed over were busy then, and stay
        busy until something is unbooked: the next search starts where the last one stopped.
        At national scale most of the greedy's time went into looking at them again.
        """
        key = (id(shifts), start)  # the shifts list belongs to one site, agency and duration
        first = self._scan_from.get(key, 0)
        for position in range(first, len(shifts)):
            lo, hi, crew, _ = shifts[position]
            if lo <= start <= hi and self._free_at(crew, site, start, duration):
                self._scan_from[key] = position
                return crew
        self._scan_from[key] = len(shifts)
        return None

    def _free_at(self, crew: int, site: str, start: int, duration: int) -> bool:
        """inspector_free for a crew known to be on shift, written out: it runs millions of times."""
        travel = self.instance.travel
        starts = self.starts[crew]
        pos = bisect.bisect_left(starts, start)
        if pos:
            _, prev_end, prev_site = self.items[crew][pos - 1]
            if prev_end + travel(prev_site, site) > start:
                return False
        if pos < len(starts):
            next_start, _, next_site = self.items[crew][pos]
            if start + duration + travel(site, next_site) > next_start:
                return False
        info = self.instance.crews[crew]
        return self.day_minutes[(crew, bisect.bisect_right(info.midnights, start) - 1)] + duration <= info.cap

    def bay_free(self, site: str, start: int, duration: int) -> bool:
        """Rule 4: fewer than `bays` inspections running at every moment of [start, end)."""
        end = start + duration
        starts, items = self.bay_starts[site], self.bay_items[site]
        hi = bisect.bisect_left(starts, end)
        lo = bisect.bisect_left(starts, start - self.longest[site])
        overlapping = [(s, e) for s, e in items[lo:hi] if e > start]
        bays = self.instance.scenario.site(site).bays
        if len(overlapping) < bays:
            return True
        # Sweep the overlapping bookings: the count only rises at a start, so check there.
        events = sorted([(max(s, start), 1) for s, _ in overlapping] + [(e, -1) for _, e in overlapping])
        running = 0
        for _, delta in events:
            running += delta
            if running >= bays:
                return False
        return True

    # --- changes ----------------------------------------------------------------------------

    def book(self, crew: int, site: str, start: int, duration: int) -> None:
        info = self.instance.crews[crew]
        pos = bisect.bisect_left(self.starts[crew], start)
        self.starts[crew].insert(pos, start)
        self.items[crew].insert(pos, (start, start + duration, site))
        self.day_minutes[(crew, info.day(start))] += duration

    def book_bay(self, site: str, start: int, duration: int) -> None:
        pos = bisect.bisect_left(self.bay_starts[site], start)
        self.bay_starts[site].insert(pos, start)
        self.bay_items[site].insert(pos, (start, start + duration))
        self.bay_ends[site].insert(pos, start + duration)
        self.longest[site] = max(self.longest[site], duration)

    def unbook(self, crew: int, start: int, duration: int) -> None:
        self._scan_from.clear()  # a crew passed over may be free again
        info = self.instance.crews[crew]
        pos = bisect.bisect_left(self.starts[crew], start)
        del self.starts[crew][pos]
        del self.items[crew][pos]
        self.day_minutes[(crew, info.day(start))] -= duration

    def unbook_bay(self, site: str, start: int, duration: int) -> None:
        pos = bisect.bisect_left(self.bay_starts[site], start)
        while self.bay_items[site][pos] != (start, start + duration):
            pos += 1
        del self.bay_starts[site][pos]
        del self.bay_items[site][pos]
        del self.bay_ends[site][pos]

    def place(self, placement: Placement) -> None:
        """Book every resource a placement uses."""
        self._apply(placement, self.book, self.book_bay)

    def remove(self, placement: Placement) -> None:
        self._apply(placement, lambda c, s, t, d: self.unbook(c, t, d), self.unbook_bay)

    def _apply(self, placement: Placement, crew_action, bay_action) -> None:
        request = self.instance.requests[placement.request]
        dur = request.inspection_minutes
        for crew in placement.team:
            crew_action(crew, placement.site, placement.start, dur)
        bay_action(placement.site, placement.start, dur)
        if placement.border_start is not None:
            b_dur = request.border_inspection_minutes
            crew_action(placement.border_crew, request.port, placement.border_start, b_dur)
            bay_action(request.port, placement.border_start, b_dur)

    def crew_items_between(self, crew: int, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Bookings of a crew that start in [lo, hi]."""
        starts = self.starts[crew]
        return self.items[crew][bisect.bisect_left(starts, lo):bisect.bisect_right(starts, hi)]


def bookings_of(instance: Instance, plan: dict, skip=()) -> Bookings:
    """Bookings holding every placement of a plan except those of the requests in `skip`."""
    bookings = Bookings(instance)
    for request_id, placement in plan.items():
        if request_id not in skip:
            bookings.place(placement)
    return bookings

