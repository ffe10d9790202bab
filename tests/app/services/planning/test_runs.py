"""A coordinator plans a horizon with the optimizer, sees the plan, and publishes it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.models import BorderDecision, Inspection, Shipment, ScheduleRun
from app.services.seeding import seed


def _seeded(db_session):
    seed(db_session, demo_accounts=True)
    db_session.commit()


def test_coordinator_plans_and_publishes_a_week(client, auth, db_session):
    _seeded(db_session)
    auth.login("coordinator")
    today = datetime.now(timezone.utc).date()
    waiting = db_session.scalar(sa.select(sa.func.count()).select_from(Shipment)
                                .where(Shipment.status == "requested"))
    assert waiting > 0
    response = client.post("/coordinator/runs", data={"start_date": (today - timedelta(days=1)).isoformat(),
                                                       "days": 9, "time_limit_s": 5})
    assert response.status_code == 302
    run = db_session.scalar(sa.select(ScheduleRun).order_by(ScheduleRun.id.desc()))
    db_session.refresh(run)
    assert run.status == "succeeded", run.error
    assert run.stats["served"] > 0
    page = client.get(response.headers["Location"])
    assert b"Review and publish this plan" in page.data
    preview = client.get(f"/coordinator/runs/{run.id}/publish")
    assert preview.status_code == 200 and b"inspections added" in preview.data
    assert db_session.scalar(sa.select(ScheduleRun.published_at).where(ScheduleRun.id == run.id)) is None
    published = client.post(f"/coordinator/runs/{run.id}/publish")
    assert published.status_code == 302
    db_session.expire_all()
    planned = db_session.scalars(sa.select(Inspection).where(Inspection.schedule_run_id == run.id)).all()
    assert len(planned) == len(run.assignments)
    for inspection in planned:
        assert inspection.request.status == "scheduled"
        assert len([b for b in inspection.bookings if b.active]) == (2 if inspection.kind == "joint_inland" else 1)
    decided = db_session.scalars(sa.select(BorderDecision).where(BorderDecision.basis == "plan",
                                                                 BorderDecision.current)).all()
    assert {d.request_id for d in decided} >= {i.request_id for i in planned if i.kind == "joint_inland"}
    again = client.post(f"/coordinator/runs/{run.id}/publish", follow_redirects=True)
    assert b"already published" in again.data


def test_bad_horizon_is_refused_with_the_field_named(client_as):
    client = client_as("coordinator")
    response = client.post("/coordinator/runs", data={"start_date": "2027-03-01", "days": 0, "time_limit_s": 5})
    assert response.status_code == 422
    assert b'id="days-error"' in response.data


def test_progress_is_json_for_the_coordinator_only(client_as, users, db_session):
    run = ScheduleRun(horizon_start=datetime(2027, 3, 1, tzinfo=timezone.utc),
                      horizon_end=datetime(2027, 3, 8, tzinfo=timezone.utc), status="running",
                      progress={"served": 3, "phase": "cp-sat"})
    db_session.add(run)
    db_session.commit()
    response = client_as("coordinator").get(f"/coordinator/runs/{run.id}/progress.json")
    assert response.json == {"status": "running", "status_label": "running", "started_at": None,
                             "progress": {"served": 3, "phase": "cp-sat"}, "error": None}
    assert client_as("exporter").get(f"/coordinator/runs/{run.id}/progress.json").status_code == 403


def test_a_crashing_run_is_marked_failed(app, db_session, users, monkeypatch):
    from app.services.planning import runs as runs_service

    def explode(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(runs_service, "solve", explode)
    run = runs_service.start_run(db_session, users["coordinator"], datetime(2027, 3, 1, tzinfo=timezone.utc),
                                 datetime(2027, 3, 8, tzinfo=timezone.utc), time_limit_s=5)
    db_session.commit()
    with app.app_context():
        app.extensions["run_executor"].submit(run.id)
    db_session.refresh(run)
    assert run.status == "failed"
    assert "solver crashed" in run.error


def test_a_plan_avoids_the_past_and_time_inspectors_already_spend_elsewhere(db_session, users):
    from app.services.planning.scenario import build_scenario, free_parts
    from scheduling.domain import Shift
    from tests.factories import make_booking, make_inspection, make_inspector, make_shipment, make_shift, make_site

    t0 = datetime(2027, 3, 1, 12, 0, tzinfo=timezone.utc)
    shift = Shift(t0, t0 + timedelta(hours=8))
    busy = [(t0 + timedelta(hours=2), t0 + timedelta(hours=3))]
    parts = free_parts(shift, busy, not_before=t0 + timedelta(hours=1))
    assert [(p.start - t0, p.end - t0) for p in parts] == [
        (timedelta(hours=1), timedelta(hours=2)), (timedelta(hours=3), timedelta(hours=8))]

    site = make_site(db_session)
    inspector = make_inspector(db_session, "APHIS", site)
    make_shift(db_session, inspector, t0)
    done = make_inspection(db_session, make_shipment(db_session, status="inspected"), t0 + timedelta(hours=4),
                           site=site, status="done", result="pass")
    make_booking(db_session, done, inspector)
    db_session.commit()
    scenario, _ids = build_scenario(db_session, t0 - timedelta(days=1), t0 + timedelta(days=6))
    planned = next(i for i in scenario.inspectors if i.id == inspector.code)
    assert all(not (s.start < done.end and done.start < s.end) for s in planned.shifts)
    assert sum((s.end - s.start for s in planned.shifts), timedelta()) == timedelta(hours=8) - (done.end - done.start)


def test_a_split_run_shows_each_part_as_it_goes(client_as, app, users, db_session):
    """The optimizer solves a run's independent parts side by side; the run page follows each of them."""
    from app.db import db
    from app.services.planning.runs import _progress_writer
    from scheduling import Progress

    run = ScheduleRun(horizon_start=datetime(2027, 3, 1, tzinfo=timezone.utc),
                      horizon_end=datetime(2027, 3, 8, tzinfo=timezone.utc), status="running", progress={})
    db_session.add(run)
    db_session.commit()
    parts = (Progress(2.0, "optimal", 7, 4, 21, 21), Progress(3.5, "lns", 5, 2, 13, 17))
    _progress_writer(db.bound(app).session_factory, run.id)(
        Progress(3.5, "lns", 12, 6, 34, 38, part="2/2", parts=parts))
    coordinator = client_as("coordinator")
    stored = coordinator.get(f"/coordinator/runs/{run.id}/progress.json").json["progress"]
    assert stored["parts"] == [{"phase": "optimal", "served": 7, "waived": 4, "objective": 21, "bound": 21},
                               {"phase": "lns", "served": 5, "waived": 2, "objective": 13, "bound": 17}]
    page = coordinator.get(f"/coordinator/runs/{run.id}").get_data(as_text=True)
    rows = [row for row in page.split("<tr>") if row.startswith("<td>")]
    assert [row.split("</td>")[0] for row in rows] == ["<td>1/2", "<td>2/2"]
    assert "<td>optimal</td><td>7</td><td>4</td><td>21</td><td>21</td>" in page
    coordinator.post("/language", data={"language": "es"})
    assert "partes" in coordinator.get(f"/coordinator/runs/{run.id}").get_data(as_text=True)
