"""Where optimizer runs execute: a thread of this process, inline (tests, CLI), or an RQ queue."""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from .run_lease import LeaseKeeper, finish_unfinished, recover_stale_runs
from .run_queue import RQExecutor, recover_lost_jobs
from .runs import execute_run

log = logging.getLogger(__name__)
SHUTDOWN_ERROR = "interrupted: the app stopped (restart or shutdown) before the run finished"


class RunExecutor:
    """Runs solved one at a time by a daemon thread of this process; runs never block a web request.

    The process holds its runs while they wait and while they are solved: a lease keeper renews
    their heartbeats, stops the solver of a run cancelled from another process, and fails runs
    whose process is gone. At exit the solver is stopped and its run failed at once, instead of
    keeping the process alive until it is killed.
    """

    def __init__(self, factory_source: Callable[[], sessionmaker[Session]],
                 recover: Callable[[], int] | None = None) -> None:
        self._factory_source = factory_source
        self._recover = recover
        self._start_lock = threading.Lock()
        self._fresh()
        # Threads do not survive a fork (gunicorn --preload): the child starts its own.
        os.register_at_fork(after_in_child=self._fresh)

    def _fresh(self) -> None:
        self._waiting: queue.Queue[tuple[int, Future]] = queue.Queue()
        self._held: dict[int, threading.Event] = {}
        self._keeper = LeaseKeeper(self._factory_source, lambda: dict(self._held), self._recover)
        self._started = False
        self._closed = False

    def start(self) -> None:
        """Start the solver thread and the lease keeper (at the first run, or the first request)."""
        if self._started:  # every request asks: the answer is nearly always this
            return
        with self._start_lock:
            if not self._started:
                self._started = True
                threading.Thread(target=self._work, name="optimizer", daemon=True).start()
                self._keeper.start()
                atexit.register(self.shutdown)

    def submit(self, run_id: int) -> Future:
        self.start()
        future: Future = Future()
        self._held[run_id] = threading.Event()
        self._waiting.put((run_id, future))
        return future

    def cancel(self, run_id: int) -> None:
        """Stop the solver at once if this process holds the run (elsewhere the heartbeat notices)."""
        if run_id in self._held:
            self._held[run_id].set()

    def _work(self) -> None:
        while True:
            run_id, future = self._waiting.get()
            stop = self._held.get(run_id) or threading.Event()
            try:
                future.set_result(execute_run(self._factory_source(), run_id, stop))
            except BaseException as error:  # execute_run logs and records its own failures
                future.set_exception(error)
            finally:
                self._held.pop(run_id, None)

    def shutdown(self) -> None:
        """Fail what this process still holds, then stop its solver: the process is going away.

        Failing first makes the decision final, so the solver's early result is discarded rather
        than passed off as a finished plan; the exit then takes moments, not the run's time limit.
        """
        if self._closed:
            return
        self._closed = True
        held = dict(self._held)
        if held:
            try:
                with self._factory_source()() as session:
                    count = finish_unfinished(session, held, "failed", SHUTDOWN_ERROR)
                    session.commit()
                if count:
                    log.warning("stopped %d optimizer run(s) at shutdown; marked failed", count)
            except sa.exc.SQLAlchemyError as error:
                log.error("could not fail runs %s at shutdown (recovery will): %s", sorted(held), error)
        for stop in held.values():
            stop.set()
        self._keeper.close()


class InlineExecutor(RunExecutor):
    """Runs each submission at once, in the caller's thread: for tests and the CLI."""

    def submit(self, run_id: int) -> Future:
        future: Future = Future()
        future.set_result(execute_run(self._factory_source(), run_id, threading.Event()))
        return future


def init_executor(app) -> None:
    """Attach the executor: inline for tests, RQ when RUN_QUEUE_URL is set, else a worker thread.

    Every process recovers runs whose process is gone, at start and then periodically: it is
    decided by their heartbeats, so a sibling process's runs are never touched.
    """
    from ...db import db

    def factory():
        return db.bound(app).session_factory

    if app.config.get("RUNS_INLINE"):
        app.extensions["run_executor"] = InlineExecutor(factory)
        return
    queue_url = app.config.get("RUN_QUEUE_URL")
    recover = (lambda: recover_runs(factory(), queue_url))
    if queue_url:
        executor = RQExecutor(factory, queue_url, fallback=RunExecutor(factory, recover))
    else:
        executor = RunExecutor(factory, recover)
    app.extensions["run_executor"] = executor
    if _database_exists(app):
        _recover_at_start(app, recover)
    if not app.testing:
        # A serving process recovers periodically from its first request on; a command (db
        # upgrade, seed) starts no threads.
        app.before_request(executor.start)


def recover_runs(factory: sessionmaker[Session], queue_url: str | None = None) -> int:
    """Fail stale runs (no heartbeat) and, with the queue, queued runs whose job is gone."""
    with factory() as session:
        # With the queue, a queued run waits in Redis, held by no process: its job tells instead.
        count = recover_stale_runs(session, include_queued=not queue_url)
        session.commit()
        if queue_url:
            from .run_queue import connect

            count += recover_lost_jobs(session, connect(queue_url))
            session.commit()
    return count


def _database_exists(app) -> bool:
    url = sa.make_url(app.config["DATABASE_URL"])
    # Connecting to a missing SQLite file would create an empty one and confuse restore.
    return not (url.get_backend_name() == "sqlite" and (not url.database or not Path(url.database).exists()))


def _recover_at_start(app, recover: Callable[[], int]) -> None:
    """Quietly nothing on a database not made yet, or one that is down (the periodic pass retries)."""
    from ...db import db

    try:
        count = recover()
    except (sa.exc.DBAPIError, OSError) as error:  # not migrated yet, the database or Redis not up
        log.info("no stale runs recovered at start: %s", type(getattr(error, "orig", error)).__name__)
        return
    except Exception as error:  # e.g. Redis refusing: the periodic pass tries again
        log.warning("no stale runs recovered at start: %s: %s", type(error).__name__, error)
        return
    finally:
        # Hand the connection back to the database: an app made only for a command (or a test)
        # must not keep it open until garbage collection.
        db.bound(app).engine.dispose()
    if count:
        log.warning("marked %d interrupted optimizer run(s) failed", count)
