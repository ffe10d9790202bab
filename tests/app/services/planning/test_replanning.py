"""After a disruption the coordinator re-plans: what still works stays, the rest moves, the page says what."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.models import Inspection, InspectorBooking, ScheduleRun, Shift, Site
from app.services.seeding import seed


def _plan_and_publish(client, start_day) -> ScheduleRun:
    response = client.post("/coordinator/runs", data={"start_date": start_day.isoformat(), "days": 9,
                                                       "time_limit_s": 5})
    run_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/coordinator/runs/{run_id}/publish")
    return run_id


def test_an_inspector_off_sick_is_planned_around_and_the_rest_kept(client, auth, db_session):
    seed(db_session, demo_accounts=True)
    db_session.commit()
    auth.login("coordinator")
    start_day = datetime.now(timezone.utc).date() - timedelta(days=1)
    first = _plan_and_publish(client, start_day)
    booking = db_session.scalar(
        sa.select(InspectorBooking).join(Inspection).where(Inspection.schedule_run_id == first, InspectorBooking.active,
                                                           Inspection.kind == "joint_inland"))
    sick = booking.inspector_id
    day = booking.start.astimezone(timezone(timedelta(hours=-6))).date()
    response = client.post(f"/coordinator/inspectors/{sick}", data={"first_day": day.isoformat(),
                                                                     "last_day": day.isoformat(), "reason": "flu"})
    assert response.status_code == 302
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Shift)
                             .where(Shift.inspector_id == sick, Shift.available.is_(False))) >= 1
    second = _plan_and_publish(client, start_day)
    run = db_session.get(ScheduleRun, second)
    db_session.refresh(run)
    changes = run.stats["changes"]
    assert changes["moved"] or changes["dropped"]
    assert changes["kept"], "unaffected assignments must stay as they were"
    page = client.get(f"/coordinator/runs/{second}")
    assert b"What changed from the published plan" in page.data
    active = db_session.scalars(sa.select(InspectorBooking).join(Inspection)
                                .where(Inspection.schedule_run_id == second, InspectorBooking.active)).all()
    assert all(not (b.inspector_id == sick and b.start.astimezone(timezone(timedelta(hours=-6))).date() == day)
               for b in active)


def test_closing_a_site_needs_a_reason_and_then_nothing_is_planned_there(client, auth, db_session):
    seed(db_session, demo_accounts=True)
    db_session.commit()
    auth.login("coordinator")
    uruapan = db_session.scalar(sa.select(Site).where(Site.code == "MX-URUAPAN"))
    refused = client.post(f"/coordinator/sites/{uruapan.id}", data={"reason": ""})
    assert refused.status_code == 422
    assert b'id="reason-error"' in refused.data
    closed = client.post(f"/coordinator/sites/{uruapan.id}", data={"reason": "security incident in Uruapan"})
    assert closed.status_code == 302
    run_id = _plan_and_publish(client, datetime.now(timezone.utc).date() - timedelta(days=1))
    run = db_session.get(ScheduleRun, run_id)
    db_session.refresh(run)
    assert run.status == "succeeded"
    assert all(a.site_id != uruapan.id for a in run.assignments)
    assert b"security incident in Uruapan" in client.get(f"/coordinator/sites/{uruapan.id}").data
