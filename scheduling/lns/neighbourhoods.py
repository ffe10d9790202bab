"""Choosing neighbourhoods: groups of requests that compete for the same sites, ports and hours."""

from __future__ import annotations

import bisect
import random
from collections import defaultdict

from scheduling.instance import DAY


class Neighbourhoods:
    """Chooses groups of requests that compete for the same sites, ports and hours."""

    def __init__(self, instance, free: list[str], seed: int):
        self.instance = instance
        self.free = free
        self.rng = random.Random(seed)
        self.by_place = defaultdict(list)  # site or port -> free requests that may use it
        self._spans: dict = {}
        self._by_start: dict = {}
        for request_id in free:
            windows = instance.windows[request_id]
            for place in (*windows.inland, windows.request.port):
                self.by_place[place].append(request_id)

    def span(self, request_id: str) -> tuple[int, int]:
        """From the first inland start to the last inland or border start: the hours in which
        the request competes for inspectors, bays and CBP slots."""
        if request_id not in self._spans:
            windows = self.instance.windows[request_id]
            starts = [r for ranges in windows.inland.values() for r in ranges] + list(windows.border)
            self._spans[request_id] = (min(lo for lo, _ in starts), max(hi for _, hi in starts))
        return self._spans[request_id]

    def _overlapping(self, place: str, lo: int, hi: int) -> list[str]:
        """Requests that may use `place` and whose span meets [lo, hi]."""
        if place not in self._by_start:
            entries = sorted((self.span(r)[0], r) for r in self.by_place[place])
            self._by_start[place] = ([start for start, _ in entries], [r for _, r in entries])
        starts, requests = self._by_start[place]
        return [r for r in requests[:bisect.bisect_right(starts, hi)] if self.span(r)[1] >= lo]

    def seed_request(self, plan: dict) -> str:
        """An unserved request most of the time (weighted by priority), else one whose border
        inspection might still be waived, else any served one."""
        unserved = [r for r in self.free if r not in plan]
        roll = self.rng.random()
        if unserved and roll < 0.6:
            weights = [self.instance.weight(r) for r in unserved]
            return self.rng.choices(unserved, weights)[0]
        unwaived = [r for r, p in plan.items() if p.border_start is not None and not p.pinned
                    and _may_avoid_border(self.instance.windows[r])]
        if unwaived and roll < 0.85:
            return self.rng.choice(unwaived)
        return self.rng.choice(self.free)

    def around(self, seed: str, plan: dict, size: int) -> list[str]:
        """`size` requests sharing a site or port with the seed, nearest in time first."""
        lo, hi = self.span(seed)
        centre = (lo + hi) / 2
        windows = self.instance.windows[seed]
        near = set()
        for place in (*windows.inland, windows.request.port):
            near.update(self._overlapping(place, lo - DAY, hi + DAY))
        scored = []
        for request_id in near:
            r_lo, r_hi = self.span(request_id)
            gap = max(0, r_lo - hi, lo - r_hi)
            scored.append((gap + abs((r_lo + r_hi) / 2 - centre) / 4 + self.rng.random() * 60,
                           request_id))
        scored.sort()
        # Unserved requests only fit when served ones around them move: most of the group
        # is served requests competing for the same sites and hours.
        chosen, unserved = [seed], 0
        for _, request_id in scored:
            if len(chosen) >= size:
                break
            if request_id == seed or (request_id not in plan and unserved >= size // 4):
                continue
            unserved += request_id not in plan
            chosen.append(request_id)
        return chosen


def _may_avoid_border(windows) -> bool:
    """A rule could waive it, or a site north of the border could take it."""
    return windows.waive_from is not None or bool(windows.north)
