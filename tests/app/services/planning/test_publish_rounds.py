"""Issue 13, finding 8: ten rounds of planning and publishing one week leave no pile of cancelled inspections."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.models import Inspection, ScheduleRun
from app.services.seeding import seed


def _plan_and_publish(client, start: str) -> int:
    started = client.post("/coordinator/runs", data={"start_date": start, "days": 7, "time_limit_s": 1})
    run_id = int(started.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/coordinator/runs/{run_id}/publish").status_code == 302
    return run_id


def test_ten_rounds_of_publishing_leave_no_pile_of_cancelled_rows(client, auth, db_session):
    seed(db_session, demo_accounts=True)
    db_session.commit()
    auth.login("coordinator")
    start = (datetime.now(timezone.utc).date() + timedelta(days=1)).isoformat()
    runs = [_plan_and_publish(client, start) for _ in range(10)]
    db_session.expire_all()
    by_status = Counter(db_session.scalars(sa.select(Inspection.status).where(Inspection.kind == "joint_inland")))
    scheduled = by_status["scheduled"]
    assert scheduled > 0
    # A new plan changes inspections in place; only shipments it no longer serves are cancelled.
    assert by_status["cancelled"] <= scheduled // 4, by_status
    live = db_session.scalars(sa.select(ScheduleRun.id).where(ScheduleRun.published_at.is_not(None),
                                                             ScheduleRun.superseded_at.is_(None))).all()
    assert live == [runs[-1]]


def test_a_second_publish_from_a_plan_replaced_since_answers_409(client, auth, db_session):
    seed(db_session, demo_accounts=True)
    db_session.commit()
    auth.login("coordinator")
    start = (datetime.now(timezone.utc).date() + timedelta(days=1)).isoformat()
    _plan_and_publish(client, start)
    ids = []
    for _ in range(2):  # two coordinators load the live plan and plan from it
        started = client.post("/coordinator/runs", data={"start_date": start, "days": 7, "time_limit_s": 1})
        ids.append(int(started.headers["Location"].rsplit("/", 1)[1]))
    assert client.post(f"/coordinator/runs/{ids[0]}/publish").status_code == 302
    assert client.post(f"/coordinator/runs/{ids[1]}/publish").status_code == 409
    assert client.post(f"/api/v1/runs/{ids[1]}/publish").status_code == 409
