"""Performance measures of the Joint Work Plans, computed from recorded decisions, inspections, seals and the
trusted-trader register: each agreement's own figures, against its target, its baseline and its trend."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, aliased

from ...models import Agreement, Inspection, PerformanceMeasure, Seal, Shipment, Site
from . import aeo_measures
from ..dashboard import safety as dashboard_safety
from ..dashboard.avoided import realised
from ..dashboard.periods import Period, period_containing
from .eligibility import RuleMatcher, Scope, crossings, in_period, remembered

SEAL_EXCEPTIONS = ("broken", "missing", "mismatch")
SEAL_CHECKED = ("intact",) + SEAL_EXCEPTIONS
WHOLE_PROGRAM = Scope()
TREND_PERIODS = 6


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
    compute: Callable[[Session, Period, Scope], MetricValue]


@dataclass(frozen=True)
class MeasureResult:
    """A measure of an agreement for one period: computed value against its target, baseline and trend."""

    measure: PerformanceMeasure
    period: Period
    value: float | None
    met: bool | None
    numbers: dict[str, Any]
    trend: tuple[tuple[Period, float | None], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        m = self.measure
        return {
            "agreement": m.agreement.code, "metric": m.metric, "name": m.name, "name_es": m.name_es,
            "value": self.value, "target": m.target, "direction": m.direction, "met": self.met,
            "unit": m.unit, "period": self.period.as_dict(), "numbers": self.numbers,
            "baseline": m.baseline, "baseline_note": m.baseline_note,
            "trend": [{"period": period.as_dict(), "value": value} for period, value in self.trend],
        }


def _whole(scope: Scope) -> bool:
    return scope.agreement is None and not scope.ports


def waived_share(session: Session, period: Period, scope: Scope = WHOLE_PROGRAM) -> MetricValue:
    """Of the trucks done with the border in the period that the agreement's rules matched ("eligible"), the
    share that crossed without a border inspection under them; for the whole program, of every truck."""
    if _whole(scope):
        totals = realised(session, period)
        waived, decided = totals.waived, totals.waived + totals.required
    else:
        found = crossings(session, period, scope)
        waived, decided = found.waived, found.eligible
    share = waived / decided if decided else None
    value = round(100 * share, 2) if share is not None else None
    return MetricValue("waived_share", value, "%", {"waived": waived, "required": decided - waived,
                                                   "decided": decided, "share": share})


def border_inspections_avoided(session: Session, period: Period, scope: Scope = WHOLE_PROGRAM) -> MetricValue:
    """Trucks released at the border in the period without a border inspection (under the agreement's rules)."""
    waived = realised(session, period).waived if _whole(scope) else crossings(session, period, scope).waived
    return MetricValue("border_inspections_avoided", float(waived), "inspections", {"waived": waived})


def inspector_hours_avoided(session: Session, period: Period, scope: Scope = WHOLE_PROGRAM) -> MetricValue:
    """The border inspection time of the trucks released without one, in hours."""
    if _whole(scope):
        totals = realised(session, period)
        waived, minutes = totals.waived, totals.waived_minutes
    else:
        found = crossings(session, period, scope)
        waived, minutes = found.waived, found.waived_minutes
    return MetricValue("inspector_hours_avoided", round(minutes / 60, 2), "hours",
                       {"waived": waived, "border_inspection_minutes": minutes})


def median_hours_to_inspection(session: Session, period: Period, scope: Scope = WHOLE_PROGRAM) -> MetricValue:
    """Median hours from the request to the start of its (first) done joint inland inspection, for the shipments
    the agreement's rules matched on the inspection's day.

    The period's done joint inspections (through (kind, start)) that are their request's first: a week reads a
    week of inspections and looks up each one's request, not every request ever inspected.
    """
    dialect = session.get_bind().dialect.name
    other = aliased(Inspection)
    # SQLite would answer "kind = ? ORDER BY start" from (kind, start), walking every joint inspection
    # for each row; `kind || ''` leaves it (request_id, kind) and a sort of the request's few rows.
    other_kind = other.kind if dialect == "postgresql" else other.kind.concat("")
    first_of_request = (sa.select(other.id)
                        .where(other.request_id == Inspection.request_id, other_kind == "joint_inland",
                               other.status == "done")
                        .order_by(other.start, other.id).limit(1).scalar_subquery())
    query = (sa.select(Shipment.requested_at, Inspection.start, Shipment.commodity_code, Shipment.origin_state,
                       Site.code).select_from(Inspection)
             .join(Shipment, Shipment.id == Inspection.request_id).join(Site, Site.id == Shipment.port_id)
             .where(Inspection.kind == "joint_inland", Inspection.status == "done",
                    in_period(Inspection.start, period), Inspection.id == first_of_request))
    if scope.ports:
        query = query.where(Site.code.in_(scope.ports))
    matcher = RuleMatcher(session, scope.agreement) if scope.agreement is not None else None
    durations = [(start - requested).total_seconds() / 3600
                 for requested, start, commodity, origin, port in session.execute(query)
                 if matcher is None or matcher.covers(start.date(), commodity, origin, port)]
    median = statistics.median(durations) if durations else None
    value = round(float(median), 2) if median is not None else None
    return MetricValue("median_hours_to_inspection", value, "hours",
                       {"inspections": len(durations), "median_hours": value})


def seals_checked_in(period: Period) -> Any:
    """A seal's check falls in the period: its verification, or its application when never verified.

    The same as coalesce(verified_at, applied_at) in the period, written so that both halves are
    ranges of (status, verified_at, applied_at) instead of a scan of every seal of the status.
    """
    return sa.or_(in_period(Seal.verified_at, period),
                  sa.and_(Seal.verified_at.is_(None), in_period(Seal.applied_at, period)))


def seal_exception_rate(session: Session, period: Period, scope: Scope = WHOLE_PROGRAM) -> MetricValue:
    """Seals found broken, missing or mismatched among the seals checked, in all and by the issuer of the seal."""
    checked_on = sa.func.coalesce(Seal.verified_at, Seal.applied_at)
    query = (sa.select(Seal.status, Seal.issuer, checked_on, Shipment.commodity_code, Shipment.origin_state,
                       Site.code)
             .join(Shipment, Shipment.id == Seal.request_id).join(Site, Site.id == Shipment.port_id)
             .where(Seal.status.in_(SEAL_CHECKED), seals_checked_in(period)))
    if scope.ports:
        query = query.where(Site.code.in_(scope.ports))
    matcher = RuleMatcher(session, scope.agreement) if scope.agreement is not None else None
    counts: dict[str, int] = {}
    by_issuer: dict[str, dict[str, int]] = {}
    for status, issuer, when, commodity, origin, port in session.execute(query):
        if matcher is not None and not matcher.covers(when.date(), commodity, origin, port):
            continue
        counts[status] = counts.get(status, 0) + 1
        cell = by_issuer.setdefault(issuer or "unknown", {"checked": 0, "exceptions": 0})
        cell["checked"] += 1
        cell["exceptions"] += status in SEAL_EXCEPTIONS
    exceptions = sum(counts.get(status, 0) for status in SEAL_EXCEPTIONS)
    checked = exceptions + counts.get("intact", 0)
    rate = exceptions / checked if checked else None
    for cell in by_issuer.values():
        cell["rate"] = round(100 * cell["exceptions"] / cell["checked"], 2)
    value = round(100 * rate, 2) if rate is not None else None
    return MetricValue("seal_exception_rate", value, "%",
                       {"exceptions": exceptions, "checked": checked, "rate": rate, "by_issuer": by_issuer,
                        **{status: counts.get(status, 0) for status in SEAL_EXCEPTIONS}})


def _percent(value: float | None) -> float | None:
    return round(100 * value, 2) if value is not None else None


def _rate_numbers(rate: Any) -> dict[str, Any]:
    return {"intercepted": rate.events, "inspected": rate.trials, "low": _percent(rate.low), "high": _percent(rate.high)}


def verified_interception_rate(session: Session, period: Period, scope: Scope = WHOLE_PROGRAM) -> MetricValue:
    """Actionable interceptions among the waived loads drawn for a verification inspection, in %, with the
    Wilson 95% interval (program-wide: a verification sample is too small to split by agreement)."""
    verified = dashboard_safety.overall(session, period).verified
    return MetricValue("verified_interception_rate", _percent(verified.value), "%", _rate_numbers(verified))


def interception_rate_gap(session: Session, period: Period, scope: Scope = WHOLE_PROGRAM) -> MetricValue:
    """The interception rate in verified waived loads minus the rate in fully inspected loads, in percentage
    points: at most 0 means recognition waives loads no riskier than those inspected. The numbers say whether
    the difference is significant (its 95% interval leaves out zero)."""
    comparison = dashboard_safety.overall(session, period)
    difference = comparison.difference
    return MetricValue("interception_rate_gap", _percent(difference.value), "points",
                       {"verified": _rate_numbers(comparison.verified),
                        "fully_inspected": _rate_numbers(comparison.inspected),
                        "low": _percent(difference.low), "high": _percent(difference.high),
                        "significant": difference.significant})


def _register(code: str, unit: str, figure: Callable[[Session, Period], aeo_measures.Figure]):
    def compute(session: Session, period: Period, scope: Scope = WHOLE_PROGRAM) -> MetricValue:
        value, numbers = figure(session, period)
        return MetricValue(code, value, unit, numbers)
    return compute


METRICS: dict[str, Metric] = {
    "waived_share": Metric("waived_share", _l("Share of eligible shipments whose border inspection is waived"), "%",
                           waived_share),
    "border_inspections_avoided": Metric(
        "border_inspections_avoided", _l("Border inspections avoided"), "inspections", border_inspections_avoided),
    "inspector_hours_avoided": Metric(
        "inspector_hours_avoided", _l("Border inspector hours avoided"), "hours", inspector_hours_avoided),
    "median_hours_to_inspection": Metric(
        "median_hours_to_inspection", _l("Median hours from request to joint inspection"), "hours",
        median_hours_to_inspection),
    "seal_exception_rate": Metric("seal_exception_rate", _l("Seal exception rate"), "%", seal_exception_rate),
    "verified_interception_rate": Metric(
        "verified_interception_rate", _l("Interception rate in verified waived loads"), "%",
        verified_interception_rate),
    "interception_rate_gap": Metric(
        "interception_rate_gap", _l("Interception rate in verified waived loads minus the rate in inspected loads"),
        "points", interception_rate_gap),
    "validations_done_share": Metric(
        "validations_done_share", _l("Validations done of those planned"), "%",
        _register("validations_done_share", "%", aeo_measures.validations_done_share)),
    "revalidations_overdue": Metric(
        "revalidations_overdue", _l("Revalidations overdue"), "companies",
        _register("revalidations_overdue", "companies", aeo_measures.revalidations_overdue)),
    "median_days_to_certify": Metric(
        "median_days_to_certify", _l("Median days from application to certification"), "days",
        _register("median_days_to_certify", "days", aeo_measures.median_days_to_certify)),
    "companies_per_validator": Metric(
        "companies_per_validator", _l("Certified companies per validator"), "companies",
        _register("companies_per_validator", "companies", aeo_measures.companies_per_validator)),
}


def compute(session: Session, metric: str, period: Period, scope: Scope = WHOLE_PROGRAM) -> MetricValue:
    return METRICS[metric].compute(session, period, scope)


def target_met(value: float | None, target: float, direction: str) -> bool | None:
    """None when there is nothing to measure yet: no data is neither met nor missed."""
    if value is None:
        return None
    return value >= target if direction == "at_least" else value <= target


def periods_before(period: Period, count: int) -> list[Period]:
    """The `count` calendar periods of the same kind ending with this one, oldest first."""
    found = [period]
    while len(found) < count and period.kind != "custom":
        found.insert(0, period_containing(period.kind, found[0].first - timedelta(days=1)))
    return found


def performance(session: Session, on: date, agreement: Agreement | None = None, period_kind: str | None = None,
                period: Period | None = None, trend: int = 0) -> list[MeasureResult]:
    """Every measure of its own agreement against its target, for its own period containing `on` (or the period
    given); with `trend`, also its values over that many periods ending with this one."""
    query = sa.select(PerformanceMeasure).join(Agreement).order_by(Agreement.code, PerformanceMeasure.id)
    if agreement is not None:
        query = query.where(PerformanceMeasure.agreement_id == agreement.id)
    results, cache = [], {}

    def value_of(measure: PerformanceMeasure, used: Period) -> MetricValue:
        key = (measure.metric, measure.agreement_id, used)
        if key not in cache:
            cache[key] = compute(session, measure.metric, used, Scope(measure.agreement))
        return cache[key]

    with remembered():
        for measure in session.scalars(query):
            if measure.metric not in METRICS:
                continue
            used = period or period_containing(period_kind or measure.period, on)
            value = value_of(measure, used)
            series = tuple((p, value_of(measure, p).value) for p in periods_before(used, trend)) if trend else ()
            results.append(MeasureResult(measure, used, value.value, target_met(value.value, measure.target,
                                                                                 measure.direction),
                                         value.numbers, series))
    return results
