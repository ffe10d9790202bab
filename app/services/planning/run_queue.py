"""Optimizer runs on an RQ queue over Redis, shared by several web nodes and solver workers."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from ...models import ScheduleRun, utcnow
from .runs import MAX_TIME_LIMIT_S, execute_run

log = logging.getLogger(__name__)
QUEUE_NAME = "jointinspect-runs"
# Building the scenario and storing the result take time beyond the solver's own limit.
JOB_MARGIN_S = 120
RESULT_TTL_S = 300
FAILURE_TTL_S = 7 * 24 * 3600
STOP_POLL_S = 0.5
# A run committed a moment ago may not be enqueued yet: recovery leaves it alone.
ENQUEUE_GRACE = timedelta(seconds=60)
INTERRUPTED_ERROR = "interrupted: its queue job ended before the run finished"

_worker_app: dict[str, Any] = {}


def job_id(run_id: int) -> str:
    return f"jointinspect-run-{run_id}"


def stop_key(run_id: int) -> str:
    return f"jointinspect:run-stop:{run_id}"


def connect(url: str):
    from redis import Redis

    return Redis.from_url(url)


class RQExecutor:
    """Enqueues runs for `jointinspect worker` processes, on any machine that reaches Redis."""

    def __init__(self, factory_source, url: str) -> None:
        self._factory_source = factory_source
        self.connection = connect(url)

    def submit(self, run_id: int):
        from rq import Callback, Queue

        return Queue(QUEUE_NAME, connection=self.connection).enqueue(
            run_job, run_id, job_id=job_id(run_id), job_timeout=self._time_limit(run_id) + JOB_MARGIN_S,
            result_ttl=RESULT_TTL_S, failure_ttl=FAILURE_TTL_S, on_failure=Callback(mark_job_failed),
        )

    def cancel(self, run_id: int) -> None:
        # The key outlives any run, so a cancel sent before the job starts still stops it.
        self.connection.set(stop_key(run_id), 1, ex=MAX_TIME_LIMIT_S + JOB_MARGIN_S)

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


def run_job(run_id: int) -> None:
    """The RQ job: solve one run in the worker, stoppable through its key in Redis."""
    from rq import get_current_job

    job = get_current_job()
    connection = job.connection if job is not None else connect(_app().config["RUN_QUEUE_URL"])
    with stop_watch(connection, run_id) as stop:
        execute_run(_factory(), run_id, stop)


@contextmanager
def stop_watch(connection, run_id: int, poll_s: float = STOP_POLL_S) -> Iterator[threading.Event]:
    """An event set once the run's stop key appears in Redis, polled by a small thread."""
    stop, done = threading.Event(), threading.Event()

    def watch() -> None:
        while not done.wait(poll_s):
            try:
                if connection.exists(stop_key(run_id)):
                    stop.set()
                    return
            except Exception:  # a Redis hiccup must not end the run; try again next time
                log.warning("could not read the stop key of run %s", run_id, exc_info=True)

    watcher = threading.Thread(target=watch, name=f"run-{run_id}-stop", daemon=True)
    watcher.start()
    try:
        yield stop
    finally:
        done.set()
        watcher.join()


def mark_job_failed(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ's failure callback: a job that timed out or whose worker died fails its run."""
    run_id = job.args[0]
    reason = f"{exc_type.__name__}: {exc_value}" if exc_type else "the job was lost"
    with _factory()() as session:
        fail_unfinished(session, [run_id], f"{INTERRUPTED_ERROR} ({reason})")
        session.commit()


def horse_killed(job, retpid: int, ret_val: int, rusage) -> None:
    """The worker's handler for a work horse that died mid-run (killed, out of memory)."""
    with _factory()() as session:
        fail_unfinished(session, [job.args[0]], f"{INTERRUPTED_ERROR} (its process ended, status {ret_val})")
        session.commit()


def make_worker(connection, *, fork: bool = True):
    """A worker of the runs queue; forking keeps a crashing or killed solver from taking it down."""
    from rq import SimpleWorker, Worker

    worker_class = Worker if fork else SimpleWorker
    return worker_class([QUEUE_NAME], connection=connection, work_horse_killed_handler=horse_killed)


def fail_unfinished(session: Session, run_ids: list[int], message: str) -> int:
    """Mark the runs failed unless they finished meanwhile: a late success is never overwritten."""
    if not run_ids:
        return 0
    result = session.execute(
        sa.update(ScheduleRun).where(ScheduleRun.id.in_(run_ids), ScheduleRun.status.in_(("queued", "running")))
        .values(status="failed", error=message[:2000], finished_at=utcnow())
    )
    return result.rowcount or 0


def recover_lost_jobs(session: Session, connection) -> int:
    """Fail the unfinished runs whose job is gone, failed, stopped, or held by a dead worker."""
    cutoff = utcnow() - ENQUEUE_GRACE
    runs = session.execute(sa.select(ScheduleRun.id, ScheduleRun.created_at)
                           .where(ScheduleRun.status.in_(("queued", "running")))).all()
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
