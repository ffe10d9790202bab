"""Nothing is recorded before it can have happened, and the border decides on the truck's real arrival."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.services.border import overview as seals
from app.services.border.border_result import record_border_result
from app.services.dashboard import avoided
from app.services.dashboard.periods import period_between
from app.services.errors import WorkflowError

from .seal_scenario import seal_scenario

NUMBER = "NOGA-314159"


@pytest.fixture
def sealed(db_session, users):
    scenario = seal_scenario(db_session, users, ready=datetime.now(timezone.utc) - timedelta(days=8))
    seals.record_result(db_session, users["inspector"], scenario.inspection, "pass", None, [(NUMBER, "mechanical")])
    db_session.commit()
    return scenario


def test_a_result_before_its_inspection_starts_is_refused_with_the_time_that_would_do(app, db_session, users):
    later = seal_scenario(db_session, users, ready=datetime.now(timezone.utc) + timedelta(days=2))
    with app.test_request_context(), pytest.raises(WorkflowError) as refused:
        seals.record_result(db_session, users["inspector"], later.inspection, "pass", None, [])
    assert refused.value.field == "result" and "can be recorded from" in refused.value.message
    assert later.site.timezone and "CST" in refused.value.message  # in the site's own zone


def test_an_arrival_in_the_future_or_before_the_inspection_ended_is_refused(app, db_session, users, sealed):
    end = sealed.inspection.end
    with app.test_request_context():
        for arrived_at, words in ((datetime.now(timezone.utc) + timedelta(hours=2), "in the future"),
                                  (end - timedelta(minutes=30), "can be recorded from")):
            with pytest.raises(WorkflowError) as refused:
                seals.verify_seals(db_session, users["officer"], sealed.request, {NUMBER: "intact"}, [],
                                   arrived_at=arrived_at)
            assert refused.value.field == "arrived_at" and words in refused.value.message
            db_session.rollback()
    db_session.refresh(sealed.request)
    assert sealed.request.status == "sealed" and sealed.request.arrived_at is None


def test_a_truck_later_than_its_rule_allows_is_inspected_and_not_counted_as_avoided(app, db_session, users, sealed):
    arrived = sealed.inspection.end + timedelta(hours=144)
    with app.test_request_context():
        outcome = seals.verify_seals(db_session, users["officer"], sealed.request, {NUMBER: "intact"}, [],
                                     arrived_at=arrived)
    db_session.commit()
    assert outcome.decision.decision == "required"
    assert [r["code"] for r in outcome.decision.reasons] == ["arrived_too_late"]
    assert outcome.decision.reasons[0]["params"] == {"hours_after": 144, "max_hours": 48}
    assert sealed.request.status == "at_border" and sealed.request.arrived_at == arrived
    with app.test_request_context():
        record_border_result(db_session, users["officer"], sealed.request, "pass", "")
    db_session.commit()
    today = datetime.now(timezone.utc).date()
    realised = avoided.realised(db_session, period_between(today - timedelta(days=30), today))
    assert (realised.waived, realised.required) == (0, 1)  # crossed after a border inspection


def test_a_truck_within_its_hours_is_released_and_counted_on_its_day(app, db_session, users, sealed):
    arrived = sealed.inspection.end + timedelta(hours=30)
    with app.test_request_context():
        outcome = seals.verify_seals(db_session, users["officer"], sealed.request, {NUMBER: "intact"}, [],
                                     arrived_at=arrived)
    db_session.commit()
    assert outcome.decision.decision == "waived" and sealed.request.status == "released"
    today = datetime.now(timezone.utc).date()
    assert avoided.realised(db_session, period_between(today - timedelta(days=30), today)).waived == 1
