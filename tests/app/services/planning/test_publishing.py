"""Publishing changes the live plan instead of replacing it, and never publishes what cannot happen."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.models import Inspection, ScheduleAssignment, ScheduleRun, Shift, UnscheduledRequest
from app.services.errors import ConflictError
from app.services.planning import moves
from app.services.planning.publishing import InvalidPlan, PlanReplaced, publish_run
from tests.factories import make_inspector, make_rule, make_shift, make_shipment, make_site

# Next Monday at 08:00 in central Mexico: in the future, inside the site's hours.
_today = datetime.now(timezone.utc).date()
DAY = _today + timedelta(days=7 - _today.weekday())
T0 = datetime(DAY.year, DAY.month, DAY.day, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def week(db_session, users):
    """One site with two teams on shift, three avocado shipments and a rule that waives their border inspection."""
    site = make_site(db_session, bays=3)
    teams = []
    for _ in range(2):
        team = [make_inspector(db_session, "APHIS", site), make_inspector(db_session, "SENASICA", site)]
        for inspector in team:
            make_shift(db_session, inspector, T0 - timedelta(hours=1), hours=10)
        teams.append(team)
    make_rule(db_session)
    shipments = [make_shipment(db_session, ready=T0 - timedelta(hours=2)) for _ in range(3)]
    db_session.commit()
    return site, teams, shipments


def make_run(db_session, week, slots, based_on=None, unscheduled=()) -> ScheduleRun:
    """A finished run: slots are (shipment index, minutes after T0, team index)."""
    site, teams, shipments = week
    run = ScheduleRun(horizon_start=T0 - timedelta(days=1), horizon_end=T0 + timedelta(days=5), status="succeeded",
                      based_on_run_id=based_on.id if based_on else None)
    for index, minutes, team in slots:
        assignment = ScheduleAssignment(request_id=shipments[index].id, kind="joint_inland", site_id=site.id,
                                        start=T0 + timedelta(minutes=minutes),
                                        end=T0 + timedelta(minutes=minutes + 90), waived=True)
        assignment.inspectors = list(teams[team])
        run.assignments.append(assignment)
    for index in unscheduled:
        run.unscheduled.append(UnscheduledRequest(request_id=shipments[index].id, reason_code="capacity",
                                                  reason_text="no free team"))
    db_session.add(run)
    db_session.commit()
    return run


def scheduled_ids(db_session) -> dict[int, int]:
    return dict(db_session.execute(sa.select(Inspection.request_id, Inspection.id)
                                   .where(Inspection.status == "scheduled")).all())


def test_publishing_the_same_plan_again_keeps_every_inspection_and_its_id(db_session, users, week):
    first = make_run(db_session, week, [(0, 0, 0), (1, 0, 1), (2, 120, 0)])
    publish_run(db_session, users["coordinator"], first.id)
    db_session.commit()
    before = scheduled_ids(db_session)
    second = make_run(db_session, week, [(0, 0, 0), (1, 0, 1), (2, 120, 0)], based_on=first)
    report = publish_run(db_session, users["coordinator"], second.id)
    db_session.commit()
    assert scheduled_ids(db_session) == before
    assert report.changes == {"kept": 3, "moved": 0, "added": 0, "dropped": 0, "released": 0}
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Inspection)) == 3  # no rows pile up
    db_session.refresh(first)
    assert (first.live, first.superseded_by_id, db_session.get(ScheduleRun, second.id).live) == (False, second.id,
                                                                                                   True)


def test_a_moved_inspection_keeps_its_id_and_says_what_moved_and_a_dropped_one_goes_back(db_session, users, week):
    first = make_run(db_session, week, [(0, 0, 0), (1, 0, 1), (2, 120, 0)])
    publish_run(db_session, users["coordinator"], first.id)
    db_session.commit()
    before = scheduled_ids(db_session)
    second = make_run(db_session, week, [(0, 0, 0), (1, 180, 1)], based_on=first, unscheduled=[2])
    report = publish_run(db_session, users["coordinator"], second.id)
    db_session.commit()
    _site, _teams, shipments = week
    moved = db_session.get(Inspection, before[shipments[1].id])
    assert moved.status == "scheduled" and moved.start == T0 + timedelta(minutes=180)
    assert moved.change_note["start"][0] == T0.isoformat() and moved.changed_at is not None
    dropped = db_session.get(Inspection, before[shipments[2].id])
    assert dropped.status == "cancelled" and "no free team" in dropped.cancel_reason
    db_session.refresh(shipments[2])
    assert shipments[2].status == "requested" and "no free team" in shipments[2].status_reason
    assert report.changes == {"kept": 1, "moved": 1, "added": 0, "dropped": 1, "released": 1}


def test_a_plan_started_before_another_was_published_is_refused(db_session, users, week):
    first = make_run(db_session, week, [(0, 0, 0)])
    late = make_run(db_session, week, [(1, 0, 1)])
    publish_run(db_session, users["coordinator"], first.id)
    db_session.commit()
    with pytest.raises(PlanReplaced) as refused:
        publish_run(db_session, users["coordinator"], late.id)
    assert isinstance(refused.value, ConflictError) and f"Run {first.id} was published" in refused.value.message


def test_a_plan_naming_an_unavailable_inspector_is_refused_with_the_list(db_session, users, week):
    _site, teams, shipments = week
    ill = teams[1][1]
    for shift in db_session.scalars(sa.select(Shift).where(Shift.inspector_id == ill.id)):
        shift.available, shift.unavailable_reason = False, "taken ill"
    run = make_run(db_session, week, [(0, 0, 0), (1, 0, 1)])
    with pytest.raises(InvalidPlan) as refused:
        publish_run(db_session, users["coordinator"], run.id)
    messages = refused.value.field_messages()
    assert list(messages) == [f"assignments[{shipments[1].reference}]"]
    assert "shift" in messages[f"assignments[{shipments[1].reference}]"]
    db_session.rollback()
    assert scheduled_ids(db_session) == {}


def test_the_live_plan_can_swap_two_inspections_and_unassign_one(db_session, users, week):
    first = make_run(db_session, week, [(0, 0, 0), (1, 120, 1)])
    publish_run(db_session, users["coordinator"], first.id)
    db_session.commit()
    before = scheduled_ids(db_session)
    a, b = sorted(first.assignments, key=lambda x: x.start)
    moves.swap(db_session, users["coordinator"], first, a, b)
    db_session.commit()
    _site, teams, shipments = week
    swapped = db_session.get(Inspection, before[shipments[0].id])
    assert swapped.start == T0 + timedelta(minutes=120)
    assert sorted(x.inspector_id for x in swapped.bookings if x.active) == sorted(i.id for i in teams[1])
    assert scheduled_ids(db_session) == before
    moves.unassign(db_session, users["coordinator"], first, db_session.get(ScheduleAssignment, b.id))
    db_session.commit()
    db_session.refresh(shipments[1])
    assert shipments[1].status == "requested"
    assert db_session.get(Inspection, before[shipments[1].id]).status == "cancelled"
