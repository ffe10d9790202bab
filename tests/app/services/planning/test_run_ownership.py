"""Runs end honestly: solved outside any transaction, one owner of the final state, cancel, heartbeats, shutdown."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app import create_app
from app.db import db
from app.migrate import upgrade
from app.models import ScheduleRun, User
from app.services.planning import executors, run_lease, runs
from app.services.seeding import seed

from ....conftest import scratch_database
from ....factories import DEMO_PASSWORD

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")


@pytest.fixture
def seeded_app(tmp_path):
    """The single-machine thread executor on a seeded scratch database with real commits."""
    with scratch_database("ownership", tmp_path) as url:
        upgrade(url)
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret",
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
        with db.bound(app).session_factory() as session:
            seed(session, demo_accounts=True)
            session.commit()
        yield app
        app.extensions["run_executor"].shutdown()
        db.bound(app).engine.dispose()


def _queued(app, days: int = 3, time_limit_s: int = 2) -> int:
    with db.bound(app).session_factory() as session:
        coordinator = session.scalar(sa.select(User).where(User.username == "coordinator"))
        start = datetime.now(timezone.utc) - timedelta(days=1)
        run = runs.start_run(session, coordinator, start, start + timedelta(days=days), time_limit_s=time_limit_s)
        session.commit()
        return run.id


def _run(app, run_id: int) -> ScheduleRun:
    with db.bound(app).session_factory() as session:
        run = session.get(ScheduleRun, run_id)
        run.assignments  # noqa: B018 - loaded before the session closes
        return run


def _factory(app):
    return db.bound(app).session_factory


def test_the_solver_works_while_no_connection_is_held(seeded_app, monkeypatch):
    """Finding 2: the whole solve held a transaction open ("idle in transaction" up to 600 s)."""
    real_solve, held = runs.solve, []

    def watching_solve(*args, **kwargs):
        held.append(db.bound(seeded_app).engine.pool.checkedout())
        return real_solve(*args, **kwargs)

    monkeypatch.setattr(runs, "solve", watching_solve)
    run_id = _queued(seeded_app)
    assert runs.execute_run(_factory(seeded_app), run_id) == "succeeded"
    assert held == [0]


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's idle_in_transaction_session_timeout")
def test_a_run_longer_than_the_idle_transaction_timeout_keeps_its_plan(seeded_app):
    url = seeded_app.config["DATABASE_URL"]
    name = sa.make_url(url).database
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'ALTER DATABASE "{name}" SET idle_in_transaction_session_timeout = \'1s\'')
    admin.dispose()
    db.bound(seeded_app).engine.dispose()  # new connections take the setting
    run_id = _queued(seeded_app, days=9, time_limit_s=3)
    assert runs.execute_run(_factory(seeded_app), run_id) == "succeeded", _run(seeded_app, run_id).error
    assert _run(seeded_app, run_id).assignments


def test_a_late_solver_never_overwrites_recovery(seeded_app, monkeypatch):
    """Finding 3: recovery failed the run, then its orphaned solver set it to succeeded."""
    real_solve = runs.solve

    def solve_while_recovered(*args, **kwargs):
        schedule = real_solve(*args, **kwargs)
        with _factory(seeded_app)() as session:  # recovery decides while the solver is still at work
            run_lease.finish_unfinished(session, [run_id], "failed", run_lease.STALE_ERROR)
            session.commit()
        return schedule

    monkeypatch.setattr(runs, "solve", solve_while_recovered)
    run_id = _queued(seeded_app)
    assert runs.execute_run(_factory(seeded_app), run_id) == "failed"
    run = _run(seeded_app, run_id)
    assert (run.status, run.error, run.assignments) == ("failed", run_lease.STALE_ERROR, [])


def test_a_run_cancelled_before_it_starts_is_never_solved(seeded_app, monkeypatch):
    monkeypatch.setattr(runs, "solve", lambda *a, **k: pytest.fail("a cancelled run was solved"))
    run_id = _queued(seeded_app)
    client = seeded_app.test_client()
    client.post("/login", data={"username": "coordinator", "password": DEMO_PASSWORD})
    response = client.post(f"/api/v1/runs/{run_id}/cancel")
    assert response.status_code == 200 and response.json["status"] == "cancelled"
    assert runs.execute_run(_factory(seeded_app), run_id) == "cancelled"
    again = client.post(f"/api/v1/runs/{run_id}/cancel")
    assert again.status_code == 409


def _solves_until_stopped(monkeypatch) -> None:
    """The solver works until told to stop (at most a minute): whatever the week, it is still at work."""
    real_solve = runs.solve

    def slow_solve(*args, stop=None, **kwargs):
        stop.wait(60)
        return real_solve(*args, stop=stop, **kwargs)

    monkeypatch.setattr(runs, "solve", slow_solve)


def test_the_run_page_cancels_a_running_run_and_its_solver_stops(seeded_app, monkeypatch):
    _solves_until_stopped(monkeypatch)
    run_id = _queued(seeded_app, days=31, time_limit_s=120)
    client = seeded_app.test_client()
    client.post("/login", data={"username": "coordinator", "password": DEMO_PASSWORD})
    executor = seeded_app.extensions["run_executor"]
    future = executor.submit(run_id)
    deadline = time.monotonic() + 30
    while _run(seeded_app, run_id).status != "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    page = client.get(f"/coordinator/runs/{run_id}").get_data(as_text=True)
    assert f"/coordinator/runs/{run_id}/cancel" in page
    started = time.monotonic()
    assert client.post(f"/coordinator/runs/{run_id}/cancel").status_code == 302
    assert future.result(timeout=60) == "cancelled"
    assert time.monotonic() - started < 30
    run = _run(seeded_app, run_id)
    assert run.status == "cancelled" and run.error == "cancelled by coordinator" and run.assignments == []
    assert "cancelled" in client.get(f"/coordinator/runs/{run_id}").get_data(as_text=True)


def test_a_cancel_from_another_process_stops_the_solver_at_the_next_heartbeat(seeded_app):
    run_id = _queued(seeded_app)
    stop = threading.Event()
    keeper = run_lease.LeaseKeeper(lambda: _factory(seeded_app), lambda: {run_id: stop})
    keeper.beat()
    assert not stop.is_set()
    with _factory(seeded_app)() as session:  # another gunicorn worker, another machine
        runs.cancel_run(session, session.scalar(sa.select(User).where(User.username == "coordinator")), run_id)
        session.commit()
    keeper.beat()
    assert stop.is_set()


def test_heartbeats_keep_a_held_run_and_recovery_fails_one_whose_process_is_gone(seeded_app):
    held, orphan = _queued(seeded_app), _queued(seeded_app)
    long_ago = datetime.now(timezone.utc) - timedelta(minutes=5)
    with _factory(seeded_app)() as session:
        session.execute(sa.update(ScheduleRun).values(created_at=long_ago, heartbeat_at=long_ago))
        session.commit()
    recovered = []
    keeper = run_lease.LeaseKeeper(lambda: _factory(seeded_app), lambda: {held: threading.Event()},
                                   recover=lambda: recovered.append(executors.recover_runs(_factory(seeded_app))) or 0)
    keeper.beat()  # renews the held run first, then the periodic recovery is due
    assert recovered == [1]
    assert _run(seeded_app, held).status == "queued"
    assert (_run(seeded_app, orphan).status, _run(seeded_app, orphan).error) == ("failed", run_lease.STALE_ERROR)


def test_a_failed_status_write_is_retried_and_logged(seeded_app, monkeypatch, caplog):
    monkeypatch.setattr(runs, "STATUS_RETRY_S", 0.01)
    real_claim, calls = runs._claim, []

    def flaky_claim(session, run_id):
        calls.append(run_id)
        if len(calls) < 3:
            raise sa.exc.OperationalError("UPDATE schedule_runs", {}, Exception("database is locked"))
        return real_claim(session, run_id)

    monkeypatch.setattr(runs, "_claim", flaky_claim)
    run_id = _queued(seeded_app)
    with caplog.at_level(logging.WARNING):
        assert runs.execute_run(_factory(seeded_app), run_id) == "succeeded"
    assert len(calls) == 3
    assert "writing the status of run" in caplog.text and "attempt 2 of 5" in caplog.text


def test_a_stopping_process_fails_its_run_at_once_instead_of_waiting_for_the_solver(tmp_path):
    """Finding 3: a normal stop with a run in flight took 31.5 s (until gunicorn killed the worker)."""
    with scratch_database("ownership_stop", tmp_path) as url:
        upgrade(url)
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x", "RATELIMIT_ENABLED": False})
        with db.bound(app).session_factory() as session:
            seed(session, demo_accounts=True)
            session.commit()
        run_id = _queued(app, days=31, time_limit_s=120)
        db.bound(app).engine.dispose()
        # gunicorn turns SIGTERM into a normal exit of the worker; so does this child.
        child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
            import signal, sys, time
            from app import create_app
            from app.services.planning import runs
            real_solve = runs.solve
            def slow_solve(*args, stop=None, **kwargs):  # still at work when the stop comes
                stop.wait(60)
                return real_solve(*args, stop=stop, **kwargs)
            runs.solve = slow_solve
            signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
            app = create_app({{"TESTING": True, "DATABASE_URL": {url!r}, "SECRET_KEY": "x"}})
            app.extensions["run_executor"].submit({run_id})
            print("submitted", flush=True)
            time.sleep(600)
        """)], stdout=subprocess.PIPE, text=True, cwd=os.getcwd())
        assert child.stdout.readline().strip() == "submitted"
        deadline = time.monotonic() + 30
        while _run(app, run_id).status != "running" and time.monotonic() < deadline:
            time.sleep(0.1)
        started = time.monotonic()
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=25)
        child.stdout.close()
        assert time.monotonic() - started < 10
        run = _run(app, run_id)
        assert (run.status, run.error) == ("failed", executors.SHUTDOWN_ERROR)
        db.bound(app).engine.dispose()
