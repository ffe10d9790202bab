"""Two runs side by side: the coordinator sees both runs' figures and what one serves that the other does not."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.models import ScheduleAssignment, ScheduleRun, Site

from .test_board import plan


def served(db_session, run) -> set[str]:
    return {a.request.reference for a in db_session.scalars(sa.select(ScheduleAssignment).where(
        ScheduleAssignment.run_id == run.id, ScheduleAssignment.kind == "joint_inland"))}


def figure(html: str, name: str) -> list[str]:
    return re.findall(rf'<td data-figure="{name}">([^<]+)</td>', html)


def test_compare_shows_both_runs_figures_and_the_shipments_only_one_serves(client, db_session):
    first = plan(client, db_session)
    uruapan = db_session.scalar(sa.select(Site).where(Site.code == "MX-URUAPAN"))
    assert client.post(f"/coordinator/sites/{uruapan.id}", data={"reason": "road blocked"}).status_code == 302
    response = client.post(f"/coordinator/runs/{first.id}/replan")
    second = db_session.get(ScheduleRun, int(response.headers["Location"].rsplit("/", 1)[1]))
    db_session.refresh(second)
    assert second.status == "succeeded"
    page = client.get(f"/coordinator/runs/compare?a={first.id}&b={second.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    served_a, served_b = served(db_session, first), served(db_session, second)
    assert figure(html, "served") == [f"{len(served_a)} / {first.stats['requests']}",
                                      f"{len(served_b)} / {second.stats['requests']}"]
    waived = [sum(1 for a in r.assignments if a.waived) for r in (first, second)]
    assert figure(html, "waived") == [str(w) for w in waived]
    assert figure(html, "unscheduled") == [str(len(first.unscheduled)), str(len(second.unscheduled))]
    for label in ("Minutes of inspector travel", "Inspector utilisation", "Seconds to the first plan",
                  "Solver status", "Objective / bound"):
        assert label in html
    only_a = sorted(served_a - served_b)
    assert only_a, "closing Uruapan must cost some shipments their plan"
    listed = html.split('id="only-a"', 1)[1].split("</ul>", 1)[0]
    assert all(f"<li>{ref}</li>" in listed for ref in only_a)


def test_compare_without_a_second_run_picks_the_one_it_was_re_planned_from(client_as, db_session, users):
    from datetime import datetime, timezone

    horizon = {"horizon_start": datetime(2027, 3, 1, tzinfo=timezone.utc),
               "horizon_end": datetime(2027, 3, 8, tzinfo=timezone.utc), "status": "succeeded"}
    parent = ScheduleRun(**horizon, stats={"requests": 0})
    db_session.add(parent)
    db_session.flush()
    child = ScheduleRun(**horizon, stats={"requests": 0}, parent_run_id=parent.id)
    db_session.add(child)
    db_session.commit()
    html = client_as("coordinator").get(f"/coordinator/runs/compare?a={child.id}").get_data(as_text=True)
    assert f"Run B ({parent.id})" in html
    assert client_as("coordinator").get("/coordinator/runs/compare?a=999999&b=1").status_code == 404
