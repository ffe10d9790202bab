"""Performance measures of the Joint Work Plan, computed from recorded decisions, inspections and seals."""

from __future__ import annotations

import statistics
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, aliased

from ...models import (
    Agreement, Commodity, DecisionTally, Inspection, Shipment, PerformanceMeasure, Seal, Site,
)

PERIOD_KINDS = ("week", "month", "quarter", "year")
SEAL_EXCEPTIONS = ("broken", "missing", "mismatch")
SEAL_CHECKED = ("intact",) + SEAL_EXCEPTIONS


@dataclass(frozen=True)
class Period:
    """Whole UTC days from `first` to `last`, both included."""

    kind: str
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), timezone.utc)

    @property
    def end(self) -> datetime:
        """The exclusive end: midnight after the last day."""
        return datetime.combine(self.last + timedelta(days=1), time(), timezone.utc)

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "from": self.first.isoformat(), "to": self.last.isoformat()}


def period_containing(kind: str, on: date) -> Period:
    """The calendar week (Monday first), month, quarter or year that contains `on`."""
    if kind == "week":
        first = on - timedelta(days=on.weekday())
        return Period(kind, first, first + timedelta(days=6))
    if kind == "month":
        return Period(kind, on.replace(day=1), on.replace(day=monthrange(on.year, on.month)[1]))
    if kind == "quarter":
        first_month = 3 * ((on.month - 1) // 3) + 1
        last_month = first_month + 2
        return Period(kind, date(on.year, first_month, 1), date(on.year, last_month, monthrange(on.year, last_month)[1]))
    if kind == "year":
        return Period(kind, date(on.year, 1, 1), date(on.year, 12, 31))
    raise ValueError(f"unknown period {kind!r}; expected one of {', '.join(PERIOD_KINDS)}")


def period_between(first: date, last: date) -> Period:
    if last < first:
        raise ValueError("the period ends before it starts")
    return Period("custom", first, last)


@dataclass(frozen=True)
class MetricValue:
    """A metric's value in its unit (None when nothing was recorded) and the numbers behind it."""

    metric: str
    value: float | None
    unit: str
    numbers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Metric:
    code: str
    label: Any
    unit: str
    compute: Callable[[Session, Period], MetricValue]


@dataclass(frozen=True)
class MeasureResult:
    """A measure of an agreement for one period: computed value against its target."""

    measure: PerformanceMeasure
    period: Period
    value: float | None
    met: bool | None
    numbers: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        m = self.measure
        return {
            "agreement": m.agreement.code, "metric": m.metric, "name": m.name, "name_es": m.name_es,
            "value": self.value, "target": m.target, "direction": m.direction, "met": self.met,
            "unit": m.unit, "period": self.period.as_dict(), "numbers": self.numbers,
        }


def _in_period(column: Any, period: Period) -> Any:
    return sa.and_(column >= period.start, column < period.end)


# A plan's decision is a forecast: a border inspection counts as waived or required once the joint
# inspection, the border check or a seal event has decided it. The triggers of migration 0005 tally
# the current decisions of these bases into decision_tallies, which the measures below sum.
RECORDED_BASES = ("inspection", "seal_verification", "seal_event", "manual")


@dataclass(frozen=True)
class DecisionTotals:
    waived: int
    required: int
    waived_minutes: int


def _in_days(period: Period) -> Any:
    return DecisionTally.day.between(period.first, period.last)


def decision_totals(session: Session, period: Period) -> DecisionTotals:
    """Recorded current decisions of the period's days, summed from the daily tallies (migration 0005)."""
    query = sa.select(*(sa.func.coalesce(sa.func.sum(column), 0) for column in (
        DecisionTally.waived, DecisionTally.required, DecisionTally.waived_minutes))).where(_in_days(period))
    return DecisionTotals(*(int(value) for value in session.execute(query).one()))


def waived_share(session: Session, period: Period) -> MetricValue:
    """Share of shipments decided in the period whose current decision waives the border inspection."""
    totals = decision_totals(session, period)
    waived, required = totals.waived, totals.required
    decided = waived + required
    share = waived / decided if decided else None
    value = round(100 * share, 2) if share is not None else None
    return MetricValue("waived_share", value, "%",
                       {"waived": waived, "required": required, "decided": decided, "share": share})


def border_inspections_avoided(session: Session, period: Period) -> MetricValue:
    """Current waived decisions made in the period: each is a border inspection not done."""
    waived = decision_totals(session, period).waived
    return MetricValue("border_inspections_avoided", float(waived), "inspections", {"waived": waived})


def inspector_hours_avoided(session: Session, period: Period) -> MetricValue:
    """The border inspection time of the waived shipments, in hours."""
    totals = decision_totals(session, period)
    return MetricValue("inspector_hours_avoided", round(totals.waived_minutes / 60, 2), "hours",
                       {"waived": totals.waived, "border_inspection_minutes": totals.waived_minutes})


def median_hours_to_inspection(session: Session, period: Period) -> MetricValue:
    """Median hours from the request to the start of its (first) done joint inland inspection.

    The period's done joint inspections (through (kind, start)) that are their request's first: a week
    reads a week of inspections and looks up each one's request, not every request ever inspected.
    """
    dialect = session.get_bind().dialect.name
    done = sa.and_(Inspection.kind == "joint_inland", Inspection.status == "done")
    other = aliased(Inspection)
    # SQLite would answer "kind = ? ORDER BY start" from (kind, start), walking every joint inspection
    # for each row; `kind || ''` leaves it (request_id, kind) and a sort of the request's few rows.
    other_kind = other.kind if dialect == "postgresql" else other.kind.concat("")
    first_of_request = (sa.select(other.id)
                        .where(other.request_id == Inspection.request_id, other_kind == "joint_inland",
                               other.status == "done")
                        .order_by(other.start, other.id).limit(1).scalar_subquery())
    hours = _hours_between(dialect, Shipment.requested_at, Inspection.start)
    base = (sa.select().select_from(Inspection)
            .join(Shipment, Shipment.id == Inspection.request_id)
            .where(done, _in_period(Inspection.start, period), Inspection.id == first_of_request))
    if dialect == "postgresql":
        count, median = session.execute(
            base.add_columns(sa.func.count(), sa.func.percentile_cont(0.5).within_group(hours))).one()
    else:
        # SQLite has no percentile: the database computes each duration, Python only the median.
        durations = [float(h) for h in session.scalars(base.add_columns(hours))]
        count, median = len(durations), statistics.median(durations) if durations else None
    value = round(float(median), 2) if median is not None else None
    return MetricValue("median_hours_to_inspection", value, "hours", {"inspections": count, "median_hours": value})


def _hours_between(dialect: str, earlier: Any, later: Any) -> Any:
    if dialect == "postgresql":
        return sa.extract("epoch", later - earlier) / 3600.0
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 24.0


def seals_checked_in(period: Period) -> Any:
    """A seal's check falls in the period: its verification, or its application when never verified.

    The same as coalesce(verified_at, applied_at) in the period, written so that both halves are
    ranges of (status, verified_at, applied_at) instead of a scan of every seal of the status.
    """
    return sa.or_(_in_period(Seal.verified_at, period),
                  sa.and_(Seal.verified_at.is_(None), _in_period(Seal.applied_at, period)))


def seal_exception_rate(session: Session, period: Period) -> MetricValue:
    """Seals found broken, missing or mismatched among the seals checked (verified or exceptional)."""
    query = (sa.select(Seal.status, sa.func.count())
             .where(Seal.status.in_(SEAL_CHECKED), seals_checked_in(period)).group_by(Seal.status))
    counts = {status: count for status, count in session.execute(query)}
    exceptions = sum(counts.get(status, 0) for status in SEAL_EXCEPTIONS)
    checked = exceptions + counts.get("intact", 0)
    rate = exceptions / checked if checked else None
    value = round(100 * rate, 2) if rate is not None else None
    return MetricValue("seal_exception_rate", value, "%",
                       {"exceptions": exceptions, "checked": checked, "rate": rate,
                        **{status: counts.get(status, 0) for status in SEAL_EXCEPTIONS}})


METRICS: dict[str, Metric] = {
    "waived_share": Metric("waived_share", _l("Share of border inspections waived"), "%", waived_share),
    "border_inspections_avoided": Metric(
        "border_inspections_avoided", _l("Border inspections avoided"), "inspections", border_inspections_avoided),
    "inspector_hours_avoided": Metric(
        "inspector_hours_avoided", _l("Border inspector hours avoided"), "hours", inspector_hours_avoided),
    "median_hours_to_inspection": Metric(
        "median_hours_to_inspection", _l("Median hours from request to joint inspection"), "hours",
        median_hours_to_inspection),
    "seal_exception_rate": Metric("seal_exception_rate", _l("Seal exception rate"), "%", seal_exception_rate),
}


def compute(session: Session, metric: str, period: Period) -> MetricValue:
    return METRICS[metric].compute(session, period)


def target_met(value: float | None, target: float, direction: str) -> bool | None:
    """None when there is nothing to measure yet: no data is neither met nor missed."""
    if value is None:
        return None
    return value >= target if direction == "at_least" else value <= target


def performance(session: Session, on: date, agreement: Agreement | None = None, period_kind: str | None = None,
                period: Period | None = None) -> list[MeasureResult]:
    """Every measure against its target, for its own period containing `on` (or the period given)."""
    query = sa.select(PerformanceMeasure).join(Agreement).order_by(Agreement.code, PerformanceMeasure.id)
    if agreement is not None:
        query = query.where(PerformanceMeasure.agreement_id == agreement.id)
    results, cache = [], {}
    for measure in session.scalars(query):
        if measure.metric not in METRICS:
            continue
        used = period or period_containing(period_kind or measure.period, on)
        key = (measure.metric, used)
        if key not in cache:
            cache[key] = compute(session, measure.metric, used)
        value = cache[key]
        results.append(MeasureResult(measure, used, value.value, target_met(value.value, measure.target,
                                                                             measure.direction), value.numbers))
    return results


BREAKDOWNS = ("port", "commodity", "week")


class WaivedShare:
    """Counts of waived and required border inspections, and the share waived."""

    waived: int
    required: int

    @property
    def decided(self) -> int:
        return self.waived + self.required

    @property
    def share(self) -> float | None:
        return self.waived / self.decided if self.decided else None


@dataclass(frozen=True)
class AvoidedRow(WaivedShare):
    """Current decisions of one port, commodity or week: waived, required, inspector hours avoided."""

    key: str
    label: str
    waived: int
    required: int
    hours_avoided: float


def avoided_by(session: Session, period: Period, dimension: str) -> list[AvoidedRow]:
    """Border inspections waived and required in the period, by port, commodity or week (Monday)."""
    totals = (sa.func.sum(DecisionTally.waived), sa.func.sum(DecisionTally.required),
              sa.func.sum(DecisionTally.waived_minutes))
    query = sa.select().select_from(DecisionTally).where(_in_days(period))
    if dimension == "port":
        keys = (Site.code, Site.name)
        query = query.join(Site, Site.id == DecisionTally.port_id)
    elif dimension == "commodity":
        keys = (Commodity.code, Commodity.name_en)
        query = query.join(Commodity, Commodity.code == DecisionTally.commodity_code)
    elif dimension == "week":
        week = week_of(session.get_bind().dialect.name, DecisionTally.day)
        keys = (week, week)
    else:
        raise ValueError(f"unknown breakdown {dimension!r}; expected one of {', '.join(BREAKDOWNS)}")
    # A tally a later decision emptied stays as zeros: no row for it.
    query = (query.add_columns(*keys, *totals).group_by(*dict.fromkeys(keys))
             .having(totals[0] + totals[1] > 0).order_by(keys[0]))
    return [AvoidedRow(str(key), str(label), int(w or 0), int(r or 0), round(int(m or 0) / 60, 2))
            for key, label, w, r, m in session.execute(query)]


def week_of(dialect: str, day: Any) -> Any:
    """The Monday of the week a date falls in, as an ISO date."""
    if dialect == "postgresql":
        return sa.cast(sa.func.date_trunc("week", day), sa.Date)
    # SQLite: the next-or-same Sunday, six days back, is that week's Monday.
    return sa.func.date(day, "weekday 0", "-6 days")
