"""Optimizer runs on an RQ queue over Redis, shared by several web nodes and solver workers."""

from __future__ import annotations

import logging
import os
import threading
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from ...models import ScheduleRun, utcnow
from .run_lease import LeaseKeeper, finish_unfinished
from .runs import MAX_TIME_LIMIT_S, execute_run

log = logging.getLogger(__name__)
QUEUE_NAME = "jointinspect-runs"
# Building the scenario and storing the result take time beyond the solver's own limit.
JOB_MARGIN_S = 120
RESULT_TTL_S = 300
FAILURE_TTL_S = 7 * 24 * 3600
# A run committed a moment ago may not be enqueued yet: recovery leaves it alone.
ENQUEUE_GRACE = timedelta(seconds=60)
INTERRUPTED_ERROR = "interrupted: its queue job ended before the run finished"

_worker_app: dict[str, Any] = {}


def job_id(run_id: int) -> str:
    return f"jointinspect-run-{run_id}"


def connect(url: str):
    from redis import Redis

    return Redis.from_url(url)


class RQExecutor:
    """Enqueues runs for `jointinspect worker` processes, on any machine that reaches Redis.

    With Redis unreachable a run is not lost: this process solves it in its own thread
    (`fallback`), and says so in the log.
    """

    def __init__(self, factory_source, url: str, fallback=None) -> None:
        self._factory_source = factory_source
        self.connection = connect(url)
        self.fallback = fallback

    def start(self) -> None:
        # The fallback's lease keeper also recovers stale runs periodically for this process.
        if self.fallback is not None:
            self.fallback.start()

    def submit(self, run_id: int):
        from redis.exceptions import RedisError
        from rq import Callback, Queue

        try:
            return Queue(QUEUE_NAME, connection=self.connection).enqueue(
                run_job, run_id, job_id=job_id(run_id), job_timeout=self._time_limit(run_id) + JOB_MARGIN_S,
                result_ttl=RESULT_TTL_S, failure_ttl=FAILURE_TTL_S, on_failure=Callback(mark_job_failed),
            )
        except RedisError as error:
            if self.fallback is None:
                raise
            log.error("run queue unreachable (%s: %s): solving run %s in this process", type(error).__name__,
                      error, run_id)
            return self.fallback.submit(run_id)

    def cancel(self, run_id: int) -> None:
        # The run's state in the database is the cancel; the solver's heartbeat sees it. A queued
        # job that starts later finds the run cancelled and does nothing.
        if self.fallback is not None:
            self.fallback.cancel(run_id)

    def _time_limit(self, run_id: int) -> int:
        with self._factory_source()() as session:
            settings = session.scalar(sa.select(ScheduleRun.settings).where(ScheduleRun.id == run_id)) or {}
        return int(settings.get("time_limit_s", MAX_TIME_LIMIT_S))


def use_app(app) -> None:
    """The app jobs run with in this worker process (and the work horses forked from it)."""
    _worker_app.update(app=app, pid=os.getpid())


def _app():
    if "app" not in _worker_app:
        # The app is handed in by `jointinspect worker` (use_app); building one here would make the
        # services depend on the app factory that depends on them.
        raise RuntimeError("no app for this solver worker: start it with `jointinspect worker`")
    app = _worker_app["app"]
    if _worker_app["pid"] != os.getpid():
        # A forked work horse must not share the parent's pooled connections (SQLAlchemy's fork recipe).
        from ...db import db

        db.bound(app).engine.dispose(close=False)
        _worker_app["pid"] = os.getpid()
    return app


def _factory() -> sessionmaker[Session]:
    from ...db import db

    return db.bound(_app()).session_factory


class RunFailed(Exception):
    """Raised by the job of a run that failed, so RQ records the job as failed, not "Job OK"."""


def run_job(run_id: int) -> str:
    """The RQ job: solve one run in the worker, holding it (heartbeats) while it is solved."""
    factory = _factory()
    stop = threading.Event()
    keeper = LeaseKeeper(lambda: factory, lambda: {run_id: stop}, name=f"run-{run_id}-lease").start()
    try:
        status = execute_run(factory, run_id, stop)
    finally:
        keeper.close()
    if status == "failed":
        with factory() as session:
            error = session.scalar(sa.select(ScheduleRun.error).where(ScheduleRun.id == run_id))
        raise RunFailed(f"run {run_id} failed: {error}")
    return status


def mark_job_failed(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ's failure callback: a job that timed out or whose worker died fails its run."""
    run_id = job.args[0]
    reason = f"{exc_type.__name__}: {exc_value}" if exc_type else "the job was lost"
    with _factory()() as session:
        decided = fail_unfinished(session, [run_id], f"{INTERRUPTED_ERROR} ({reason})")
        session.commit()
    if decided:
        log.error("run %s failed: its queue job ended (%s)", run_id, reason)


def horse_killed(job, retpid: int, ret_val: int, rusage) -> None:
    """The worker's handler for a work horse that died mid-run (killed, out of memory)."""
    with _factory()() as session:
        fail_unfinished(session, [job.args[0]], f"{INTERRUPTED_ERROR} (its process ended, status {ret_val})")
        session.commit()
    log.error("run %s failed: its solver process ended (status %s)", job.args[0], ret_val)


def make_worker(connection, *, fork: bool = True):
    """A worker of the runs queue; forking keeps a crashing or killed solver from taking it down."""
    from rq import SimpleWorker, Worker

    worker_class = Worker if fork else SimpleWorker
    return worker_class([QUEUE_NAME], connection=connection, work_horse_killed_handler=horse_killed)


def fail_unfinished(session: Session, run_ids: list[int], message: str) -> int:
    """Mark the runs failed unless they finished meanwhile: a late success is never overwritten."""
    return finish_unfinished(session, run_ids, "failed", message)


def recover_lost_jobs(session: Session, connection) -> int:
    """Fail the queued runs whose job is gone, failed, stopped, or held by a dead worker.

    A running run is judged by its heartbeat (run_lease), which its work horse renews.
    """
    cutoff = utcnow() - ENQUEUE_GRACE
    runs = session.execute(sa.select(ScheduleRun.id, ScheduleRun.created_at)
                           .where(ScheduleRun.status == "queued")).all()
    lost = [run_id for run_id, created in runs if _job_lost(connection, run_id) and _older(created, cutoff)]
    return fail_unfinished(session, lost, f"{INTERRUPTED_ERROR} (the job is gone, failed, or its worker died)")


def _older(created, cutoff) -> bool:
    # SQLite hands back naive datetimes; they are UTC like everything stored.
    return created.replace(tzinfo=cutoff.tzinfo) < cutoff if created.tzinfo is None else created < cutoff


def _job_lost(connection, run_id: int) -> bool:
    from rq.exceptions import NoSuchJobError
    from rq.job import Job
    from rq.worker import Worker

    try:
        job = Job.fetch(job_id(run_id), connection=connection)
    except NoSuchJobError:
        return True
    status = job.get_status(refresh=False)
    status = getattr(status, "value", status)
    if status in ("failed", "stopped", "canceled", "finished"):
        return True
    if status == "started" and job.worker_name:
        key = Worker.redis_worker_namespace_prefix + job.worker_name
        return Worker.find_by_key(key, connection=connection) is None
    return False
