"""Is recognition safe? Interception rates of verified waived loads against fully inspected ones.

A border inspection done in the period is a *verification* when it was required only because its load,
waived by the rules, was drawn for one; an *inspection* otherwise (required by the rules, reinstated, or a
drawn load required for a reason of its own). It intercepted when an actionable pest was
recorded on it. Each rate has its 95% Wilson interval; their difference has Newcombe's interval, and it
is significant when that interval leaves out zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import BorderDecision, Commodity, Inspection, Interception, Shipment, Site, Suspension
from ...models.decision import SELECTED_FOR_VERIFICATION
from .. import recognition
from ..shipments.lifecycle import AT_BORDER, ON_THE_WAY, SCHEDULED
from .periods import Period

BREAKDOWNS = ("commodity", "port", "month")


@dataclass(frozen=True)
class Comparison:
    """One group's verified and inspected loads, their rates and the difference."""

    key: str
    label: str
    verified: recognition.Rate
    inspected: recognition.Rate
    difference: recognition.RateDifference


@dataclass
class Safety:
    period: Period
    overall: Comparison
    verifications_done: int
    verifications_pending: int
    suspensions_in_force: int
    by: dict[str, list[Comparison]] = field(default_factory=dict)


def _inspections(session: Session, period: Period) -> list[tuple]:
    """(inspection id, commodity, port code, port name, month, verified, intercepted) for each done border
    inspection recorded in the period."""
    drawn = sa.exists().where(BorderDecision.request_id == Shipment.id,
                              BorderDecision.has_reason(SELECTED_FOR_VERIFICATION))
    found = sa.exists().where(Interception.inspection_id == Inspection.id, Interception.actionable)
    rows = session.execute(
        sa.select(Inspection.id, Shipment.commodity_code, Site.code, Site.name, Inspection.recorded_at,
                  drawn.label("verified"), found.label("intercepted"))
        .join(Shipment, Shipment.id == Inspection.request_id).join(Site, Site.id == Shipment.port_id)
        .where(Inspection.kind == "border", Inspection.status == "done",
               Inspection.recorded_at >= period.start, Inspection.recorded_at < period.end))
    return [(i, c, p, n, at.strftime("%Y-%m"), bool(v), bool(x)) for i, c, p, n, at, v, x in rows]


def _compare(key: str, label: str, rows: list[tuple]) -> Comparison:
    verified = [row for row in rows if row[5]]
    inspected = [row for row in rows if not row[5]]
    v = recognition.rate(sum(row[6] for row in verified), len(verified))
    i = recognition.rate(sum(row[6] for row in inspected), len(inspected))
    return Comparison(key, label, v, i, recognition.rate_difference(v, i))


def overall(session: Session, period: Period) -> Comparison:
    """Verified waived loads against fully inspected loads over the period, for the Joint Work Plan."""
    return _compare("all", "", _inspections(session, period))


def safety(session: Session, period: Period, now: datetime, language: str = "en") -> Safety:
    rows = _inspections(session, period)
    names = {code: (en, es) for code, en, es in session.execute(
        sa.select(Commodity.code, Commodity.name_en, Commodity.name_es))}
    groups: dict[str, dict[str, list[tuple]]] = {name: defaultdict(list) for name in BREAKDOWNS}
    labels: dict[str, dict[str, str]] = {name: {} for name in BREAKDOWNS}
    for row in rows:
        for name, key, label in (("commodity", row[1], names.get(row[1], (row[1], row[1]))[language == "es"]),
                                 ("port", row[2], row[3]), ("month", row[4], row[4])):
            groups[name][key].append(row)
            labels[name][key] = label
    result = Safety(period, _compare("all", "", rows), sum(1 for row in rows if row[5]),
                    _pending(session, now), _suspended(session))
    for name in BREAKDOWNS:
        result.by[name] = [_compare(key, labels[name][key], members) for key, members in sorted(groups[name].items())]
    return result


def _pending(session: Session, now: datetime) -> int:
    """Loads drawn for verification still to come through the border."""
    drawn = sa.exists().where(BorderDecision.request_id == Shipment.id, BorderDecision.current,
                              BorderDecision.verifies)
    return int(session.scalar(sa.select(sa.func.count()).select_from(Shipment).where(
        drawn, Shipment.status.in_((SCHEDULED, *ON_THE_WAY, AT_BORDER)))) or 0)


def _suspended(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(Suspension)
                              .where(Suspension.lifted_at.is_(None))) or 0)
