"""What the board shows beside its timelines: the unscheduled list, the pins, the legend's names."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ...models import Commodity, Shipment, ScheduleAssignment, ScheduleRun, UnscheduledRequest


def unscheduled_of(session: Session, run: ScheduleRun) -> list[UnscheduledRequest]:
    """The run's unscheduled requests, most urgent first."""
    return list(session.scalars(
        sa.select(UnscheduledRequest).join(Shipment, Shipment.id == UnscheduledRequest.request_id)
        .where(UnscheduledRequest.run_id == run.id)
        .options(selectinload(UnscheduledRequest.request).selectinload(Shipment.port),
                 selectinload(UnscheduledRequest.request).selectinload(Shipment.commodity))
        .order_by(Shipment.priority.desc(), Shipment.cross_by)
    ))


def pinned_count(session: Session, run: ScheduleRun) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(ScheduleAssignment)
                          .where(ScheduleAssignment.run_id == run.id, ScheduleAssignment.pinned)) or 0


def commodity_names(session: Session, language: str) -> dict[str, str]:
    return {c.code: c.name(language) for c in session.scalars(sa.select(Commodity))}
