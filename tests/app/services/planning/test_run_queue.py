"""Optimizer runs on the RQ queue: enqueued by a web node, solved by `jointinspect worker`, real Redis."""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app import create_app
from app.db import db
from app.migrate import upgrade
from app.models import ScheduleRun
from app.services.planning import run_queue
from app.services.seeding import seed

from ....conftest import scratch_database
from ....factories import DEMO_PASSWORD

# A database number of its own: the tests flush it and nothing else. Two suites running at once
# on one machine each need their own (TEST_REDIS_URL).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_connection():
    connection = run_queue.connect(REDIS_URL)
    try:
        connection.ping()
    except Exception as error:  # CI has Redis: a missing one is a broken setup, never a skip
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({error}); start redis-server on 127.0.0.1:6379")
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def queue_app(tmp_path, redis_connection):
    """An app that enqueues its runs, on a seeded scratch database with real commits."""
    with scratch_database("rq", tmp_path) as url:
        upgrade(url)
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret",
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "RUN_QUEUE_URL": REDIS_URL})
        with db.bound(app).session_factory() as session:
            seed(session, demo_accounts=True)
            session.commit()
        yield app
        run_queue._worker_app.clear()
        db.bound(app).engine.dispose()


def _start_run(app, *, days: int = 9, time_limit_s: int = 2) -> int:
    client = app.test_client()
    assert client.post("/login", data={"username": "coordinator", "password": DEMO_PASSWORD}).status_code == 302
    start = datetime.now(timezone.utc).date() - timedelta(days=1)
    response = client.post("/coordinator/runs", data={"start_date": start.isoformat(), "days": days,
                                                       "time_limit_s": time_limit_s})
    assert response.status_code == 302, response.data
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _run(app, run_id: int) -> ScheduleRun:
    with db.bound(app).session_factory() as session:
        run = session.get(ScheduleRun, run_id)
        run.assignments  # noqa: B018 - loaded before the session closes
        return run


def _work(app) -> None:
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output


def test_a_run_is_enqueued_and_solved_by_a_worker(queue_app, redis_connection):
    run_id = _start_run(queue_app)
    assert _run(queue_app, run_id).status == "queued"
    from rq import Queue

    queue = Queue(run_queue.QUEUE_NAME, connection=redis_connection)
    assert queue.job_ids == [run_queue.job_id(run_id)]
    job = queue.fetch_job(run_queue.job_id(run_id))
    assert job.timeout == 2 + run_queue.JOB_MARGIN_S
    _work(queue_app)
    run = _run(queue_app, run_id)
    assert run.status == "succeeded", run.error
    assert run.stats["served"] > 0
    assert len(run.assignments) > 0
    assert queue.count == 0


def test_a_job_that_raises_fails_its_run(queue_app, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("worker blew up")

    monkeypatch.setattr(run_queue, "execute_run", explode)
    run_id = _start_run(queue_app)
    _work(queue_app)
    run = _run(queue_app, run_id)
    assert run.status == "failed"
    assert run.error.startswith("interrupted:")
    assert "RuntimeError: worker blew up" in run.error


def test_a_worker_process_killed_mid_run_fails_its_run(queue_app, redis_connection, monkeypatch):
    def killed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)  # the forked work horse dies like an out-of-memory kill

    monkeypatch.setattr(run_queue, "execute_run", killed)
    run_id = _start_run(queue_app)
    run_queue.use_app(queue_app)
    run_queue.make_worker(redis_connection, fork=True).work(burst=True)
    run = _run(queue_app, run_id)
    assert run.status == "failed"
    assert run.error.startswith("interrupted:")
    assert "its process ended" in run.error


def test_a_crashing_solver_in_the_worker_fails_its_run(queue_app, monkeypatch):
    from app.services.planning import runs

    def explode(*args, **kwargs):
        raise ValueError("solver crashed")

    monkeypatch.setattr(runs, "solve", explode)
    run_id = _start_run(queue_app)
    _work(queue_app)
    run = _run(queue_app, run_id)
    assert run.status == "failed"
    assert "solver crashed" in run.error


def _solves_until_stopped(monkeypatch) -> None:
    """The solver works until told to stop (at most a minute): whatever the week, it is still at work."""
    from app.services.planning import runs

    real_solve = runs.solve

    def slow_solve(*args, stop=None, **kwargs):
        stop.wait(60)
        return real_solve(*args, stop=stop, **kwargs)

    monkeypatch.setattr(runs, "solve", slow_solve)


def test_a_run_cancelled_while_a_worker_solves_it_stops_and_stays_cancelled(queue_app, redis_connection,
                                                                             monkeypatch):
    _solves_until_stopped(monkeypatch)
    run_id = _start_run(queue_app, days=31, time_limit_s=120)
    client = queue_app.test_client()
    client.post("/login", data={"username": "coordinator", "password": DEMO_PASSWORD})
    timer = threading.Timer(1.5, client.post, args=(f"/api/v1/runs/{run_id}/cancel",))
    started = time.monotonic()
    timer.start()
    try:
        _work(queue_app)
    finally:
        timer.cancel()
    elapsed = time.monotonic() - started
    run = _run(queue_app, run_id)
    assert run.status == "cancelled", run.error
    assert run.assignments == []
    assert elapsed < 30, f"the run went on for {elapsed:.0f} s after it was cancelled"


def test_rq_records_a_failed_run_as_a_failed_job(queue_app, redis_connection, monkeypatch):
    from rq.job import Job

    from app.services.planning import runs

    monkeypatch.setattr(runs, "solve", lambda *a, **k: (_ for _ in ()).throw(ValueError("no plan for you")))
    run_id = _start_run(queue_app)
    _work(queue_app)
    job = Job.fetch(run_queue.job_id(run_id), connection=redis_connection)
    assert job.get_status(refresh=True) == "failed"  # not "Job OK"
    assert _run(queue_app, run_id).error == "ValueError: no plan for you"


def test_with_redis_down_a_run_is_solved_in_the_web_process_and_the_log_says_so(tmp_path, caplog):
    with scratch_database("rq_down", tmp_path) as url:
        upgrade(url)
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret",
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "RUN_QUEUE_URL": "redis://127.0.0.1:1/0"})
        with db.bound(app).session_factory() as session:
            seed(session, demo_accounts=True)
            session.commit()
        client = app.test_client()
        client.post("/login", data={"username": "coordinator", "password": DEMO_PASSWORD})
        start = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        with caplog.at_level("ERROR"):
            response = client.post("/api/v1/runs", json={"horizon_start": start.isoformat(),
                                                          "horizon_end": (start + timedelta(days=2)).isoformat(),
                                                          "time_limit_s": 1})
        assert response.status_code == 202
        assert "run queue unreachable" in caplog.text
        deadline = time.monotonic() + 60
        while _run(app, response.json["id"]).status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _run(app, response.json["id"]).status == "succeeded"
        app.extensions["run_executor"].fallback.shutdown()
        db.bound(app).engine.dispose()


def test_recover_fails_runs_whose_job_is_gone_and_keeps_queued_ones(queue_app):
    kept = _start_run(queue_app)
    lost = _start_run(queue_app)
    run_queue.connect(REDIS_URL).delete(f"rq:job:{run_queue.job_id(lost)}")
    with db.bound(queue_app).session_factory() as session:
        long_ago = datetime.now(timezone.utc) - timedelta(minutes=5)
        session.execute(sa.update(ScheduleRun).values(created_at=long_ago))
        session.commit()
    result = queue_app.test_cli_runner().invoke(args=["runs", "recover"])
    assert result.exit_code == 0, result.output
    assert "1 run(s) marked failed" in result.output
    assert _run(queue_app, kept).status == "queued"
    failed = _run(queue_app, lost)
    assert failed.status == "failed"
    assert failed.error.startswith("interrupted:")


def test_an_app_on_the_queue_does_not_fail_running_runs_at_start(queue_app):
    with db.bound(queue_app).session_factory() as session:
        session.execute(sa.update(ScheduleRun).where(ScheduleRun.published_at.is_(None)).values(status="running"))
        run = ScheduleRun(horizon_start=datetime(2027, 3, 1, tzinfo=timezone.utc),
                          horizon_end=datetime(2027, 3, 8, tzinfo=timezone.utc), status="running", progress={})
        session.add(run)
        session.commit()
    create_app({**queue_app.config})
    assert _run(queue_app, run.id).status == "running"


def test_a_solver_worker_outlives_a_redis_outage(queue_app, monkeypatch, caplog):
    """The worker quit for good when Redis went away; now it logs an error and reconnects."""
    from redis.exceptions import ConnectionError as RedisDown

    from app.cli import worker as worker_cli

    attempts = []

    class _Worker:
        def work(self, burst, with_scheduler):
            attempts.append(burst)
            if len(attempts) < 3:
                raise RedisDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(run_queue, "make_worker", lambda connection, fork=True: _Worker())
    monkeypatch.setattr(worker_cli.time, "sleep", lambda seconds: None)
    with caplog.at_level("ERROR"):
        result = queue_app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code == 0, result.output
    assert attempts == [False, False, False]
    assert caplog.text.count("run queue unreachable") == 2
