"""What no plan can beat, level by level: when a plan reaches every bound it is proven optimal."""

from __future__ import annotations

from dataclasses import dataclass

from scheduling.instance import Instance, Score


@dataclass(frozen=True)
class Bounds:
    """Per-request bounds on each objective level, each request taken on its own."""

    served_weight: int  # priorities of the requests that have a window
    avoided: int  # requests that could avoid the border inspection (waived or north of the border)
    travel: int  # the least travel of serving every servable request, each with its nearest team
    kept: int = 0  # previous placements that could be kept (re-planning)

    def reached_by(self, score: Score) -> bool:
        """A plan at every bound is optimal: nothing serves more, keeps more, avoids more or
        drives less."""
        return (score.served_weight >= self.served_weight and score.kept >= self.kept
                and score.waived >= self.avoided and score.travel <= self.travel)


def level_bounds(instance: Instance, keep: dict | None = None) -> Bounds:
    """The bounds of each level; the travel bound only counts when every servable request is served."""
    servable = [w for w in instance.windows.values() if w.servable]
    return Bounds(served_weight=sum(w.request.priority for w in servable),
                  avoided=sum(1 for w in servable if can_avoid_border(w)),
                  travel=sum(_least_travel(instance, w) for w in servable),
                  kept=len(keep or ()))


def can_avoid_border(windows) -> bool:
    """Some site north of the border, or an inland end late enough for a rule to waive it."""
    if windows.north:
        return True
    dur = windows.request.inspection_minutes
    return windows.waive_from is not None and any(
        hi + dur >= windows.waive_from for ranges in windows.inland.values() for _, hi in ranges)


def _least_travel(instance: Instance, windows) -> int:
    """The nearest APHIS and SENASICA inspectors' drive from home to the nearest usable site,
    plus the nearest CBP inspector's when the border inspection cannot be avoided."""
    request, dur = windows.request, windows.request.inspection_minutes
    inland = min(sum(_nearest(instance, agency, request.commodity, site, dur) for agency in ("APHIS", "SENASICA"))
                 for site in windows.inland)
    if can_avoid_border(windows):
        return inland
    return inland + _nearest(instance, "CBP", request.commodity, request.port, request.border_inspection_minutes)


def _nearest(instance: Instance, agency: str, commodity: str, site: str, duration: int) -> int:
    team = instance.team(agency, commodity, site, duration)
    return instance.travel(instance.crews[team[0]].home, site) if team else 0
