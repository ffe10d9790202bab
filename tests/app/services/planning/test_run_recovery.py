"""Faults: runs whose process is gone end failed (by heartbeat), a crashing run leaves published data alone."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from app import create_app
from app.db import db
from app.migrate import upgrade
from app.models import Inspection, Shipment, InspectorBooking, ScheduleRun, User
from app.services.planning import runs as runs_service
from app.services.planning.run_lease import STALE_ERROR
from app.services.seeding import seed

from ....conftest import scratch_database


def _config(url: str) -> dict:
    # No RUNS_INLINE and no RUN_QUEUE_URL: the single-machine thread executor.
    return {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False}


def _left_behind(url: str, heard_ago: timedelta = timedelta(minutes=5)) -> dict[str, int]:
    """A seeded database with a run left running and one left queued, last heard of `heard_ago`."""
    upgrade(url)
    engine = db_engine(url)
    with sa.orm.Session(engine) as session:
        seed(session, demo_accounts=True)
        ids = {}
        for status in ("running", "queued", "succeeded"):
            heard = datetime.now(timezone.utc) - heard_ago
            run = ScheduleRun(horizon_start=datetime(2027, 3, 1, tzinfo=timezone.utc),
                              horizon_end=datetime(2027, 3, 8, tzinfo=timezone.utc), status=status, progress={},
                              created_at=heard, heartbeat_at=heard)
            session.add(run)
            session.flush()
            ids[status] = run.id
        session.commit()
    engine.dispose()
    return ids


def db_engine(url: str) -> sa.Engine:
    from app.db import make_engine

    return make_engine(url)


def _status(app, run_id: int) -> ScheduleRun:
    with db.bound(app).session_factory() as session:
        return session.get(ScheduleRun, run_id)


def test_runs_left_running_by_a_stopped_app_fail_at_start(tmp_path):
    with scratch_database("recover_start", tmp_path) as url:
        ids = _left_behind(url)
        app = create_app(_config(url))
        for status in ("running", "queued"):
            run = _status(app, ids[status])
            assert run.status == "failed"
            assert run.error == STALE_ERROR
            assert run.finished_at is not None
        assert _status(app, ids["succeeded"]).status == "succeeded"
        db.bound(app).engine.dispose()


def test_a_live_sibling_process_keeps_its_running_run(tmp_path):
    """A run whose holder renewed its heartbeat a moment ago is being solved: start leaves it alone."""
    with scratch_database("recover_sibling", tmp_path) as url:
        ids = _left_behind(url, heard_ago=timedelta(seconds=3))
        app = create_app(_config(url))
        assert _status(app, ids["running"]).status == "running"
        assert _status(app, ids["queued"]).status == "queued"
        db.bound(app).engine.dispose()


def test_start_on_a_database_not_migrated_yet_is_quiet_and_quick(tmp_path):
    with scratch_database("recover_empty", tmp_path) as url:
        if url.startswith("sqlite"):
            Path(sa.make_url(url).database).touch()  # exists, but holds no tables
        started = time.monotonic()
        app = create_app(_config(url))
        assert time.monotonic() - started < 5
        assert "run_executor" in app.extensions
        db.bound(app).engine.dispose()


def test_start_never_creates_a_missing_sqlite_file(tmp_path):
    missing = tmp_path / "nothing-here.db"
    create_app(_config(f"sqlite:///{missing}"))
    assert not missing.exists()


def test_the_thread_executor_cancels_a_long_run(tmp_path):
    with scratch_database("thread_cancel", tmp_path) as url:
        _left_behind(url)
        app = create_app(_config(url))
        with db.bound(app).session_factory() as session:
            coordinator = session.scalar(sa.select(User).where(User.username == "coordinator"))
            start = datetime.now(timezone.utc) - timedelta(days=1)
            run = runs_service.start_run(session, coordinator, start, start + timedelta(days=31), time_limit_s=120)
            session.commit()
        executor = app.extensions["run_executor"]
        started = time.monotonic()
        future = executor.submit(run.id)
        threading.Timer(1.0, executor.cancel, args=(run.id,)).start()
        future.result(timeout=60)
        assert time.monotonic() - started < 30
        assert _status(app, run.id).status == "succeeded"
        db.bound(app).engine.dispose()


def _published(session) -> list[tuple]:
    rows = session.execute(sa.select(Inspection.id, Inspection.request_id, Inspection.kind, Inspection.site_id,
                                     Inspection.start, Inspection.end, Inspection.status, Inspection.version_id,
                                     Inspection.schedule_run_id).order_by(Inspection.id)).all()
    bookings = session.execute(sa.select(InspectorBooking.inspection_id, InspectorBooking.inspector_id,
                                         InspectorBooking.start, InspectorBooking.end, InspectorBooking.active)
                               .order_by(InspectorBooking.inspection_id, InspectorBooking.inspector_id)).all()
    requests = session.execute(sa.select(Shipment.id, Shipment.status)
                               .order_by(Shipment.id)).all()
    return [tuple(r) for r in [*rows, *bookings, *requests]]


def test_a_run_crashing_while_storing_leaves_published_inspections_as_they_were(client, auth, db_session,
                                                                                monkeypatch):
    seed(db_session, demo_accounts=True)
    db_session.commit()
    auth.login("coordinator")
    start = (datetime.now(timezone.utc).date() - timedelta(days=1)).isoformat()
    first = client.post("/coordinator/runs", data={"start_date": start, "days": 9, "time_limit_s": 2})
    first_id = int(first.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/coordinator/runs/{first_id}/publish").status_code == 302
    db_session.expire_all()
    before = _published(db_session)
    assert before, "the first plan published nothing"
    original = runs_service.store_result

    def store_half_then_crash(session, run, schedule, ids):
        original(session, run, schedule, ids)  # the whole result is written, then the process "dies"
        session.flush()
        raise RuntimeError("killed while storing")

    monkeypatch.setattr(runs_service, "store_result", store_half_then_crash)
    second = client.post("/coordinator/runs", data={"start_date": start, "days": 9, "time_limit_s": 2})
    second_id = int(second.headers["Location"].rsplit("/", 1)[1])
    db_session.expire_all()
    crashed = db_session.get(ScheduleRun, second_id)
    assert crashed.status == "failed"
    assert "killed while storing" in crashed.error
    assert crashed.assignments == []
    assert _published(db_session) == before
