"""Optimizer runs through the API: start, follow, read the schedule in the exchange format, publish."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.services.seeding import seed
from scheduling.exchange import load_schedule


def test_run_through_the_api(client_as, db_session):
    seed(db_session, demo_accounts=False)
    db_session.commit()
    client = client_as("coordinator")
    start = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    response = client.post("/api/v1/runs", json={"horizon_start": start.isoformat(),
                                                 "horizon_end": (start + timedelta(days=7)).isoformat(),
                                                 "time_limit_s": 3})
    assert response.status_code == 202, response.json
    run_id = response.json["id"]
    run = client.get(f"/api/v1/runs/{run_id}").json
    assert run["status"] == "succeeded"
    schedule = client.get(f"/api/v1/runs/{run_id}/schedule")
    assert schedule.status_code == 200
    parsed = load_schedule(schedule.json)
    assert schedule.json["format"] == "jointinspect-schedule/1"
    assert len(parsed.assignments) == len(schedule.json["assignments"])
    published = client.post(f"/api/v1/runs/{run_id}/publish")
    assert published.status_code == 200
    assert client.post(f"/api/v1/runs/{run_id}/publish").status_code == 409


def test_a_horizon_without_offset_is_refused_with_the_field_named(client_as):
    response = client_as("coordinator").post("/api/v1/runs", json={"horizon_start": "2027-03-01T00:00:00",
                                                                   "horizon_end": "2027-03-08T00:00:00-06:00"})
    assert response.status_code == 422
    assert "horizon_start" in response.json["errors"]["json"]


def test_unknown_fields_are_refused(client_as):
    response = client_as("coordinator").post("/api/v1/runs", json={
        "horizon_start": "2027-03-01T00:00:00-06:00", "horizon_end": "2027-03-08T00:00:00-06:00", "colour": "red"})
    assert response.status_code == 422
    assert "colour" in response.json["errors"]["json"]


def test_exporters_cannot_start_runs(client_as):
    response = client_as("exporter").post("/api/v1/runs", json={
        "horizon_start": "2027-03-01T00:00:00-06:00", "horizon_end": "2027-03-08T00:00:00-06:00"})
    assert response.status_code == 403
