"""The daily tallies read as local days: the triggers keep them per UTC day; a period in another zone takes
whole UTC days from the tallies and counts the few UTC days a local midnight cuts (the period's ends and the
Mondays its weeks start on) from the records themselves, with the definition the triggers keep."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import BorderDecision, DecisionTally, Shipment
from ..shipments.lifecycle import REJECTED, RELEASED
from .periods import Period, local_midnight

# (Monday of the local week as YYYY-MM-DD, port id, commodity code) -> waived, required, waived minutes
WeeklyTallies = dict[tuple[str, int, str], list[int]]


def crossed() -> sa.ColumnElement[bool]:
    """A shipment done with the border: released, or rejected after it reached the port (avoided's definition)."""
    return sa.or_(Shipment.status == RELEASED,
                  sa.and_(Shipment.status == REJECTED, Shipment.at_border_at.is_not(None)))


def monday(day: date) -> str:
    return (day - timedelta(days=day.weekday())).isoformat()


def cut_days(period: Period) -> set[date]:
    """UTC days in which a local midnight that matters falls: where the period or one of its weeks begins or ends."""
    edges = {period.start, period.end}
    day = period.first + timedelta(days=(7 - period.first.weekday()) % 7)
    while day <= period.last:
        edges.add(local_midnight(day, period.zone))
        day += timedelta(days=7)
    return {edge.date() for edge in edges if edge.time() != time()}


def weekly_tallies(session: Session, period: Period) -> WeeklyTallies:
    """The period's realised decisions by local week, port and commodity."""
    zone, cut = ZoneInfo(period.zone), cut_days(period)
    first_utc, last_utc = period.start.date(), (period.end - timedelta(microseconds=1)).date()
    totals: WeeklyTallies = defaultdict(lambda: [0, 0, 0])
    whole = (sa.select(DecisionTally.day, DecisionTally.port_id, DecisionTally.commodity_code,
                       sa.func.sum(DecisionTally.waived), sa.func.sum(DecisionTally.required),
                       sa.func.sum(DecisionTally.waived_minutes))
             .where(DecisionTally.day.between(first_utc, last_utc))
             .group_by(DecisionTally.day, DecisionTally.port_id, DecisionTally.commodity_code))
    for day, port, commodity, waived, required, minutes in session.execute(whole):
        if isinstance(day, str):
            day = date.fromisoformat(day)
        if day in cut:
            continue
        # No week begins inside an uncut UTC day, so its noon names the local week of all of it.
        local = datetime.combine(day, time(12), timezone.utc).astimezone(zone).date()
        cell = totals[(monday(local), port, commodity)]
        cell[0] += int(waived or 0)
        cell[1] += int(required or 0)
        cell[2] += int(minutes or 0)
    if cut:
        moment = sa.func.coalesce(Shipment.released_at, Shipment.rejected_at)
        ranges = [sa.and_(moment >= max(period.start, _utc_midnight(day)),
                          moment < min(period.end, _utc_midnight(day + timedelta(days=1))))
                  for day in sorted(cut) if first_utc <= day <= last_utc]
        query = (sa.select(Shipment.released_at, Shipment.rejected_at, Shipment.port_id, Shipment.commodity_code,
                           BorderDecision.decision == "waived", Shipment.border_inspection_minutes)
                 .join(BorderDecision, sa.and_(BorderDecision.request_id == Shipment.id, BorderDecision.current))
                 .where(crossed(), sa.or_(*ranges)))
        for released_at, rejected_at, port, commodity, is_waived, minutes in session.execute(query) if ranges else ():
            local = (released_at or rejected_at).astimezone(zone).date()
            cell = totals[(monday(local), port, commodity)]
            cell[0 if is_waived else 1] += 1
            cell[2] += (minutes or 0) if is_waived else 0
    return dict(totals)


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), timezone.utc)
