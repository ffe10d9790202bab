"""Days sites are closed in advance: federal holidays they observe, and dated closures; and what the
optimizer is given for them.

The exchange format gives a site weekly hours and no dates, so a closed day reaches the optimizer as
its weekday taken out of the site's hours for that plan. Over a horizon of a week each weekday is one
date and this is exact. Where a longer horizon holds the same weekday open on one date and closed on
another, that weekday is taken out on both: the plan never uses a closed day, at the price of one
open day it could have used (each site's page lists its closed days ahead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from scheduling import domain as sd

from ...models import Holiday, Inspection, Site, SiteClosure, User
from ...models.calendar import HOLIDAY_COUNTRIES
from ..access.audit import record
from ..errors import WorkflowError
from .reference_checks import InvalidFields

MAX_CLOSURE_DAYS = 366


@dataclass(frozen=True)
class ClosedDay:
    day: date
    reason: str  # the closure's reason, or the holiday's name
    holiday: Holiday | None = None


def closed_days(session: Session, sites: list[Site], first: date, last: date) -> dict[int, dict[date, ClosedDay]]:
    """For each site, its closed local days in [first, last]: observed holidays and dated closures."""
    found: dict[int, dict[date, ClosedDay]] = {site.id: {} for site in sites}
    countries = {country for site in sites for country in (site.observes_holidays or ())}
    holidays = session.scalars(sa.select(Holiday).where(Holiday.country.in_(countries), Holiday.day >= first,
                                                        Holiday.day <= last)).all() if countries else []
    for site in sites:
        for holiday in holidays:
            if holiday.country in (site.observes_holidays or ()):
                found[site.id].setdefault(holiday.day, ClosedDay(holiday.day, holiday.name_en, holiday))
    closures = session.scalars(sa.select(SiteClosure).where(
        SiteClosure.site_id.in_(found), SiteClosure.last_day >= first, SiteClosure.first_day <= last)).all()
    for closure in closures:
        day = max(closure.first_day, first)
        while day <= min(closure.last_day, last):
            found[closure.site_id][day] = ClosedDay(day, closure.reason)
            day += timedelta(days=1)
    return found


def hours_around(hours: tuple[sd.OpeningHours, ...], zone: str, start: datetime, end: datetime,
                 closed: set[date]) -> tuple[sd.OpeningHours, ...]:
    """The weekly hours without the weekday of every closed date whose opening falls within [start, end)."""
    tz = ZoneInfo(zone)
    first, last = horizon_days(zone, start, end)
    closed_weekdays: set[str] = set()
    for day in (first + timedelta(days=n) for n in range((last - first).days + 1)):
        weekday = sd.WEEKDAYS[day.weekday()]
        if day in closed and any(weekday in period.days and _opens_within(period, day, tz, start, end)
                                 for period in hours):
            closed_weekdays.add(weekday)
    kept = []
    for period in hours:
        days = tuple(d for d in period.days if d not in closed_weekdays)
        if days:
            kept.append(sd.OpeningHours(days, period.open, period.close))
    return tuple(kept)


def _opens_within(period: sd.OpeningHours, day: date, tz: ZoneInfo, start: datetime, end: datetime) -> bool:
    """Whether the period on that local day overlaps [start, end) ("24:00" and past-midnight closes included)."""
    def at(hhmm: str, on: date) -> datetime:
        hour, minute = (int(part) for part in hhmm.split(":"))
        return datetime.combine(on + timedelta(days=hour // 24), time(hour % 24, minute), tz)

    opens, closes = at(period.open, day), at(period.close, day)
    if closes <= opens:
        closes = at(period.close, day + timedelta(days=1))
    return opens < end and closes > start


def horizon_days(zone: str, start: datetime, end: datetime) -> tuple[date, date]:
    """The local dates whose opening hours can fall within a horizon (the day before: a period past midnight)."""
    tz = ZoneInfo(zone)
    return start.astimezone(tz).date() - timedelta(days=1), end.astimezone(tz).date()


def add_closure(session: Session, actor: User | None, site: Site, first: date, last: date,
                reason: str) -> SiteClosure:
    """Close a site or port on whole local days, first to last, entered ahead of time."""
    reason = (reason or "").strip()
    problems = {}
    if not reason:
        problems["reason"] = _("Say why the site closes.")
    if last < first:
        problems["last_day"] = _("The last day cannot come before the first.")
    elif (last - first).days >= MAX_CLOSURE_DAYS:
        problems["last_day"] = _("A dated closure lasts at most a year; close the site instead.")
    if problems:
        raise InvalidFields(problems)
    closure = SiteClosure(site=site, first_day=first, last_day=last, reason=reason[:1000],
                          created_by_id=getattr(actor, "id", None))
    session.add(closure)
    session.flush()
    record(session, actor, "site.closure_added", site, after=_closure_summary(closure))
    return closure


def remove_closure(session: Session, actor: User | None, closure: SiteClosure) -> None:
    record(session, actor, "site.closure_removed", closure.site, before=_closure_summary(closure))
    session.delete(closure)


def inspections_on(session: Session, site: Site, first: date, last: date) -> int:
    """Scheduled inspections at the site on those local days: what a closure would leave stranded."""
    tz = ZoneInfo(site.timezone)
    start = datetime.combine(first, time(0), tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tz)
    return session.scalar(sa.select(sa.func.count()).select_from(Inspection).where(
        Inspection.site_id == site.id, Inspection.status == "scheduled", Inspection.start < end,
        Inspection.end > start)) or 0


def add_holiday(session: Session, actor: User | None, country: str, day: date, name_en: str,
                name_es: str) -> Holiday:
    name_en, name_es = (name_en or "").strip(), (name_es or "").strip()
    problems = {}
    if country not in HOLIDAY_COUNTRIES:
        problems["country"] = _("Choose Mexico or the United States.")
    if not name_en or len(name_en) > 120:
        problems["name_en"] = _("Give the name in English (at most 120 characters).")
    if not name_es or len(name_es) > 120:
        problems["name_es"] = _("Give the name in Spanish (at most 120 characters).")
    if not problems and session.scalar(sa.select(Holiday.id).where(Holiday.country == country,
                                                                   Holiday.day == day)) is not None:
        problems["day"] = _("That day is already a holiday there.")
    if problems:
        raise InvalidFields(problems)
    holiday = Holiday(country=country, day=day, name_en=name_en, name_es=name_es)
    session.add(holiday)
    session.flush()
    record(session, actor, "holiday.added", holiday, after=_holiday_summary(holiday))
    return holiday


def remove_holiday(session: Session, actor: User | None, holiday: Holiday) -> None:
    record(session, actor, "holiday.removed", holiday, before=_holiday_summary(holiday))
    session.delete(holiday)


def set_observed(session: Session, actor: User | None, site: Site, countries: list[str]) -> None:
    """Which countries' federal holidays close the site."""
    wanted = sorted(set(countries))
    if any(country not in HOLIDAY_COUNTRIES for country in wanted):
        raise WorkflowError(_("Choose Mexico or the United States."), field="observes_holidays")
    if wanted != sorted(site.observes_holidays or []):
        record(session, actor, "site.holidays_observed", site, before={"observes_holidays": site.observes_holidays},
               after={"observes_holidays": wanted})
        site.observes_holidays = wanted


def _closure_summary(closure: SiteClosure) -> dict[str, str]:
    return {"first_day": closure.first_day.isoformat(), "last_day": closure.last_day.isoformat(),
            "reason": closure.reason}


def _holiday_summary(holiday: Holiday) -> dict[str, str]:
    return {"country": holiday.country, "day": holiday.day.isoformat(), "name_en": holiday.name_en,
            "name_es": holiday.name_es}
