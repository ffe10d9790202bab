"""Who holds a run: heartbeats from the holding process, and recovery of runs whose holder is gone.

A run is held by the process that will solve it (queued in its thread, or solving). That process
renews the run's `heartbeat_at` every few seconds in a short transaction of its own; when the
renewal finds the run no longer unfinished (cancelled, or failed by recovery) it stops the solver.
A queued or running run whose heartbeat is older than STALE_AFTER has lost its holder (killed,
restarted, out of memory): `recover_stale_runs` fails it, at start and periodically.

Every change of an unfinished run's final state is a compare-and-set on "still queued or
running" that bumps the version, so exactly one of the solver, a cancel and recovery decides it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from ...models import ScheduleRun, utcnow

log = logging.getLogger(__name__)
UNFINISHED = ("queued", "running")
HEARTBEAT_S = 2.0
# Several missed heartbeats, so a busy database or a long garbage collection is not a death.
STALE_AFTER = timedelta(seconds=30)
RECOVER_EVERY_S = 30.0
STALE_ERROR = "interrupted: its process stopped before the run finished"


def finish_unfinished(session: Session, run_ids: Iterable[int], status: str, message: str | None) -> int:
    """Set the final state of those runs still queued or running; returns how many it decided.

    The version is bumped, so a solver that read the run before cannot overwrite this (its own
    write checks the version), and a late success never overwrites a failure or a cancel.
    """
    ids = list(run_ids)
    if not ids:
        return 0
    result = session.execute(
        sa.update(ScheduleRun).where(ScheduleRun.id.in_(ids), ScheduleRun.status.in_(UNFINISHED))
        .values(status=status, error=message[:2000] if message else None, finished_at=utcnow(),
                version_id=ScheduleRun.version_id + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def stale_runs(session: Session, now: datetime | None = None, *, include_queued: bool = True) -> list[int]:
    """Unfinished runs whose holder has not been heard of for STALE_AFTER."""
    cutoff = (now or utcnow()) - STALE_AFTER
    last_heard = sa.func.coalesce(ScheduleRun.heartbeat_at, ScheduleRun.started_at, ScheduleRun.created_at)
    statuses = UNFINISHED if include_queued else ("running",)
    return list(session.scalars(sa.select(ScheduleRun.id).where(ScheduleRun.status.in_(statuses), last_heard < cutoff)))


def recover_stale_runs(session: Session, now: datetime | None = None, *, include_queued: bool = True) -> int:
    """Fail the unfinished runs whose holder is gone; the caller commits."""
    return finish_unfinished(session, stale_runs(session, now, include_queued=include_queued), "failed", STALE_ERROR)


def renew(session: Session, run_ids: Iterable[int]) -> set[int]:
    """Renew the heartbeat of the runs still unfinished; returns the ids that are not (stop them)."""
    ids = set(run_ids)
    if not ids:
        return set()
    session.execute(sa.update(ScheduleRun).where(ScheduleRun.id.in_(ids), ScheduleRun.status.in_(UNFINISHED))
                    .values(heartbeat_at=utcnow()).execution_options(synchronize_session=False))
    alive = set(session.scalars(sa.select(ScheduleRun.id).where(ScheduleRun.id.in_(ids),
                                                                ScheduleRun.status.in_(UNFINISHED))))
    return ids - alive


class LeaseKeeper:
    """A daemon thread that renews the held runs' heartbeats, stops the ones ended elsewhere, and
    runs `recover` every RECOVER_EVERY_S. A database hiccup is logged and tried again next beat."""

    def __init__(self, factory_source: Callable[[], sessionmaker[Session]],
                 held: Callable[[], dict[int, threading.Event]], recover: Callable[[], int] | None = None,
                 name: str = "run-lease") -> None:
        self._factory_source = factory_source
        self._held = held
        self._recover = recover
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._next_recovery = 0.0

    def start(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def close(self) -> None:
        self._done.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=HEARTBEAT_S * 2)

    def beat(self) -> None:
        """One renewal (and recovery when due); also called directly by tests."""
        held = self._held()
        try:
            with self._factory_source()() as session:
                ended = renew(session, held)
                session.commit()
        except sa.exc.SQLAlchemyError as error:
            log.error("could not renew the heartbeat of runs %s: %s", sorted(held), error)
            return
        for run_id in ended:
            log.info("run %s ended elsewhere (cancelled or recovered): stopping its solver", run_id)
            held[run_id].set()
        self._recover_when_due()

    def _recover_when_due(self) -> None:
        now = _monotonic()
        if self._recover is None or now < self._next_recovery:
            return
        self._next_recovery = now + RECOVER_EVERY_S
        try:
            count = self._recover()
        except Exception as error:  # a failed recovery is tried again next time
            log.error("recovering stale runs failed: %s: %s", type(error).__name__, error)
            return
        if count:
            log.error("marked %d run(s) failed whose process is gone", count)

    def _loop(self) -> None:
        while not self._done.wait(HEARTBEAT_S):
            self.beat()


def _monotonic() -> float:
    import time

    return time.monotonic()
