"""Minutes from the horizon start, each site's local days, and arithmetic on ranges of start minutes."""

from __future__ import annotations

import bisect
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from scheduling.domain import Scenario

Interval = tuple[int, int]  # inclusive range of start minutes


class Clock:
    """Converts between datetimes and integer minutes counted from the horizon start."""

    def __init__(self, scenario: Scenario):
        self.start = scenario.horizon.start.astimezone(timezone.utc)
        self.end_minute = self.minute(scenario.horizon.end)
        self.tz = scenario.horizon.start.tzinfo
        self._midnights: dict[str, tuple[int, ...]] = {}

    def minute(self, moment: datetime) -> int:
        return int((moment.astimezone(timezone.utc) - self.start).total_seconds() // 60)

    def ceil_minute(self, moment: datetime) -> int:
        seconds = (moment.astimezone(timezone.utc) - self.start).total_seconds()
        return -int(-seconds // 60)

    def at(self, minute: int) -> datetime:
        return (self.start + timedelta(minutes=minute)).astimezone(self.tz)

    def local_midnights(self, zone: str) -> tuple[int, ...]:
        """Minutes of every local midnight from the day before the horizon to the day after."""
        if zone not in self._midnights:
            self._midnights[zone] = _midnights(self, zone)
        return self._midnights[zone]

    def local_dates(self, zone: str):
        tz = ZoneInfo(zone)
        first = self.at(0).astimezone(tz).date() - timedelta(days=1)
        return [first + timedelta(days=k) for k in range(len(self.local_midnights(zone)))]


def _midnights(clock: Clock, zone: str) -> tuple[int, ...]:
    tz = ZoneInfo(zone)
    day = clock.at(0).astimezone(tz).date() - timedelta(days=1)
    last = clock.at(clock.end_minute).astimezone(tz).date() + timedelta(days=1)
    result = []
    while day <= last:
        result.append(clock.minute(datetime.combine(day, time(0, 0), tzinfo=tz)))
        day += timedelta(days=1)
    return tuple(result)


def day_index(midnights: tuple[int, ...], minute: int) -> int:
    """The local calendar day (index into midnights) on which a minute falls."""
    return bisect.bisect_right(midnights, minute) - 1


# --- interval arithmetic on sorted, disjoint, inclusive ranges ------------------------------


def normalise(intervals) -> list[Interval]:
    merged: list[list[int]] = []
    for lo, hi in sorted(i for i in intervals if i[0] <= i[1]):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    result, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            result.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def starts_within(periods, duration: int) -> list[Interval]:
    """Start minutes at which an inspection of `duration` fits inside one of the periods."""
    return normalise((opens, closes - duration) for opens, closes in periods)
