"""The plan board: a run's assignments laid out as timelines per site (bays) or per inspector."""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_date
from sqlalchemy.orm import Session, selectinload

from ...models import (
    Shipment, Inspector, ScheduleAssignment, ScheduleRun, Shift, Site,
)

VIEWS = ("site", "inspector")
PERIODS = {"day": 1, "week": 7}
# SVG user units: a label column, then the time axis; lanes are LANE_H high below the tick row.
LABEL_W, PLOT_W, LANE_H, TOP = 170, 1000, 30, 26
CHAR_W = 6.6  # width of one label character at the board's font size, in SVG units
GEOMETRY = {"LABEL_W": LABEL_W, "PLOT_W": PLOT_W, "LANE_H": LANE_H, "TOP": TOP}
# Fixed colours for the commodities people plan most, so a colour means the same thing every day.
COMMODITY_COLOURS = {"avocado": 0, "tomato": 1, "berries": 2, "bell_pepper": 3, "mango": 4, "lime": 5,
                     "grape": 6, "broccoli": 7, "cucumber": 8}
SPARE_COLOURS = (9, 10, 11)


def colour_of(commodity: str) -> int:
    """A palette index per commodity code; unknown codes share the spare colours by a stable hash."""
    if commodity in COMMODITY_COLOURS:
        return COMMODITY_COLOURS[commodity]
    return SPARE_COLOURS[zlib.crc32(commodity.encode()) % len(SPARE_COLOURS)]


@dataclass
class Bar:
    assignment: ScheduleAssignment
    start: datetime  # in the panel's zone
    end: datetime
    x: float
    width: float

    @property
    def colour(self) -> int:
        return colour_of(self.assignment.request.commodity_code)

    @property
    def symbols(self) -> str:
        """Marks that do not rely on colour: ◆ border inspection waived, ⚑ pinned (the legend says so)."""
        return ("◆" if self.assignment.waived else "") + ("⚑" if self.assignment.pinned else "")

    @property
    def label(self) -> str:
        """What fits inside the bar: the symbols, then the reference or, when short of room, its last part."""
        room = int((self.width - 6) / CHAR_W)
        if room < 4:
            return self.symbols
        prefix = f"{self.symbols} " if self.symbols else ""
        reference = self.assignment.request.reference
        if len(prefix + reference) > room:
            reference = reference.rsplit("-", 1)[-1]
        return (prefix + reference)[:room]


@dataclass
class Band:
    """Shift time of an inspector, drawn behind the bars (unavailable shifts say why)."""

    x: float
    width: float
    start: datetime
    end: datetime
    available: bool
    reason: str | None = None


@dataclass
class Lane:
    label: str
    bars: list[Bar] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    over_capacity: bool = False

    def busy_until(self) -> datetime | None:
        return self.bars[-1].end if self.bars else None


@dataclass
class Tick:
    x: float
    label: str
    major: bool


@dataclass
class Panel:
    key: str
    kind: str  # "inland" or "port" (a site's bays), "home" (inspectors based at a site)
    title: str
    zone: str
    capacity: int | None  # bays at a site; None for an inspector panel
    lanes: list[Lane]
    ticks: list[Tick]

    @property
    def height(self) -> int:
        return TOP + LANE_H * max(1, len(self.lanes)) + 4

    @property
    def bars(self) -> list[tuple[Lane, Bar]]:
        return [(lane, bar) for lane in self.lanes for bar in lane.bars]


@dataclass
class Board:
    run: ScheduleRun
    view: str
    period: str
    first_day: date
    panels: list[Panel]
    commodities: list[str]  # codes shown, for the legend

    @property
    def days(self) -> int:
        return PERIODS[self.period]

    @property
    def previous_day(self) -> date:
        return self.first_day - timedelta(days=self.days)

    @property
    def next_day(self) -> date:
        return self.first_day + timedelta(days=self.days)


def build_board(session: Session, run: ScheduleRun, view: str, period: str, first_day: date,
                language: str = "en") -> Board:
    """The run's assignments on `first_day` (and the six days after, for a week), panel by panel."""
    days = PERIODS[period]
    # Every zone's local day lies within a day either side of the UTC day: fetch wide, cut per panel.
    lo = datetime.combine(first_day - timedelta(days=1), time(0), ZoneInfo("UTC"))
    hi = lo + timedelta(days=days + 2)
    assignments = _assignments(session, run, lo, hi)
    if view == "inspector":
        panels = _inspector_panels(session, assignments, first_day, days, lo, hi, language)
    else:
        panels = _site_panels(assignments, first_day, days, language)
    shown = sorted({bar.assignment.request.commodity_code for p in panels for _, bar in p.bars})
    return Board(run, view, period, first_day, panels, shown)


def _assignments(session: Session, run: ScheduleRun, lo: datetime, hi: datetime) -> list[ScheduleAssignment]:
    return list(session.scalars(
        sa.select(ScheduleAssignment)
        .where(ScheduleAssignment.run_id == run.id, ScheduleAssignment.start < hi, ScheduleAssignment.end > lo)
        .options(selectinload(ScheduleAssignment.site), selectinload(ScheduleAssignment.inspectors),
                 selectinload(ScheduleAssignment.request).selectinload(Shipment.commodity))
        .order_by(ScheduleAssignment.start, ScheduleAssignment.id)
    ))


def _window(first_day: date, days: int, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    return datetime.combine(first_day, time(0), tz), datetime.combine(first_day + timedelta(days=days), time(0), tz)


def _x(moment: datetime, window: tuple[datetime, datetime]) -> float:
    """Position on the axis; arithmetic in UTC so a DST change does not shift the bars."""
    start, end = (w.astimezone(ZoneInfo("UTC")) for w in window)
    span = (end - start).total_seconds()
    offset = (moment.astimezone(ZoneInfo("UTC")) - start).total_seconds()
    return round(LABEL_W + PLOT_W * min(max(offset / span, 0.0), 1.0), 2)


def _bar(assignment: ScheduleAssignment, window: tuple[datetime, datetime], zone: str) -> Bar | None:
    if assignment.end <= window[0] or assignment.start >= window[1]:
        return None
    x0, x1 = _x(assignment.start, window), _x(assignment.end, window)
    tz = ZoneInfo(zone)
    return Bar(assignment, assignment.start.astimezone(tz), assignment.end.astimezone(tz), x0, max(x1 - x0, 2.0))


def _ticks(window: tuple[datetime, datetime], days: int, language: str) -> list[Tick]:
    """Every 2 hours for a day; every day (major, named in the reader's language) and every 6 hours for a week."""
    step = timedelta(hours=2 if days == 1 else 6)
    ticks, moment = [], window[0]
    while moment < window[1]:
        major = moment.hour == 0
        label = f"{moment:%H:%M}" if days == 1 else (format_date(moment, "EEE d", locale=language) if major else "")
        ticks.append(Tick(_x(moment, window), label, major))
        # Aware arithmetic in one ZoneInfo steps wall-clock time: labels stay on whole hours across DST.
        moment = moment + step
    return ticks


def assign_lanes(bars: list[Bar]) -> list[list[Bar]]:
    """Greedy interval partitioning: each bar goes to the first lane free by its start."""
    lanes: list[list[Bar]] = []
    for bar in sorted(bars, key=lambda b: (b.start, b.end)):
        lane = next((lane for lane in lanes if lane[-1].end <= bar.start), None)
        if lane is None:
            lanes.append([bar])
        else:
            lane.append(bar)
    return lanes


def _site_panels(assignments: list[ScheduleAssignment], first_day: date, days: int, language: str) -> list[Panel]:
    by_site: dict[int, list[ScheduleAssignment]] = defaultdict(list)
    for a in assignments:
        by_site[a.site_id].append(a)
    panels = []
    for rows in by_site.values():
        site = rows[0].site
        window = _window(first_day, days, site.timezone)
        bars = [b for b in (_bar(a, window, site.timezone) for a in rows) if b is not None]
        if not bars:
            continue
        lanes = [Lane(str(n), lane, over_capacity=n > site.bays)
                 for n, lane in enumerate(assign_lanes(bars), start=1)]
        panels.append(Panel(f"site-{site.id}", site.kind, site.name, site.timezone, site.bays, lanes,
                            _ticks(window, days, language)))
    panels.sort(key=lambda p: (p.kind != "inland", p.title))
    return panels


def _inspector_panels(session: Session, assignments: list[ScheduleAssignment], first_day: date, days: int,
                      lo: datetime, hi: datetime, language: str) -> list[Panel]:
    """One panel per home site (its zone), one lane per inspector with shifts or work in the period."""
    by_inspector: dict[int, list[ScheduleAssignment]] = defaultdict(list)
    for a in assignments:
        for inspector in a.inspectors:
            by_inspector[inspector.id].append(a)
    shifts: dict[int, list[Shift]] = defaultdict(list)
    for shift in session.scalars(sa.select(Shift).where(Shift.start < hi, Shift.end > lo).order_by(Shift.start)):
        shifts[shift.inspector_id].append(shift)
    inspectors = session.scalars(
        sa.select(Inspector).where(Inspector.id.in_(set(by_inspector) | set(shifts)))
        .options(selectinload(Inspector.home_site)).order_by(Inspector.agency, Inspector.code)
    ).all()
    by_home: dict[int, list[Lane]] = defaultdict(list)
    homes: dict[int, Site] = {}
    for inspector in inspectors:
        zone = inspector.home_site.timezone
        window = _window(first_day, days, zone)
        lane = _inspector_lane(inspector, by_inspector[inspector.id], shifts[inspector.id], window, zone)
        if lane.bars or any(b.available for b in lane.bands):
            homes[inspector.home_site_id] = inspector.home_site
            by_home[inspector.home_site_id].append(lane)
    return sorted((Panel(f"home-{site_id}", "home", homes[site_id].name, homes[site_id].timezone, None, lanes,
                         _ticks(_window(first_day, days, homes[site_id].timezone), days, language))
                   for site_id, lanes in by_home.items()), key=lambda p: p.title)


def _inspector_lane(inspector: Inspector, rows: list[ScheduleAssignment], shifts: list[Shift],
                    window: tuple[datetime, datetime], zone: str) -> Lane:
    lane = Lane(f"{inspector.code} · {inspector.agency}")
    lane.bars = [b for b in (_bar(a, window, zone) for a in rows) if b is not None]
    tz = ZoneInfo(zone)
    for shift in shifts:
        if shift.end <= window[0] or shift.start >= window[1]:
            continue
        x0, x1 = _x(shift.start, window), _x(shift.end, window)
        lane.bands.append(Band(x0, x1 - x0, shift.start.astimezone(tz), shift.end.astimezone(tz),
                               shift.available, shift.unavailable_reason))
    return lane


def default_day(session: Session, run: ScheduleRun, zone: ZoneInfo) -> date:
    """The first day with an assignment, else the horizon's first day."""
    first = session.scalar(sa.select(sa.func.min(ScheduleAssignment.start)).where(ScheduleAssignment.run_id == run.id))
    moment = first or run.horizon_start
    if moment.tzinfo is None:  # SQLite hands back naive UTC for aggregates
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(zone).date()
