"""The scheduling problem and its answer as frozen dataclasses (exchange format versions 1 and 2)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from mr_agreements.domain import Certification, Rule

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AGENCIES = ("APHIS", "SENASICA", "CBP")
ANY = "*"
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Horizon:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class OpeningHours:
    """One weekly opening period in the site's own time zone; close "24:00" is midnight."""

    days: tuple[str, ...]
    open: str
    close: str


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    kind: str  # "inland" or "port"
    country: str
    lat: float
    lon: float
    timezone: str
    bays: int
    hours: tuple[OpeningHours, ...]
    commodities: tuple[str, ...]

    def inspects(self, commodity: str) -> bool:
        return ANY in self.commodities or commodity in self.commodities

    @property
    def north_of_border(self) -> bool:
        """A joint inspection facility in the US: version 2 reaches it after crossing (rule 1b)."""
        return self.kind == "inland" and self.country == "US"


@dataclass(frozen=True)
class Origin:
    """Where a load is packed (version 2); travel to and from it is counted as between two sites."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Shift:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Inspector:
    id: str
    agency: str
    home_site: str
    commodities: tuple[str, ...]
    shifts: tuple[Shift, ...]
    max_minutes_per_day: int

    def qualified_for(self, commodity: str) -> bool:
        return ANY in self.commodities or commodity in self.commodities


@dataclass(frozen=True)
class Exporter:
    id: str
    name: str
    certifications: tuple[Certification, ...] = ()


@dataclass(frozen=True)
class Request:
    id: str
    exporter: str
    commodity: str
    origin_state: str
    port: str
    ready: datetime
    arrive_port: datetime
    cross_by: datetime
    inspection_minutes: int
    border_inspection_minutes: int
    priority: int
    sites: tuple[str, ...] | None = None
    sealable: bool = True
    origin: Origin | None = None  # version 2; None keeps version 1's meaning for this request
    # Why the border inspection is done whatever the rules say (the load was drawn for a verification
    # inspection, recognition is suspended for its exporter): its port inspection is booked with CBP.
    border_required: str | None = None

    def crosses_before(self, site: Site) -> bool:
        """Rule 1b: a version 2 load crosses its port under seal before an inland site in the US."""
        return self.origin is not None and site.north_of_border


@dataclass(frozen=True)
class Scenario:
    horizon: Horizon
    sites: tuple[Site, ...]
    inspectors: tuple[Inspector, ...]
    exporters: tuple[Exporter, ...]
    requests: tuple[Request, ...]
    rules: tuple[Rule, ...]
    travel_overrides: tuple[tuple[str, str, int], ...] = ()
    _site_index: dict = field(default=None, init=False, repr=False, compare=False, hash=False)
    _exporter_index: dict = field(default=None, init=False, repr=False, compare=False, hash=False)
    _travel_index: dict = field(default=None, init=False, repr=False, compare=False, hash=False)

    def site(self, site_id: str) -> Site:
        if self._site_index is None:
            object.__setattr__(self, "_site_index", {s.id: s for s in self.sites})
        return self._site_index[site_id]

    def exporter(self, exporter_id: str) -> Exporter | None:
        if self._exporter_index is None:
            object.__setattr__(self, "_exporter_index", {e.id: e for e in reversed(self.exporters)})
        return self._exporter_index.get(exporter_id)

    def travel(self, a: str, b: str) -> int:
        """Travel minutes between two sites: the override when given, else road distance at 60 km/h.

        An override given in one direction only holds both ways (the spec calls it symmetric
        unless both directions are given). Each pair is worked out once and remembered.
        """
        if a == b:
            return 0
        if self._travel_index is None:
            index: dict[tuple[str, str], int] = {}
            for x, y, minutes in self.travel_overrides:
                index[(x, y)] = minutes
            for x, y, minutes in self.travel_overrides:
                index.setdefault((y, x), minutes)
            object.__setattr__(self, "_travel_index", index)
        minutes = self._travel_index.get((a, b))
        if minutes is None:
            minutes = self._travel_index[(a, b)] = great_circle_travel_minutes(self.site(a), self.site(b))
        return minutes

    def travel_from_origin(self, request: Request, site_id: str) -> int:
        """Minutes from where the load is packed to a site (0 for a version 1 request)."""
        if request.origin is None:
            return 0
        return great_circle_travel_minutes(request.origin, self.site(site_id))


def great_circle_travel_minutes(a: Site | Origin, b: Site | Origin) -> int:
    """ceil(1.3 x great-circle km): road distance driven at 60 km/h, as the spec defines it."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    return math.ceil(1.3 * km)


# --- the answer -------------------------------------------------------------------------

JOINT_INLAND = "joint_inland"
BORDER = "border"
WAIVED = "waived"
REQUIRED = "required"
JOINT_US_SITE = "joint_us_site"  # version 2: the joint inspection north of the border replaces the port's
AVOIDED = (WAIVED, JOINT_US_SITE)  # decisions that count in border_inspections_avoided


@dataclass(frozen=True)
class Assignment:
    request: str
    type: str  # JOINT_INLAND or BORDER
    site: str
    start: datetime
    end: datetime
    inspectors: tuple[str, ...]
    pinned: bool = False


@dataclass(frozen=True)
class ScheduledBorderDecision:
    request: str
    decision: str  # WAIVED, REQUIRED or JOINT_US_SITE
    rule: str | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unscheduled:
    request: str
    reason: str


@dataclass(frozen=True)
class Schedule:
    assignments: tuple[Assignment, ...]
    border_decisions: tuple[ScheduledBorderDecision, ...]
    unscheduled: tuple[Unscheduled, ...]
    stats: dict = field(default_factory=dict, compare=False, hash=False)
