"""Two optimizer runs side by side: their figures, and the shipments one serves and the other does not."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Shipment, ScheduleAssignment, ScheduleRun


@dataclass(frozen=True)
class RunFigures:
    """What a coordinator weighs when choosing between plans."""

    run: ScheduleRun
    requests: int
    served: int
    served_weight: int  # priority-weighted served shipments: the optimizer's first aim
    waived: int
    travel_minutes: int | None
    utilisation: float | None  # share of shift time spent inspecting
    time_to_first_s: float | None
    wall_seconds: float | None
    unscheduled: int


@dataclass(frozen=True)
class Comparison:
    a: RunFigures
    b: RunFigures
    only_a: list[str]  # references served by run a and not by run b
    only_b: list[str]


def figures(session: Session, run: ScheduleRun) -> RunFigures:
    """A run's figures counted from its stored rows (hand edits included), timings from its statistics."""
    stats = run.stats or {}
    inland = sa.and_(ScheduleAssignment.run_id == run.id, ScheduleAssignment.kind == "joint_inland")
    served, weight, waived = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Shipment.priority), 0),
                  sa.func.coalesce(sa.func.sum(sa.case((ScheduleAssignment.waived, 1), else_=0)), 0))
        .select_from(ScheduleAssignment).join(Shipment, Shipment.id == ScheduleAssignment.request_id)
        .where(inland)
    ).one()
    unscheduled = len(run.unscheduled)
    return RunFigures(
        run=run, requests=int(stats.get("requests", served + unscheduled)), served=served,
        served_weight=int(weight), waived=int(waived), travel_minutes=stats.get("travel_minutes"),
        utilisation=stats.get("utilisation"), time_to_first_s=stats.get("time_to_first_s"),
        wall_seconds=stats.get("wall_seconds"), unscheduled=unscheduled,
    )


def served_references(session: Session, run: ScheduleRun) -> set[str]:
    return set(session.scalars(
        sa.select(Shipment.reference).join(ScheduleAssignment, ScheduleAssignment.request_id == Shipment.id)
        .where(ScheduleAssignment.run_id == run.id, ScheduleAssignment.kind == "joint_inland")
    ))


def compare_runs(session: Session, a: ScheduleRun, b: ScheduleRun) -> Comparison:
    served_a, served_b = served_references(session, a), served_references(session, b)
    return Comparison(figures(session, a), figures(session, b), sorted(served_a - served_b),
                      sorted(served_b - served_a))


def comparable_runs(session: Session, limit: int = 30) -> list[ScheduleRun]:
    """Recent finished runs, newest first, to pick two from."""
    return list(session.scalars(
        sa.select(ScheduleRun).where(ScheduleRun.status == "succeeded")
        .order_by(ScheduleRun.created_at.desc(), ScheduleRun.id.desc()).limit(limit)
    ))
