"""Optimizer runs: started from a request, solved in the background, stored with their results."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from scheduling.domain import JOINT_INLAND, Schedule
from scheduling.replan import diff_schedules
from scheduling.solver import Progress, SolverSettings, solve

from ...models import ScheduleAssignment, ScheduleRun, UnscheduledRequest, User, utcnow
from ..access.audit import record
from .moves import keepable_pins, pinned_assignments
from .publishing import live_run
from ..errors import WorkflowError
from .scenario import ScenarioIds, build_scenario, published_assignments

log = logging.getLogger(__name__)
MAX_TIME_LIMIT_S = 600
PROGRESS_EVERY_S = 1.0


def start_run(session: Session, actor: User, start: datetime, end: datetime, *, time_limit_s: float = 30,
              workers: int = 2, parent: ScheduleRun | None = None) -> ScheduleRun:
    """A queued run for the horizon [start, end); the executor picks it up after commit."""
    if end <= start:
        raise WorkflowError("the horizon must end after it starts", field="horizon_end")
    if (end - start).days > 31:
        raise WorkflowError("plan at most 31 days at once", field="horizon_end")
    if not 1 <= time_limit_s <= MAX_TIME_LIMIT_S:
        raise WorkflowError(f"the time limit must be between 1 and {MAX_TIME_LIMIT_S} seconds", field="time_limit_s")
    if not 1 <= workers <= 8:
        raise WorkflowError("workers must be between 1 and 8", field="workers")
    live = live_run(session, start, end)
    run = ScheduleRun(created_by_id=actor.id, horizon_start=start, horizon_end=end, status="queued",
                      settings={"time_limit_s": time_limit_s, "workers": workers},
                      parent_run_id=parent.id if parent else None, progress={},
                      based_on_run_id=live.id if live else None)
    session.add(run)
    session.flush()
    record(session, actor, "schedule_run.started", run, after={"horizon": [start.isoformat(), end.isoformat()]})
    return run


def execute_run(factory: sessionmaker[Session], run_id: int, stop: threading.Event | None = None) -> None:
    """Solve a queued run with sessions of its own; any failure marks the run failed."""
    with factory() as session:
        run = session.get(ScheduleRun, run_id)
        if run is None or run.status != "queued":
            return
        run.status, run.started_at = "running", utcnow()
        session.commit()
        try:
            # A minute's margin: the plan is published a little after it is made.
            not_before = (utcnow() + timedelta(minutes=1)).replace(second=0, microsecond=0)
            scenario, ids = build_scenario(session, run.horizon_start, run.horizon_end, not_before=not_before)
            previous = published_assignments(session, ids)
            settings = SolverSettings(time_limit_s=run.settings.get("time_limit_s", 30),
                                      workers=run.settings.get("workers", 2))
            before = _as_schedule(previous) if previous else None
            # A re-plan started from a run keeps what the coordinator pinned on it.
            pinned = pinned_assignments(session, run.parent_run_id, ids) if run.parent_run_id else ()
            # A pin that became impossible (an inspector off sick, a site closed) is dropped, and the run says why.
            pinned, dropped_pins = keepable_pins(scenario, pinned)
            schedule = solve(scenario, settings, previous=before, pinned=pinned,
                             progress=_progress_writer(factory, run_id), stop=stop)
            if before is not None:
                schedule.stats["changes"] = asdict(diff_schedules(before, schedule))
            if dropped_pins:
                schedule.stats["dropped_pins"] = dropped_pins
            # End the read transaction first: on SQLite a snapshot older than the progress
            # writer's commits cannot become a write transaction.
            session.rollback()
            store_result(session, session.get(ScheduleRun, run_id), schedule, ids)
            session.commit()
        except Exception as error:  # a crash must never leave a run "running"
            session.rollback()
            log.exception("optimizer run %s failed", run_id)
            _mark_failed(session, run_id, f"{type(error).__name__}: {error}")


def _as_schedule(assignments) -> Schedule:
    return Schedule(assignments=assignments, border_decisions=(), unscheduled=())


def _progress_writer(factory: sessionmaker[Session], run_id: int) -> Callable[[Progress], None]:
    """Store progress at most once a second, in short transactions of its own."""
    last = [0.0]

    def write(progress: Progress) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_S and progress.phase != "heuristic":
            return
        last[0] = now
        with factory() as session:
            session.execute(sa.update(ScheduleRun).where(ScheduleRun.id == run_id).values(progress={
                "elapsed": progress.elapsed, "phase": progress.phase, "served": progress.served,
                "waived": progress.waived, "objective": progress.objective, "bound": progress.bound,
            }))
            session.commit()

    return write


def _mark_failed(session: Session, run_id: int, message: str) -> None:
    session.execute(sa.update(ScheduleRun).where(ScheduleRun.id == run_id)
                    .values(status="failed", error=message[:2000], finished_at=utcnow()))
    session.commit()


def store_result(session: Session, run: ScheduleRun, schedule: Schedule, ids: ScenarioIds) -> None:
    """The run's assignments and unscheduled requests, with the solver's statistics."""
    waived = {d.request for d in schedule.border_decisions if d.decision == "waived"}
    for a in schedule.assignments:
        assignment = ScheduleAssignment(
            request_id=ids.requests[a.request], kind=a.type, site_id=ids.sites[a.site], start=a.start,
            end=a.end, pinned=a.pinned, waived=a.type == JOINT_INLAND and a.request in waived,
        )
        assignment.inspectors = [_inspector(session, ids.inspectors[i]) for i in a.inspectors]
        run.assignments.append(assignment)
    explained: dict[str, Any] = schedule.stats.get("explanations", {})
    for u in schedule.unscheduled:
        why = explained.get(u.request, {})
        run.unscheduled.append(UnscheduledRequest(
            request_id=ids.requests[u.request], reason_code=why.get("code", "unscheduled"),
            reason_params=why.get("params", {}), reason_text=u.reason))
    stats = {k: v for k, v in schedule.stats.items() if k not in ("reason_codes", "explanations")}
    run.stats = stats
    run.solver_status = str(stats.get("status", ""))
    run.objective = stats.get("objective")
    run.bound = stats.get("bound")
    run.status, run.finished_at = "succeeded", utcnow()
    run.progress = {**(run.progress or {}), "phase": "done", "served": stats.get("served"),
                    "waived": stats.get("border_inspections_avoided"), "elapsed": stats.get("wall_seconds")}


def _inspector(session: Session, inspector_id: int):
    from ...models import Inspector

    return session.get(Inspector, inspector_id)


def recover_interrupted_runs(session: Session) -> int:
    """Runs a stopped process left queued or running can never finish: say so instead of waiting."""
    unfinished = ScheduleRun.status.in_(("queued", "running"))
    # A read first: it never waits for a writer, so a clean start costs one quick query.
    if not session.scalar(sa.select(sa.exists().where(unfinished))):
        return 0
    result = session.execute(
        sa.update(ScheduleRun).where(unfinished)
        .values(status="failed", error="interrupted: the app stopped before the run finished", finished_at=utcnow())
    )
    return result.rowcount or 0
