"""`jointinspect worker` solves queued optimizer runs; `jointinspect runs recover` fails lost ones."""

from __future__ import annotations

import logging
import time

import click
from flask import current_app
from flask.cli import with_appcontext

log = logging.getLogger(__name__)
RECONNECT_S = 5


def _queue_url() -> str:
    url = current_app.config.get("RUN_QUEUE_URL")
    if not url:
        raise click.UsageError("set RUN_QUEUE_URL (e.g. redis://127.0.0.1:6379/0) to use the run queue")
    return url


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty, solving in this process.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Solve optimizer runs from the queue at RUN_QUEUE_URL until stopped."""
    from ..services.planning.run_queue import connect, make_worker, use_app

    from redis.exceptions import ConnectionError as RedisDown

    connection = connect(_queue_url())
    use_app(current_app._get_current_object())  # type: ignore[attr-defined]
    while True:
        try:
            # A burst drains the queue in this very process (tests, one-off catch-up).
            make_worker(connection, fork=not burst).work(burst=burst, with_scheduler=False)
            return
        except RedisDown as error:
            if burst:
                raise
            # Redis away for a moment must not end the solver workers for good: wait and reconnect.
            log.error("run queue unreachable (%s); reconnecting in %d s", error, RECONNECT_S)
            time.sleep(RECONNECT_S)


@click.group("runs")
def runs_group() -> None:
    """Optimizer runs."""


@runs_group.command("recover")
@with_appcontext
def recover_command() -> None:
    """Mark failed the runs that can never finish: no heartbeat from their process, or their job gone.

    Safe while the app runs: a run whose process is alive renews its heartbeat every few seconds.
    Every app process also does this at start and every half minute.
    """
    from ..db import db
    from ..services.planning.executors import recover_runs

    count = recover_runs(db.bound().session_factory, current_app.config.get("RUN_QUEUE_URL") or None)
    click.echo(f"{count} run(s) marked failed")
