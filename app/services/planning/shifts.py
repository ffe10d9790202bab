"""Inspectors' shifts a week at a time: the week of a site's inspectors, set as a whole or copied from
the week before; and what every way of adding shifts checks (shift_csv.py adds them from a file).

A shift belongs to the local day of its home site on which it starts. An end at or before the start
means the shift goes past midnight. A shift that is taken away or shortened must not leave an
inspection booked in the time it covered; a shift marked unavailable (illness, leave) is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from scheduling.exchange.fields import Reader

from ...models import Inspector, InspectorBooking, Shift, Site, User
from ..access.audit import record
from .calendar import closed_days
from .reference_checks import InvalidFields, check_inspector, refuse_if

Times = tuple[str, str]  # ("HH:MM", "HH:MM") in the home site's zone
PLANNABLE_YEARS = range(2000, 2101)  # days outside are typing mistakes (and out of the calendar's range)


@dataclass
class ShiftChanges:
    """What one inspector's shifts become: new ones, changed ones (shift, new times) and removed ones."""

    inspector: Inspector
    added: list[tuple[datetime, datetime]] = field(default_factory=list)
    changed: list[tuple[Shift, datetime, datetime]] = field(default_factory=list)
    removed: list[Shift] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True)
class WeekReport:
    added: int
    changed: int
    removed: int
    skipped_closed: int = 0
    skipped_taken: int = 0


def local_times(day: date, times: Times, zone: str) -> tuple[datetime, datetime]:
    """A shift's start and end from wall-clock times on a local day ("24:00", or an end at or before the
    start, falls on the next day)."""
    tz = ZoneInfo(zone)

    def at(hhmm: str, on: date) -> datetime:
        hour, minute = (int(part) for part in hhmm.split(":"))
        return datetime.combine(on + timedelta(days=hour // 24), time(hour % 24, minute), tz)

    start, end = at(times[0], day), at(times[1], day)
    return start, end if end > start else at(times[1], day + timedelta(days=1))


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=n) for n in range(7)]


def site_inspectors(session: Session, site: Site) -> list[Inspector]:
    return list(session.scalars(sa.select(Inspector).where(Inspector.home_site_id == site.id, Inspector.active)
                                .options(selectinload(Inspector.shifts)).order_by(Inspector.agency, Inspector.code)))


def shifts_by_day(inspector: Inspector, zone: str, days: list[date]) -> dict[date, list[Shift]]:
    tz, wanted = ZoneInfo(zone), set(days)
    found: dict[date, list[Shift]] = {day: [] for day in days}
    for shift in inspector.shifts:
        day = shift.start.astimezone(tz).date()
        if day in wanted:
            found[day].append(shift)
    return found


def set_week(session: Session, actor: User | None, site: Site, monday: date,
             cells: dict[tuple[str, date], Times | None]) -> WeekReport:
    """The site's inspectors' shifts of the week as given: a cell of (start, end) or None for no shift.

    Cells of days with more than one shift, or an unavailable one, are left as they are.
    """
    check_times(cells)
    inspectors = site_inspectors(session, site)
    strangers = {code for code, _day in cells} - {inspector.code for inspector in inspectors}
    refuse_if({code: _("%(code)s is not an active inspector based at %(site)s.", code=code, site=site.name)
               for code in sorted(strangers)})
    days, plans = week_days(monday), []
    for inspector in inspectors:
        plan = ShiftChanges(inspector)
        for day, shifts in shifts_by_day(inspector, site.timezone, days).items():
            if len(shifts) > 1 or any(not s.available for s in shifts):
                continue
            wanted = cells.get((inspector.code, day))
            times = local_times(day, wanted, site.timezone) if wanted else None
            if shifts and times is None:
                plan.removed.append(shifts[0])
            elif shifts and (shifts[0].start, shifts[0].end) != times:
                plan.changed.append((shifts[0], *times))
            elif not shifts and times is not None:
                plan.added.append(times)
        plans.append(plan)
    apply_changes(session, actor, [p for p in plans if p], "week")
    return WeekReport(sum(len(p.added) for p in plans), sum(len(p.changed) for p in plans),
                      sum(len(p.removed) for p in plans))


def check_times(cells: dict[tuple[str, date], Times | None]) -> None:
    """Wall-clock times as the exchange format reads them (HH:MM; an end may be 24:00), and not equal."""
    problems: dict[str, str] = {}
    for (code, day), times in cells.items():
        if times is None:
            continue
        reader = Reader([], f"{code} {day}", {"start": times[0], "end": times[1]})
        reader.clock("start")
        reader.clock("end", allow_midnight_end=True)
        if reader.failed or times[0] == times[1] or day.year not in PLANNABLE_YEARS:
            problems[f"{code} {day.isoformat()}"] = _("Times as HH:MM, the end different from the start, "
                                                      "such as 07:00 and 15:00.")
    refuse_if(problems)


def copy_week(session: Session, actor: User | None, site: Site, monday: date) -> WeekReport:
    """Last week's shifts of the site's inspectors, at the same local times a week later.

    Days the site is closed (a holiday it observes, a dated closure) and days an inspector already
    has a shift are skipped.
    """
    source, days = week_days(monday - timedelta(days=7)), week_days(monday)
    closed = closed_days(session, [site], days[0], days[-1])[site.id]
    tz, plans, skipped_closed, skipped_taken = ZoneInfo(site.timezone), [], 0, 0
    for inspector in site_inspectors(session, site):
        plan, taken = ShiftChanges(inspector), shifts_by_day(inspector, site.timezone, days)
        for day, shifts in shifts_by_day(inspector, site.timezone, source).items():
            target = day + timedelta(days=7)
            for shift in shifts:
                if target in closed:
                    skipped_closed += 1
                elif taken[target]:
                    skipped_taken += 1
                else:
                    start, end = shift.start.astimezone(tz), shift.end.astimezone(tz)
                    plan.added.append(local_times(target, (start.strftime("%H:%M"), end.strftime("%H:%M")),
                                                  site.timezone))
        plans.append(plan)
    apply_changes(session, actor, [p for p in plans if p], "copy")
    return WeekReport(sum(len(p.added) for p in plans), 0, 0, skipped_closed, skipped_taken)


def apply_changes(session: Session, actor: User | None, plans: list[ShiftChanges], how: str) -> None:
    """Check every inspector's resulting shifts, refuse with every problem at once, else apply and audit."""
    problems: dict[str, str] = {}
    for plan in plans:
        problem = _problem(session, plan)
        if problem:
            problems[plan.inspector.code] = problem
    refuse_if(problems)
    for plan in plans:
        for shift in plan.removed:
            plan.inspector.shifts.remove(shift)
        for shift, start, end in plan.changed:
            shift.start, shift.end = start, end
        for start, end in plan.added:
            plan.inspector.shifts.append(Shift(start=start, end=end))
        record(session, actor, "inspector.shifts_changed", plan.inspector, after={
            "how": how, "added": [s.isoformat() for s, _e in plan.added],
            "changed": [s.start.isoformat() for s, _a, _b in plan.changed],
            "removed": [s.start.isoformat() for s in plan.removed]})
    session.flush()


def _problem(session: Session, plan: ShiftChanges) -> str | None:
    """The exchange format's shift checks, then overlaps, then inspections left without a shift."""
    gone = {id(s) for s in plan.removed} | {id(s) for s, _a, _b in plan.changed}
    kept = [(s.start, s.end) for s in plan.inspector.shifts if id(s) not in gone]
    result = sorted(kept + plan.added + [(a, b) for _s, a, b in plan.changed])
    try:
        check_inspector({"id": plan.inspector.code, "agency": plan.inspector.agency, "home_site": "home",
                         "commodities": [], "max_minutes_per_day": plan.inspector.max_minutes_per_day,
                         "shifts": [{"start": a.isoformat(), "end": b.isoformat()} for a, b in result]})
    except InvalidFields as error:
        return error.problems.get("shifts") or next(iter(error.problems.values()))
    for (a_start, a_end), (b_start, _b_end) in zip(result, result[1:]):
        if b_start < a_end:
            return _("Two shifts overlap on %(day)s.", day=b_start.date().isoformat())
    lost = [(s.start, s.end) for s in plan.removed] + [(s.start, s.end) for s, _a, _b in plan.changed]
    for start, end in lost:
        if _booked_outside(session, plan.inspector, start, end, result):
            return _("An inspection is booked in the shift of %(day)s: take the inspector off it and re-plan "
                     "instead.", day=start.date().isoformat())
    return None


def _booked_outside(session: Session, inspector: Inspector, start: datetime, end: datetime,
                    shifts: list[tuple[datetime, datetime]]) -> bool:
    """Whether a booking in [start, end) is no longer inside any of the inspector's shifts."""
    bookings = session.execute(sa.select(InspectorBooking.start, InspectorBooking.end).where(
        InspectorBooking.inspector_id == inspector.id, InspectorBooking.active,
        InspectorBooking.start < end, InspectorBooking.end > start)).all()
    return any(not any(a <= b_start and b_end <= b for a, b in shifts) for b_start, b_end in bookings)
