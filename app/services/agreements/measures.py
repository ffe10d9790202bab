"""Performance measures of the Joint Work Plan, computed from recorded decisions, inspections and seals."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, aliased

from ...models import Agreement, Inspection, PerformanceMeasure, Seal, Shipment
from ..dashboard.avoided import realised
from ..dashboard.periods import Period, period_containing

SEAL_EXCEPTIONS = ("broken", "missing", "mismatch")
SEAL_CHECKED = ("intact",) + SEAL_EXCEPTIONS


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


def waived_share(session: Session, period: Period) -> MetricValue:
    """Share of the trucks done with the border in the period that crossed without a border inspection."""
    totals = realised(session, period)
    waived, required = totals.waived, totals.required
    decided = waived + required
    share = waived / decided if decided else None
    value = round(100 * share, 2) if share is not None else None
    return MetricValue("waived_share", value, "%",
                       {"waived": waived, "required": required, "decided": decided, "share": share})


def border_inspections_avoided(session: Session, period: Period) -> MetricValue:
    """Trucks released at the border in the period without a border inspection: each is one not done."""
    waived = realised(session, period).waived
    return MetricValue("border_inspections_avoided", float(waived), "inspections", {"waived": waived})


def inspector_hours_avoided(session: Session, period: Period) -> MetricValue:
    """The border inspection time of the trucks released without one, in hours."""
    totals = realised(session, period)
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
