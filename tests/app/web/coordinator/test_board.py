"""The plan board: a planned run per site and per inspector, moving and pinning with every rule checked."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, Inspection, ScheduleAssignment, ScheduleRun
from app.services.seeding import seed

ROW = re.compile(r'<tr data-lane="([^"]+)" data-start="([^"]+)" data-end="([^"]+)">')


def plan(client, db_session, time_limit_s: int = 3) -> ScheduleRun:
    """Seed the demo data, sign in as the demo coordinator and plan nine days from yesterday."""
    seed(db_session, demo_accounts=True)
    db_session.commit()
    client.post("/login", data={"username": "coordinator", "password": "jointinspect-demo"})
    start = datetime.now(timezone.utc).date() - timedelta(days=1)
    response = client.post("/coordinator/runs", data={"start_date": start.isoformat(), "days": 9,
                                                       "time_limit_s": time_limit_s})
    run = db_session.get(ScheduleRun, int(response.headers["Location"].rsplit("/", 1)[1]))
    db_session.refresh(run)
    assert run.status == "succeeded", run.error
    return run


def local_day(assignment: ScheduleAssignment, zone: str | None = None):
    return assignment.start.astimezone(ZoneInfo(zone or assignment.site.timezone)).date()


def panels(html: str) -> list[str]:
    return html.split('<section class="board-panel"')[1:]


def lanes_of(panel: str) -> dict[str, list[tuple[datetime, datetime]]]:
    lanes: dict[str, list[tuple[datetime, datetime]]] = {}
    for lane, start, end in ROW.findall(panel):
        lanes.setdefault(lane, []).append((datetime.fromisoformat(start), datetime.fromisoformat(end)))
    return lanes


def assert_no_overlap(lanes):
    for lane, intervals in lanes.items():
        intervals.sort()
        for (_, end), (start, _) in zip(intervals, intervals[1:]):
            assert start >= end, f"lane {lane} overlaps"


@pytest.fixture
def planned(client, db_session):
    return plan(client, db_session)


def inland(db_session, run, **where):
    return db_session.scalars(sa.select(ScheduleAssignment).where(
        ScheduleAssignment.run_id == run.id, ScheduleAssignment.kind == "joint_inland", *where.values())
        .order_by(ScheduleAssignment.start)).all()


def test_the_board_shows_every_site_with_bays_as_lanes_that_never_overlap(client, db_session, planned):
    first = inland(db_session, planned)[0]
    day = local_day(first)
    page = client.get(f"/coordinator/runs/{planned.id}/board?view=site&day={day}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'role="img"' in html and "<desc" in html and "<title" in html
    shown = {}
    for panel in panels(html):
        lanes = lanes_of(panel)
        assert_no_overlap(lanes)
        for intervals in lanes.values():
            for start, _ in intervals:
                shown[start] = shown.get(start, 0) + 1
    same_day = [a for a in planned.assignments if local_day(a) == day]
    assert sum(shown.values()) == len(same_day)
    assert first.request.reference in html
    assert first.site.name in html and first.site.timezone in html
    assert "over capacity" not in html


def test_the_inspector_view_gives_each_inspector_a_lane_with_their_work(client, db_session, planned):
    first = inland(db_session, planned)[0]
    day = local_day(first)
    html = client.get(f"/coordinator/runs/{planned.id}/board?view=inspector&day={day}").get_data(as_text=True)
    for inspector in first.inspectors:
        assert f"{inspector.code} · {inspector.agency}" in html
    for panel in panels(html):
        assert_no_overlap(lanes_of(panel))  # one lane per inspector: nobody is in two places at once


def test_the_week_view_marks_waived_border_inspections_with_a_symbol_and_words(client, db_session, planned):
    waived = inland(db_session, planned, waived=ScheduleAssignment.waived.is_(True))
    assert waived, "the demo data has shipments a rule waives"
    html = client.get(f"/coordinator/runs/{planned.id}/board?period=week&day={local_day(waived[0])}").get_data(
        as_text=True)
    assert 'class="timeline week"' in html
    assert "◆ Border inspection waived" in html
    assert "bar c-0" in html or "bar c-" in html  # coloured by commodity, with a legend naming it
    assert waived[0].request.commodity.name_en in html.split('class="legend"', 1)[1].split("</ul>", 1)[0]


def test_the_unscheduled_list_gives_each_reason(client, db_session, planned):
    html = client.get(f"/coordinator/runs/{planned.id}/board").get_data(as_text=True)
    assert "Not scheduled" in html
    for u in planned.unscheduled:
        assert u.reason_text in html.replace("&#39;", "'")


def move_data(assignment: ScheduleAssignment, start: datetime, **changes) -> dict:
    aphis = next(i.id for i in assignment.inspectors if i.agency == "APHIS")
    senasica = next(i.id for i in assignment.inspectors if i.agency == "SENASICA")
    data = {"start": start.astimezone(ZoneInfo(assignment.site.timezone)).strftime("%Y-%m-%dT%H:%M"),
            "site": assignment.site_id, "aphis": aphis, "senasica": senasica}
    data.update(changes)
    return data


def snapshot(db_session, assignment_id: int):
    db_session.expire_all()
    a = db_session.get(ScheduleAssignment, assignment_id)
    return a.start, a.end, a.site_id, sorted(i.id for i in a.inspectors), a.pinned


def test_a_move_outside_the_site_hours_is_refused_with_the_reason_and_nothing_changes(client, db_session, planned):
    a = inland(db_session, planned)[0]
    before = snapshot(db_session, a.id)
    night = datetime.combine(local_day(a), datetime.min.time(), ZoneInfo(a.site.timezone)).replace(hour=2)
    response = client.post(f"/coordinator/runs/{planned.id}/assignments/{a.id}", data=move_data(a, night))
    assert response.status_code == 422
    assert "not inside one opening period of the site" in response.get_data(as_text=True)
    assert snapshot(db_session, a.id) == before


def test_double_booking_an_inspector_is_refused(client, db_session, planned):
    a, b = inland(db_session, planned)[:2]
    before = snapshot(db_session, a.id)
    taken = next(i for i in b.inspectors if i.agency == "APHIS")
    response = client.post(f"/coordinator/runs/{planned.id}/assignments/{a.id}",
                           data=move_data(a, b.start, site=b.site_id, aphis=taken.id))
    assert response.status_code == 422
    assert f"inspector {taken.code} is in two places at once" in response.get_data(as_text=True)
    assert snapshot(db_session, a.id) == before


def test_the_check_endpoint_answers_json_with_the_violations(client, db_session, planned):
    a = inland(db_session, planned)[0]
    night = datetime.combine(local_day(a), datetime.min.time(), ZoneInfo(a.site.timezone)).replace(hour=2)
    response = client.post(f"/coordinator/runs/{planned.id}/assignments/{a.id}/check", data=move_data(a, night))
    assert response.status_code == 200
    assert response.json["ok"] is False
    assert "site_hours" in {v["rule"] for v in response.json["violations"]}
    unchanged = client.post(f"/coordinator/runs/{planned.id}/assignments/{a.id}/check", data=move_data(a, a.start))
    assert unchanged.json == {**unchanged.json, "ok": True, "violations": []}


def a_valid_move(client, run, assignments):
    """The first shift of some assignment by up to an hour that the check accepts."""
    for a in assignments:
        for minutes in (15, -15, 30, -30, 60, -60):
            data = move_data(a, a.start + timedelta(minutes=minutes))
            if client.post(f"/coordinator/runs/{run.id}/assignments/{a.id}/check", data=data).json["ok"]:
                return a, data, a.start + timedelta(minutes=minutes)
    pytest.fail("no assignment can move by up to an hour")


def test_a_valid_move_is_saved_and_pinned(client, db_session, planned):
    a, data, new_start = a_valid_move(client, planned, inland(db_session, planned))
    response = client.post(f"/coordinator/runs/{planned.id}/assignments/{a.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    start, end, site, _, pinned = snapshot(db_session, a.id)
    assert start == new_start and end - start == a.end - a.start and pinned
    assert db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "schedule_assignment.moved",
                                                         AuditEntry.entity_id == str(a.id)))
    board = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "⚑ Pinned" in board


def scheduled_inland(db_session, assignment: ScheduleAssignment) -> Inspection:
    return db_session.scalar(sa.select(Inspection).where(
        Inspection.request_id == assignment.request_id, Inspection.kind == "joint_inland",
        Inspection.status == "scheduled"))


def test_a_move_on_the_live_plan_moves_the_inspection_itself_keeping_its_id(client, db_session, planned):
    assert client.post(f"/coordinator/runs/{planned.id}/publish").status_code == 302
    db_session.expire_all()
    assert db_session.get(ScheduleRun, planned.id).live
    a, data, new_start = a_valid_move(client, planned, [a for a in inland(db_session, planned)
                                                        if a.start > datetime.now(timezone.utc)])
    before = scheduled_inland(db_session, a)
    response = client.post(f"/coordinator/runs/{planned.id}/assignments/{a.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db_session.expire_all()
    after = scheduled_inland(db_session, a)
    assert after.id == before.id and after.start == new_start
    assert datetime.fromisoformat(after.change_note["start"][1]) == new_start
    assert sorted(b.inspector_id for b in after.bookings if b.active) == sorted(i.id for i in a.inspectors)


def test_a_replaced_plan_is_not_moved_by_hand(client, db_session, planned):
    planned.published_at = planned.superseded_at = datetime.now(timezone.utc)
    db_session.commit()
    a = inland(db_session, planned)[0]
    before = snapshot(db_session, a.id)
    page = client.get(f"/coordinator/runs/{planned.id}/assignments/{a.id}").get_data(as_text=True)
    assert "This plan was replaced by run" in page
    response = client.post(f"/coordinator/runs/{planned.id}/assignments/{a.id}",
                           data=move_data(a, a.start + timedelta(minutes=15)))
    assert response.status_code == 422
    assert "change the live plan instead" in response.get_data(as_text=True)
    assert snapshot(db_session, a.id) == before


def test_a_pinned_assignment_is_kept_by_the_re_plan_from_its_run(client, db_session, planned):
    a = inland(db_session, planned)[-1]
    assert client.post(f"/coordinator/runs/{planned.id}/assignments/{a.id}/pin",
                       data={"pinned": "1"}).status_code == 302
    response = client.post(f"/coordinator/runs/{planned.id}/replan")
    child = db_session.get(ScheduleRun, int(response.headers["Location"].rsplit("/", 1)[1]))
    db_session.refresh(child)
    assert child.status == "succeeded" and child.parent_run_id == planned.id
    kept = next(c for c in child.assignments if c.request_id == a.request_id and c.kind == "joint_inland")
    assert (kept.start, kept.site_id, sorted(i.id for i in kept.inspectors), kept.pinned) == \
        (a.start, a.site_id, sorted(i.id for i in a.inspectors), True)


@pytest.mark.parametrize("role", ["exporter", "inspector", "officer"])
def test_only_planners_see_the_board(client_as, db_session, role):
    run = ScheduleRun(horizon_start=datetime(2027, 3, 1, tzinfo=timezone.utc),
                      horizon_end=datetime(2027, 3, 8, tzinfo=timezone.utc), status="succeeded")
    db_session.add(run)
    db_session.commit()
    client = client_as(role)
    for path in (f"/coordinator/runs/{run.id}/board", f"/coordinator/runs/{run.id}/assignments/1",
                 f"/coordinator/runs/compare?a={run.id}&b={run.id}", "/coordinator/queue"):
        assert client.get(path).status_code == 403, path
    for path in (f"/coordinator/runs/{run.id}/assignments/1/check", f"/coordinator/runs/{run.id}/assignments/1/pin",
                 f"/coordinator/runs/{run.id}/replan", f"/coordinator/runs/{run.id}/assignments/1"):
        assert client.post(path).status_code == 403, path
