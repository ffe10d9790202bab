"""Where optimizer runs execute: a thread of this process, inline (tests, CLI), or an RQ queue."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from .run_queue import RQExecutor
from .runs import execute_run, recover_interrupted_runs

log = logging.getLogger(__name__)


class RunExecutor:
    """One background worker thread per app: runs never block a web request."""

    def __init__(self, factory_source: Callable[[], sessionmaker[Session]], workers: int = 1) -> None:
        self._factory_source = factory_source
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="optimizer")
        self._stops: dict[int, threading.Event] = {}

    def submit(self, run_id: int):
        stop = self._stops.setdefault(run_id, threading.Event())
        future = self._pool.submit(execute_run, self._factory_source(), run_id, stop)
        # Forget the stop event once the run is over, so a long-lived process does not collect them.
        future.add_done_callback(lambda _future: self._stops.pop(run_id, None))
        return future

    def cancel(self, run_id: int) -> None:
        if run_id in self._stops:
            self._stops[run_id].set()


class InlineExecutor(RunExecutor):
    """Runs each submission at once, in the caller's thread: for tests and the CLI."""

    def submit(self, run_id: int):
        execute_run(self._factory_source(), run_id, self._stops.setdefault(run_id, threading.Event()))


def init_executor(app) -> None:
    """Attach the executor: inline for tests, RQ when RUN_QUEUE_URL is set, else a worker thread."""
    from ...db import db

    def factory():
        return db.bound(app).session_factory

    if app.config.get("RUNS_INLINE"):
        app.extensions["run_executor"] = InlineExecutor(factory)
    elif app.config.get("RUN_QUEUE_URL"):
        # Other workers may be solving the queued runs: only `jointinspect runs recover` judges them.
        app.extensions["run_executor"] = RQExecutor(factory, app.config["RUN_QUEUE_URL"])
    else:
        app.extensions["run_executor"] = RunExecutor(factory)
        if _first_executor_on_machine(app):
            _recover_at_start(app)


def _first_executor_on_machine(app) -> bool:
    """True unless another live process of this machine executes runs of the same database.

    Each process holds a shared lock for its lifetime; whoever gets it exclusively at start is
    alone, so the runs still queued or running were left by a stopped process. A restarted
    gunicorn worker thereby never fails the run a sibling worker is solving.
    """
    try:
        import fcntl
    except ImportError:  # no flock (Windows): a single process is the only supported setup there
        return True
    digest = hashlib.sha256(app.config["DATABASE_URL"].encode()).hexdigest()[:16]
    if digest in _EXECUTOR_LOCKS:  # this process already executes runs of that database
        return False
    # A bare descriptor, open for the life of the process: closing it would release the lock.
    fd = os.open(Path(app.instance_path) / f"run-executor-{digest}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        alone = True
    except OSError:
        alone = False
    fcntl.flock(fd, fcntl.LOCK_SH)
    _EXECUTOR_LOCKS[digest] = fd
    return alone


_EXECUTOR_LOCKS: dict[str, int] = {}


def _recover_at_start(app) -> None:
    """Fail runs a stopped process left behind; quietly nothing on a database not made yet."""
    from ...db import db

    url = sa.make_url(app.config["DATABASE_URL"])
    # Connecting to a missing SQLite file would create an empty one and confuse restore.
    if url.get_backend_name() == "sqlite" and (not url.database or not Path(url.database).exists()):
        return
    try:
        with db.bound(app).session_factory() as session:
            count = recover_interrupted_runs(session)
            session.commit()
    except sa.exc.DBAPIError as error:  # not migrated yet, or the database is not up
        log.info("no interrupted runs recovered at start: %s", type(error.orig).__name__)
        return
    finally:
        # Hand the connection back to the database: an app made only for a command (or a test)
        # must not keep it open until garbage collection.
        db.bound(app).engine.dispose()
    if count:
        log.warning("marked %d interrupted optimizer run(s) failed", count)
