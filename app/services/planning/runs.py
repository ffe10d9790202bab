"""Optimizer runs: started from a request, solved in the background, stored with their results."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

import sqlalchemy as sa
import structlog
from flask_babel import gettext as _
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from scheduling.domain import AVOIDED, JOINT_INLAND, Schedule
from scheduling.replan import diff_schedules
from scheduling.solver import Progress, SolverSettings, solve

from ...db import begin_write
from ...models import ScheduleAssignment, ScheduleRun, UnscheduledRequest, User, utcnow
from ..access.audit import record
from .moves import keepable_pins, pinned_assignments
from .publishing import live_run
from ..errors import ConflictError, WorkflowError
from .run_lease import finish_unfinished, recover_stale_runs
from .scenario import ScenarioIds, build_scenario, published_assignments

log = logging.getLogger(__name__)
progress_log = structlog.get_logger("jointinspect.optimizer")
MAX_TIME_LIMIT_S = 600
PROGRESS_EVERY_S = 1.0
STATUS_WRITE_ATTEMPTS = 5
STATUS_RETRY_S = 0.5


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


def cancel_run(session: Session, actor: User, run_id: int) -> ScheduleRun:
    """End a queued or running run as cancelled, at once; its solver stops at its next heartbeat.

    Whatever the solver finds afterwards is discarded: the cancel decided the run's final state.
    """
    begin_write(session)
    if not finish_unfinished(session, [run_id], "cancelled", f"cancelled by {actor.username}"):
        run = session.get(ScheduleRun, run_id)
        raise ConflictError(_("This run has already ended (%(status)s).", status=run.status if run else "-"),
                            field="run")
    session.expire_all()
    run = session.get(ScheduleRun, run_id)
    record(session, actor, "schedule_run.cancelled", run)
    return run


def execute_run(factory: sessionmaker[Session], run_id: int, stop: threading.Event | None = None) -> str:
    """Solve a queued run; returns its final status.

    Nothing holds a transaction while the solver works: the inputs are read in one short
    transaction, progress goes in short ones, and the result in one that first checks the run is
    still this solver's to finish (a cancel or recovery may have decided it meanwhile).
    """
    stop = stop or threading.Event()
    if not _write_status(factory, run_id, lambda session: _claim(session, run_id)):
        return _status_of(factory, run_id)
    try:
        inputs = _read_inputs(factory, run_id)
        schedule = solve(inputs.scenario, inputs.settings, previous=inputs.before, pinned=inputs.pinned,
                         progress=_progress_writer(factory, run_id), stop=stop)
        if inputs.before is not None:
            schedule.stats["changes"] = asdict(diff_schedules(inputs.before, schedule))
        if inputs.dropped_pins:
            schedule.stats["dropped_pins"] = inputs.dropped_pins
        return _store(factory, run_id, schedule, inputs.ids)
    except Exception as error:  # a crash must never leave a run "running"
        log.exception("optimizer run %s failed", run_id)
        message = f"{type(error).__name__}: {error}"
        _write_status(factory, run_id, lambda session: finish_unfinished(session, [run_id], "failed", message))
        return _status_of(factory, run_id)


@dataclass
class _Inputs:
    scenario: Any
    ids: ScenarioIds
    settings: SolverSettings
    before: Schedule | None
    pinned: Any
    dropped_pins: Any


def _read_inputs(factory: sessionmaker[Session], run_id: int) -> _Inputs:
    """The scenario and what the run keeps, read in one transaction that ends before solving."""
    with factory() as session:
        run = session.get(ScheduleRun, run_id)
        # A minute's margin: the plan is published a little after it is made.
        not_before = (utcnow() + timedelta(minutes=1)).replace(second=0, microsecond=0)
        scenario, ids = build_scenario(session, run.horizon_start, run.horizon_end, not_before=not_before)
        previous = published_assignments(session, ids)
        settings = SolverSettings(time_limit_s=run.settings.get("time_limit_s", 30),
                                  workers=run.settings.get("workers", 2))
        # A re-plan started from a run keeps what the coordinator pinned on it.
        pinned = pinned_assignments(session, run.parent_run_id, ids) if run.parent_run_id else ()
        # A pin that became impossible (an inspector off sick, a site closed) is dropped, and the run says why.
        pinned, dropped_pins = keepable_pins(scenario, pinned)
        session.rollback()
    return _Inputs(scenario, ids, settings, _as_schedule(previous) if previous else None, pinned, dropped_pins)


def _claim(session: Session, run_id: int) -> int:
    """queued -> running, once: a run cancelled or recovered before it started is left as it is."""
    now = utcnow()
    return session.execute(
        sa.update(ScheduleRun).where(ScheduleRun.id == run_id, ScheduleRun.status == "queued")
        .values(status="running", started_at=now, heartbeat_at=now, version_id=ScheduleRun.version_id + 1)
        .execution_options(synchronize_session=False)
    ).rowcount or 0


def _store(factory: sessionmaker[Session], run_id: int, schedule: Schedule, ids: ScenarioIds) -> str:
    """The result and "succeeded" in one short transaction, only if the run is still running.

    The run's version is checked by the update (version_id_col): a cancel or recovery committed
    after this read makes the write fail as stale instead of overwriting their decision.
    """
    with factory() as session:
        begin_write(session)
        run = session.get(ScheduleRun, run_id, populate_existing=True)
        if run is None or run.status != "running":
            log.info("run %s ended as %s before its solver finished; its result is discarded", run_id,
                     run.status if run else "deleted")
            return run.status if run else "deleted"
        try:
            store_result(session, run, schedule, ids)
            session.commit()
        except StaleDataError:
            session.rollback()
            log.info("run %s was decided elsewhere while its result was stored; the result is discarded", run_id)
            return _status_of(factory, run_id)
    log.info("optimizer run %s succeeded: %s", run_id, _summary(schedule.stats))
    return "succeeded"


def _write_status(factory: sessionmaker[Session], run_id: int, change: Callable[[Session], int]) -> bool:
    """A status change in a short write transaction, retried with backoff and logged when it fails.

    True when the change applied. After the last attempt the run is left to recovery (its
    heartbeat stops), which fails it: never "running" for ever.
    """
    for attempt in range(1, STATUS_WRITE_ATTEMPTS + 1):
        try:
            with factory() as session:
                begin_write(session)
                applied = change(session)
                session.commit()
            return bool(applied)
        except sa.exc.SQLAlchemyError as error:
            level = logging.ERROR if attempt == STATUS_WRITE_ATTEMPTS else logging.WARNING
            log.log(level, "writing the status of run %s failed (attempt %d of %d): %s: %s", run_id, attempt,
                    STATUS_WRITE_ATTEMPTS, type(error).__name__, error)
            if attempt < STATUS_WRITE_ATTEMPTS:
                time.sleep(STATUS_RETRY_S * attempt)
    return False


def _status_of(factory: sessionmaker[Session], run_id: int) -> str:
    try:
        with factory() as session:
            return session.scalar(sa.select(ScheduleRun.status).where(ScheduleRun.id == run_id)) or "deleted"
    except sa.exc.SQLAlchemyError:
        return "unknown"


def _summary(stats: dict[str, Any]) -> str:
    return ", ".join(f"{key}={stats.get(key)}" for key in ("status", "served", "border_inspections_avoided",
                                                           "objective", "bound", "wall_seconds"))


def _as_schedule(assignments) -> Schedule:
    return Schedule(assignments=assignments, border_decisions=(), unscheduled=())


def _progress_writer(factory: sessionmaker[Session], run_id: int) -> Callable[[Progress], None]:
    """Store progress at most once a second, in short transactions of its own, and log it."""
    last = [0.0]

    def write(progress: Progress) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_S and progress.phase != "heuristic":
            return
        last[0] = now
        values = {"elapsed": progress.elapsed, "phase": progress.phase, "served": progress.served,
                  "waived": progress.waived, "objective": progress.objective, "bound": progress.bound}
        if progress.parts:  # a split run: each independent part as it stands, in part order
            values["part"] = progress.part
            values["parts"] = [{"phase": p.phase, "served": p.served, "waived": p.waived, "objective": p.objective,
                                "bound": p.bound} for p in progress.parts]
        progress_log.info("optimizer progress", run_id=run_id, **values)
        try:
            with factory() as session:
                session.execute(sa.update(ScheduleRun).where(ScheduleRun.id == run_id, ScheduleRun.status == "running")
                                .values(progress=values).execution_options(synchronize_session=False))
                session.commit()
        except sa.exc.SQLAlchemyError as error:  # progress is a courtesy: the solve goes on
            log.warning("could not store the progress of run %s: %s", run_id, error)

    return write


def store_result(session: Session, run: ScheduleRun, schedule: Schedule, ids: ScenarioIds) -> None:
    """The run's assignments and unscheduled requests, with the solver's statistics."""
    waived = {d.request for d in schedule.border_decisions if d.decision in AVOIDED}  # joint_us_site too
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
    """Runs whose process is gone (no heartbeat for a while) can never finish: fail them; the caller commits."""
    return recover_stale_runs(session)
