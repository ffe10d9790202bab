"""What counts as a border inspection avoided: the one definition, its tallies, and the plan's forecast.

Realised: a truck done with the border, released (its current decision waived: no border inspection;
required: released after one) or rejected after reaching it, counted on the day it was. The triggers of
migration 0008 keep `decision_tallies` equal to `realised_from_records`; the dashboard and the measures
sum the tallies. Forecast: trucks still on their way whose current decision (the plan's or the joint
inspection's) waives the border inspection. A truck that never arrives is in neither once its deadline
has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import BorderDecision, DecisionTally, Shipment
from ..shipments.lifecycle import ON_THE_WAY, SCHEDULED
from .localdays import crossed, weekly_tallies
from .periods import Period

ON_THEIR_WAY = (SCHEDULED, *ON_THE_WAY)


class WaivedShare:
    """Counts of border inspections avoided and done, and the share avoided."""

    waived: int
    required: int

    @property
    def decided(self) -> int:
        return self.waived + self.required

    @property
    def share(self) -> float | None:
        return self.waived / self.decided if self.decided else None


@dataclass(frozen=True)
class Totals(WaivedShare):
    waived: int
    required: int
    waived_minutes: int


@dataclass(frozen=True)
class AvoidedRow(WaivedShare):
    """One port, commodity or week: border inspections avoided and done, inspector hours avoided."""

    key: str
    label: str
    waived: int
    required: int
    hours_avoided: float


def realised(session: Session, period: Period) -> Totals:
    """The period's realised figures, summed from the daily tallies the triggers keep (local days outside UTC)."""
    if period.zone != "UTC":
        cells = weekly_tallies(session, period).values()
        return Totals(*(sum(cell[i] for cell in cells) for i in range(3)))
    query = sa.select(*(sa.func.coalesce(sa.func.sum(column), 0) for column in (
        DecisionTally.waived, DecisionTally.required, DecisionTally.waived_minutes))
    ).where(DecisionTally.day.between(period.first, period.last))
    return Totals(*(int(value) for value in session.execute(query).one()))


def realised_from_records(session: Session) -> dict[tuple[date, int, str], Totals]:
    """The definition the tallies keep, counted from the shipments and their current decisions: per UTC day
    of release (or rejection at the border), port and commodity. Slow by design; tests hold the triggers to it."""
    waived = BorderDecision.decision == "waived"
    query = (sa.select(Shipment.released_at, Shipment.rejected_at, Shipment.port_id, Shipment.commodity_code,
                       waived, Shipment.border_inspection_minutes)
             .join(BorderDecision, sa.and_(BorderDecision.request_id == Shipment.id, BorderDecision.current))
             .where(crossed()))
    cells: dict[tuple[date, int, str], list[int]] = {}
    for released_at, rejected_at, port_id, commodity, is_waived, minutes in session.execute(query):
        day = (released_at or rejected_at).astimezone(timezone.utc).date()
        cell = cells.setdefault((day, port_id, commodity), [0, 0, 0])
        cell[0 if is_waived else 1] += 1
        cell[2] += minutes if is_waived else 0
    return {key: Totals(*value) for key, value in cells.items()}


def forecast(session: Session, period: Period, now: datetime) -> Totals:
    """Trucks due to cross in the period and still expected, by the decision they have today."""
    waived = BorderDecision.decision == "waived"
    query = (sa.select(sa.func.count().filter(waived), sa.func.count().filter(sa.not_(waived)),
                       sa.func.coalesce(sa.func.sum(Shipment.border_inspection_minutes).filter(waived), 0))
             .select_from(Shipment).join(BorderDecision, sa.and_(BorderDecision.request_id == Shipment.id,
                                                                 BorderDecision.current))
             .where(Shipment.status.in_(ON_THEIR_WAY), Shipment.cross_by >= max(period.start, now),
                    Shipment.cross_by < period.end))
    return Totals(*(int(value) for value in session.execute(query).one()))
