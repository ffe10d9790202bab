"""Is it safe? The rates the supervisors read are the border inspections' own, with their intervals."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.services.agreements import measures
from app.services.border.border_result import record_border_result
from app.services.dashboard.periods import period_between
from app.services.dashboard.safety import safety

from ..border.safety_scenario import at_the_border, intercepted


def test_verified_and_inspected_loads_are_compared_with_their_intervals(app, db_session, users):
    with app.test_request_context():
        for index in range(3):  # three verifications, one of them intercepting
            scenario = at_the_border(db_session, users, f"NOGA-64000{index}", verification_rate=1.0)
            if index == 0:
                intercepted(db_session, users, scenario)
            else:
                record_border_result(db_session, users["officer"], scenario.request, "pass", "", pests_found=False)
        pending = at_the_border(db_session, users, "NOGA-640009", verification_rate=1.0)  # at the port now
    db_session.flush()
    today = datetime.now(timezone.utc).date()
    figures = safety(db_session, period_between(today - timedelta(days=7), today), datetime.now(timezone.utc))
    verified = figures.overall.verified
    assert (verified.events, verified.trials) == (1, 3) and 0 < verified.low < 1 / 3 < verified.high < 1
    assert figures.overall.inspected.trials == 0 and figures.overall.difference.value is None
    assert figures.verifications_done == 3 and figures.verifications_pending == 1
    assert figures.suspensions_in_force == 0  # one interception is below the exporter's threshold of two
    [by_port] = figures.by["port"]
    assert by_port.key == pending.port.code and by_port.verified.trials == 3
    assert [c.key for c in figures.by["month"]] == [today.strftime("%Y-%m")]


def test_the_joint_work_plan_measures_the_verified_rate_against_the_inspected_rate(app, db_session, users):
    with app.test_request_context():
        verified = at_the_border(db_session, users, "NOGA-641001", verification_rate=1.0)
        record_border_result(db_session, users["officer"], verified.request, "pass", "", pests_found=False)
        inspected = at_the_border(db_session, users, "NOGA-641002", verification_rate=0.0,
                                  days_ago=5, arrive_after_hours=60)  # too late for the waiver: inspected in full
        intercepted(db_session, users, inspected)
    db_session.flush()
    today = datetime.now(timezone.utc).date()
    period = period_between(today - timedelta(days=7), today)
    rate = measures.compute(db_session, "verified_interception_rate", period)
    assert (rate.value, rate.numbers["intercepted"], rate.numbers["inspected"]) == (0.0, 0, 1)
    gap = measures.compute(db_session, "interception_rate_gap", period)
    assert gap.value == -100.0 and gap.unit == "points"  # 0 of 1 verified against 1 of 1 inspected
    assert gap.numbers["fully_inspected"]["intercepted"] == 1 and gap.numbers["significant"] is False
    assert measures.target_met(gap.value, 0, "at_most")
