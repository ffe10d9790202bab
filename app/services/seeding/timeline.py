"""Times for demo shipments that respect site hours, shifts, bays and inspectors' other bookings."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Inspection, Inspector, InspectorBooking, Site, TravelTime
from ...models.site import WEEKDAYS
from .common import SeedError
from .reference import local_time

EARTH_RADIUS_KM = 6371.0
STEP = timedelta(minutes=30)


def workday(today: date, offset: int) -> date:
    """The working day (Monday to Saturday) `offset` working days from today; Sunday counts as Monday."""
    day = today
    while day.weekday() == 6:
        day += timedelta(days=1)
    step = 1 if offset >= 0 else -1
    for _ in range(abs(offset)):
        day += timedelta(days=step)
        while day.weekday() == 6:
            day += timedelta(days=step)
    return day


def travel_minutes(session: Session, a: Site, b: Site) -> int:
    """A measured travel time when there is one, else ceil(1.3 x great-circle km) as in the exchange format."""
    if a.id == b.id:
        return 0
    measured = session.get(TravelTime, (a.id, b.id))
    if measured is not None:
        return measured.minutes
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
    return math.ceil(1.3 * km)


def open_periods(site: Site, day: date) -> list[tuple[datetime, datetime]]:
    """The site's open periods on one local calendar day, in UTC."""
    weekday = WEEKDAYS[day.weekday()]
    return [
        (local_time(day, hours.open_time, site.timezone), local_time(day, hours.close_time, site.timezone))
        for hours in site.hours
        if weekday in hours.days
    ]


def site_open(site: Site, start: datetime, end: datetime) -> bool:
    local_day = start.astimezone(_zone(site)).date()
    return any(opens <= start and end <= closes for opens, closes in open_periods(site, local_day))


def next_open_slot(site: Site, earliest: datetime, minutes: int) -> datetime:
    """The first time at or after `earliest` when the site is open for `minutes` in a row."""
    length = timedelta(minutes=minutes)
    day = earliest.astimezone(_zone(site)).date()
    for _ in range(8):
        for opens, closes in sorted(open_periods(site, day)):
            start = max(opens, earliest)
            if start + length <= closes:
                return start
        day += timedelta(days=1)
    raise SeedError(f"{site.code} is not open for {minutes} minutes in the week after {earliest:%Y-%m-%d %H:%M}")


def find_joint_slot(session: Session, site: Site, day: date, preferred: str, minutes: int,
                    commodity: str) -> tuple[datetime, list[Inspector]]:
    """The first start from the preferred time (then from the opening) with a free APHIS-SENASICA pair."""
    aphis = _site_inspectors(session, site, "APHIS", commodity)
    senasica = _site_inspectors(session, site, "SENASICA", commodity)
    for start in _candidate_starts(site, day, preferred, minutes):
        end = start + timedelta(minutes=minutes)
        pair = [_free(session, aphis, start, end), _free(session, senasica, start, end)]
        if all(pair) and _bay_free(session, site, start, end):
            return start, pair  # type: ignore[return-value]
    raise SeedError(f"no free APHIS and SENASICA pair for {commodity} at {site.code} on {day}")


def find_border_slot(session: Session, port: Site, earliest: datetime, minutes: int) -> tuple[datetime, Inspector]:
    """The first time at or after `earliest` when the port is open and a CBP inspector is on shift and free."""
    officers = _site_inspectors(session, port, "CBP", None)
    start = next_open_slot(port, earliest, minutes)
    limit = start + timedelta(days=4)
    while start < limit:
        end = start + timedelta(minutes=minutes)
        officer = _free(session, officers, start, end)
        if site_open(port, start, end) and officer is not None and _bay_free(session, port, start, end):
            return start, officer
        start += STEP
    raise SeedError(f"no CBP inspector free at {port.code} after {earliest:%Y-%m-%d %H:%M}")


def _candidate_starts(site: Site, day: date, preferred: str, minutes: int) -> Iterator[datetime]:
    length = timedelta(minutes=minutes)
    wanted = local_time(day, preferred, site.timezone)
    starts: list[datetime] = []
    for opens, closes in sorted(open_periods(site, day)):
        start = opens
        while start + length <= closes:
            starts.append(start)
            start += STEP
    yield from (s for s in starts if s >= wanted)
    yield from (s for s in starts if s < wanted)


def _site_inspectors(session: Session, site: Site, agency: str, commodity: str | None) -> list[Inspector]:
    inspectors = session.scalars(
        sa.select(Inspector)
        .where(Inspector.home_site_id == site.id, Inspector.agency == agency, Inspector.active)
        .order_by(Inspector.code)
    ).all()
    return [i for i in inspectors if commodity is None or i.qualified_for(commodity)]


def _free(session: Session, inspectors: list[Inspector], start: datetime, end: datetime) -> Inspector | None:
    """The first inspector on an available shift covering the period and with no active booking in it."""
    for inspector in inspectors:
        on_shift = any(s.available and s.start <= start and end <= s.end for s in inspector.shifts)
        if on_shift and not session.scalar(
            sa.select(sa.func.count()).select_from(InspectorBooking).where(
                InspectorBooking.inspector_id == inspector.id, InspectorBooking.active,
                InspectorBooking.start < end, InspectorBooking.end > start,
            )
        ):
            return inspector
    return None


def _bay_free(session: Session, site: Site, start: datetime, end: datetime) -> bool:
    running = session.scalar(
        sa.select(sa.func.count()).select_from(Inspection).where(
            Inspection.site_id == site.id, Inspection.status != "cancelled",
            Inspection.start < end, Inspection.end > start,
        )
    )
    return running < site.bays


def _zone(site: Site) -> ZoneInfo:
    return ZoneInfo(site.timezone)
