"""Is recognition safe? Interception rates with their 95% confidence intervals, and their difference."""

# The Wilson score interval for one rate, Newcombe's hybrid score interval (method 10) for the
# difference of two: both behave at the small rates and counts of pest interceptions, where the normal
# approximation gives negative lower bounds.

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Rate:
    """Events among trials, with the Wilson interval; no trials, no rate."""

    events: int
    trials: int
    low: float | None
    high: float | None

    @property
    def value(self) -> float | None:
        return self.events / self.trials if self.trials else None


@dataclass(frozen=True)
class Difference:
    """first - second with its interval; significant when the interval leaves out zero."""

    value: float | None
    low: float | None
    high: float | None

    @property
    def significant(self) -> bool:
        return self.low is not None and (self.low > 0 or self.high < 0)


def wilson(events: int, trials: int, z: float = Z95) -> Rate:
    if not 0 <= events <= trials:
        raise ValueError(f"{events} events among {trials} trials")
    if trials == 0:
        return Rate(0, 0, None, None)
    p = events / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return Rate(events, trials, max(0.0, centre - half), min(1.0, centre + half))


def difference(first: Rate, second: Rate) -> Difference:
    """Newcombe's hybrid score interval for first - second, from the two Wilson intervals."""
    if not first.trials or not second.trials:
        return Difference(None, None, None)
    p1, p2 = first.value, second.value
    d = p1 - p2
    low = d - math.sqrt((p1 - first.low) ** 2 + (second.high - p2) ** 2)
    high = d + math.sqrt((first.high - p1) ** 2 + (p2 - second.low) ** 2)
    return Difference(d, max(-1.0, low), min(1.0, high))
