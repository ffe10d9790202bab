"""The supervisor's dashboard: is mutual recognition working? Every aggregate is computed in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from ...models import Agreement, Shipment, Milestone, PerformanceMeasure, ScheduleRun, Seal, Site
from ...models.base import UTCDateTime
from ..agreements import measures as metrics
from ..agreements.measures import MeasureResult
from .avoided import AvoidedRow, Totals, WaivedShare, forecast
from .cube import Cube, build_cube, cached
from .periods import Period
from ..pagination import Page

PER_PAGE = 20
# A report prints every row up to this many; the CSV export always has them all.
REPORT_ROWS = 500


@dataclass(frozen=True)
class WaitSaving:
    """Truck waiting hours one waived border inspection saves at a port, and where the figure comes from."""

    port: str
    before_hours: float | None
    after_hours: float | None
    hours: float
    source: Any
    measured: bool


NOGALES = WaitSaving("US-NOGALES", 4.0, 20 / 60, round(4.0 - 20 / 60, 2), _l(
    "CBP–SAT Unified Cargo Processing at Nogales: truck waits cut by about 85 percent, from about 4 h to 20 min."),
    True)
# Midpoints of the published ranges: 5–7 h before, 1.5–2 h after.
COLOMBIA = WaitSaving("US-COLOMBIA", 6.0, 1.75, 4.25, _l(
    "2019 joint agriculture pilot at Laredo's Colombia bridge: crossings from 5–7 h to 1.5–2 h (midpoints used)."),
    True)
# No published figure elsewhere: the lower of the two published results, so savings are not overstated.
OTHER_PORTS = WaitSaving("*", None, None, NOGALES.hours, _l(
    "Assumption, not measured: the Nogales figure, the lower of the two published results."), False)
WAIT_SAVINGS = {saving.port: saving for saving in (NOGALES, COLOMBIA)}


def wait_saving(port_code: str) -> WaitSaving:
    return WAIT_SAVINGS.get(port_code, OTHER_PORTS)


@dataclass(frozen=True)
class PortRow:
    """One port's waived and required border inspections with the truck hours its waivers saved."""

    avoided: AvoidedRow
    saving: WaitSaving

    @property
    def truck_hours(self) -> float:
        return round(self.avoided.waived * self.saving.hours, 2)


@dataclass(frozen=True)
class Kpis(WaivedShare):
    waived: int
    required: int
    inspector_hours: float
    truck_hours: float


def _busiest_first(rows: list[AvoidedRow]) -> list[AvoidedRow]:
    return sorted(rows, key=lambda row: (-row.decided, -row.waived, row.label))


def by_port(cube: Cube) -> list[PortRow]:
    return [PortRow(row, wait_saving(row.key)) for row in _busiest_first(cube.by("port"))]


def by_commodity(cube: Cube, language: str) -> list[AvoidedRow]:
    return _busiest_first(cube.by("commodity", language))


def by_week(cube: Cube) -> list[AvoidedRow]:
    return cube.by("week")


def kpis(cube: Cube, ports: list[PortRow]) -> Kpis:
    return Kpis(cube.waived, cube.required, cube.inspector_hours, round(sum(p.truck_hours for p in ports), 2))


@dataclass(frozen=True)
class MeasureRow:
    """A measure's result as plain values, so it can outlive the session that computed it."""

    agreement: str
    name: str
    name_es: str | None
    value: float | None
    target: float
    direction: str
    unit: str
    met: bool | None
    period: Period

    @classmethod
    def of(cls, result: MeasureResult) -> MeasureRow:
        m = result.measure
        return cls(m.agreement.code, m.name, m.name_es, result.value, m.target, m.direction, m.unit, result.met,
                   result.period)


def measures(session: Session, period: Period, today: date) -> list[MeasureRow]:
    """Each measure over its own period (month, quarter...) containing the selected period's last past day."""
    query = sa.select(PerformanceMeasure).options(selectinload(PerformanceMeasure.agreement))
    session.scalars(query).all()  # loads each measure's agreement at once for the results below
    return [MeasureRow.of(result) for result in metrics.performance(session, min(period.last, today))]


def milestones(session: Session) -> list[Milestone]:
    query = (sa.select(Milestone).join(Agreement).options(selectinload(Milestone.agreement))
             .order_by(Milestone.due_on, Agreement.code, Milestone.id))
    return list(session.scalars(query))


@dataclass(frozen=True)
class SealException:
    number: str
    kind: str
    status: str
    checked_at: datetime
    request_id: int
    reference: str
    port_code: str
    port_name: str
    port_timezone: str


def seal_exceptions(session: Session, period: Period, page: int = 1, per_page: int | None = PER_PAGE
                    ) -> Page[SealException]:
    """Seals found broken, missing or mismatched, checked in the period, newest first."""
    checked_at = sa.func.coalesce(Seal.verified_at, Seal.applied_at)
    where = sa.and_(Seal.status.in_(metrics.SEAL_EXCEPTIONS), metrics.seals_checked_in(period))
    query = (sa.select(Seal.number, Seal.kind, Seal.status, checked_at.label("checked_at"), Shipment.id,
                       Shipment.reference, Site.code, Site.name, Site.timezone)
             .join(Shipment, Shipment.id == Seal.request_id)
             .join(Site, Site.id == Shipment.port_id)
             .where(where).order_by(checked_at.desc(), Seal.id.desc()))
    total = session.scalar(sa.select(sa.func.count()).select_from(Seal).where(where)) or 0
    rows = session.execute(_paged(query, page, per_page)).all()
    items = [SealException(*row[:3], _utc(row[3]), *row[4:]) for row in rows]
    return Page(items, page, per_page or max(total, 1), total)


@dataclass(frozen=True)
class RunQuality:
    """How good one optimizer run's plan was: the numbers a supervisor compares between runs."""

    run: ScheduleRun

    def stat(self, name: str) -> Any:
        return (self.run.stats or {}).get(name)

    @property
    def served_share(self) -> float | None:
        served, requests = self.stat("served"), self.stat("requests")
        return served / requests if served is not None and requests else None

    @property
    def objective_share(self) -> float | None:
        """Priority-weighted objective over the solver's bound: 100% is proven optimal."""
        objective, bound = self.run.objective, self.run.bound
        return objective / bound if objective is not None and bound else None


def runs(session: Session, period: Period, page: int = 1, per_page: int | None = PER_PAGE) -> Page[RunQuality]:
    """Optimizer runs started in the period, newest first."""
    where = sa.and_(ScheduleRun.created_at >= period.start, ScheduleRun.created_at < period.end)
    total = session.scalar(sa.select(sa.func.count()).select_from(ScheduleRun).where(where)) or 0
    query = sa.select(ScheduleRun).where(where).order_by(ScheduleRun.created_at.desc(), ScheduleRun.id.desc())
    items = [RunQuality(run) for run in session.scalars(_paged(query, page, per_page))]
    return Page(items, page, per_page or max(total, 1), total)


def _paged(query: Any, page: int, per_page: int | None) -> Any:
    if per_page is None:
        return query
    return query.limit(per_page).offset((max(page, 1) - 1) * per_page)


def _utc(value: Any) -> datetime:
    """An aware UTC time whatever coalesce() hands back (SQLite may give a naive string)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return UTCDateTime().process_result_value(value, None)


@dataclass(frozen=True)
class Dashboard:
    period: Period
    today: date
    kpis: Kpis
    weeks: list[AvoidedRow]
    ports: list[PortRow]
    commodities: list[AvoidedRow]
    measures: list[MeasureRow]
    milestones: list[Milestone]
    forecast: Totals  # trucks still on their way, by today's decision: not counted in kpis
    seal_exceptions: Page[SealException]
    runs: Page[RunQuality]


def cube(session: Session, period: Period, cache_seconds: float = 0) -> Cube:
    """The period's realised figures in one scan, reused while no new record has arrived (see cube.cached)."""
    return cached(session, ("cube", period), cache_seconds, lambda: build_cube(session, period))


def cached_measures(session: Session, period: Period, today: date, cache_seconds: float = 0) -> list[MeasureRow]:
    on = min(period.last, today)
    return cached(session, ("measures", on), cache_seconds, lambda: measures(session, period, today))


def build(session: Session, period: Period, today: date, language: str, seals_page: int = 1, runs_page: int = 1,
          per_page: int = PER_PAGE, cache_seconds: float = 0, now: datetime | None = None) -> Dashboard:
    decisions = cube(session, period, cache_seconds)
    ports = by_port(decisions)
    return Dashboard(
        period=period, today=today, kpis=kpis(decisions, ports), weeks=by_week(decisions), ports=ports,
        commodities=by_commodity(decisions, language), measures=cached_measures(session, period, today, cache_seconds),
        milestones=milestones(session), forecast=forecast(session, period, now or datetime.now(timezone.utc)),
        seal_exceptions=seal_exceptions(session, period, seals_page, per_page),
        runs=runs(session, period, runs_page, per_page),
    )


def assumptions() -> list[WaitSaving]:
    """The truck-wait figures the page states: each published port, then the rule for every other port."""
    return [NOGALES, COLOMBIA, OTHER_PORTS]
