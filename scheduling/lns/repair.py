"""Ruin and recreate: unplace a few competing requests, re-place them seed-first, keep if not worse."""

from __future__ import annotations

import random
import time

from scheduling.bookings import bookings_of
from scheduling.heuristic import ORDERS, fits, place_request
from scheduling.instance import same_placement


class Repair:
    """Fast local search in pure Python between CP-SAT neighbourhoods; thousands of moves a minute.

    Each move frees a small group around an unserved (or unwaived) request, places the seed
    first and the rest by deadline, and is undone unless the group scores at least as well.
    """

    def __init__(self, run, neighbourhoods, seed: int):
        self.run, self.instance, self.neighbourhoods = run, run.instance, neighbourhoods
        self.rng = random.Random(seed)
        self.reset()

    def reset(self) -> None:
        """Start again from the run's best plan (after a CP-SAT neighbourhood improved it)."""
        self.plan = dict(self.run.plan)
        self.bookings = bookings_of(self.instance, self.plan)
        self.kept = self.run.score(self.plan).kept

    def _key(self, placements: dict) -> tuple:
        instance, keep = self.instance, self.run.keep
        return (sum(instance.weight(r) for r in placements),
                sum(1 for r, p in placements.items() if same_placement(keep.get(r), p)),
                sum(1 for p in placements.values() if instance.waived(p)),
                -sum(instance.placement_travel(p) for p in placements.values()))

    def move(self, size: int) -> bool:
        """One ruin-and-recreate move; True when it strictly improved the plan."""
        seed = self.neighbourhoods.seed_request(self.plan)
        group = self.neighbourhoods.around(seed, self.plan, size)
        removed = {r: self.plan.pop(r) for r in group if r in self.plan}
        for placement in removed.values():
            self.bookings.remove(placement)
        added = {}
        for request_id in self._order(seed, group):
            placement = self._kept_or_placed(request_id)
            if placement is not None:
                self.bookings.place(placement)
                added[request_id] = placement
        before, after = self._key(removed), self._key(added)
        kept = self.kept - before[1] + after[1]
        if after >= before and kept >= self.run.kept_floor:
            self.plan.update(added)
            self.kept = kept
            return after > before
        for placement in added.values():
            self.bookings.remove(placement)
        for placement in removed.values():
            self.bookings.place(placement)
        self.plan.update(removed)
        return False

    def _kept_or_placed(self, request_id: str):
        """The previous plan's placement when it still fits (re-planning), else a greedy one."""
        kept = self.run.keep.get(request_id)
        if kept is not None and fits(self.instance, self.bookings, kept):
            return kept
        return place_request(self.instance, self.bookings, self.instance.windows[request_id])

    def _order(self, seed: str, group: list[str]) -> list[str]:
        # The seed goes first so that it takes what it needs; the rest refit around it.
        name = self.rng.choice(list(ORDERS))
        rest = sorted((r for r in group if r != seed), key=lambda r: ORDERS[name](self.instance, r))
        return [seed, *rest]

    def burst(self, seconds: float, size: int) -> int:
        """Moves for `seconds`; offers the plan to the run when it improved. Returns improvements."""
        end = time.monotonic() + min(seconds, self.run.time_left())
        improvements = 0
        while time.monotonic() < end and self.run.time_left() > 0:
            improvements += self.move(self.rng.randint(max(2, size // 2), size))
        if improvements:
            self.run.offer(dict(self.plan), "repair")
        return improvements
