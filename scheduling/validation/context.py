"""What the validator works on: the indexed scenario, each assignment as a UTC Slot, and a Violation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from scheduling.domain import JOINT_INLAND, Assignment, Scenario

UTC = timezone.utc


@dataclass(frozen=True)
class Violation:
    """One broken rule of the exchange spec: a short code, the request concerned, and plain words."""

    rule: str
    request: str | None
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass(frozen=True)
class Slot:
    """An assignment whose references all resolve, with its times in UTC.

    Comparing and subtracting in UTC avoids the wall-clock arithmetic Python does when two
    times share one ZoneInfo object, which is wrong across a DST change.
    """

    assignment: Assignment
    start: datetime
    end: datetime

    @property
    def request(self) -> str:
        return self.assignment.request

    @property
    def site(self) -> str:
        return self.assignment.site

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


class Context:
    """The scenario indexed for validation, and the wording of times and places in messages."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.requests = {r.id: r for r in scenario.requests}
        self.sites = {s.id: s for s in scenario.sites}
        self.inspectors = {i.id: i for i in scenario.inspectors}
        self.zones = {s.id: ZoneInfo(s.timezone) for s in scenario.sites}
        self.shifts = {
            i.id: sorted((s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in i.shifts)
            for i in scenario.inspectors
        }

    def place(self, site_id: str) -> str:
        return f"{self.sites[site_id].name} ({site_id})"

    def local(self, moment: datetime, site_id: str) -> str:
        """A time as people at the site read it, e.g. 'Tue 2027-03-02 07:30 America/Mexico_City'."""
        zone = self.zones[site_id]
        return f"{moment.astimezone(zone):%a %Y-%m-%d %H:%M} {zone.key}"

    def describe(self, slot: Slot) -> str:
        what = "joint inspection" if slot.assignment.type == JOINT_INLAND else "border inspection"
        zone = self.zones[slot.site]
        start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
        until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %Y-%m-%d %H:%M}"
        return (f"{what} of {slot.request} at {self.place(slot.site)} "
                f"{start:%a %Y-%m-%d %H:%M}-{until} {zone.key}")


@dataclass
class Served:
    """What the schedule does for one request: its inland and border inspections."""

    inland: Slot | None = None
    border: Slot | None = None
    extra: list[Slot] = field(default_factory=list)
