"""Idempotency-Key: a retried create returns the first answer; a reused key with another body is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.models import IdempotencyKey, ScheduleRun, utcnow
from app.services.access import idempotency
from tests.factories import make_user

BODY = {"horizon_start": "2027-03-01T00:00:00-06:00", "horizon_end": "2027-03-08T00:00:00-06:00", "time_limit_s": 5}


class _NoRuns:
    """Stands in for the run executor: these tests are about the request, not the solver."""

    def __init__(self) -> None:
        self.submitted: list[int] = []

    def submit(self, run_id: int) -> None:
        self.submitted.append(run_id)


@pytest.fixture
def planner(app, client_as):
    app.extensions["run_executor"] = _NoRuns()
    return client_as("coordinator")


def _runs(db_session) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(ScheduleRun))


def test_a_retry_returns_the_first_response_without_creating_again(planner, db_session):
    first = planner.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": "run-2027-w9"})
    again = planner.post("/api/v1/runs", json=dict(reversed(list(BODY.items()))), headers={"Idempotency-Key": "run-2027-w9"})
    assert first.status_code == again.status_code == 202
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _runs(db_session) == 1


def test_the_same_key_with_another_body_is_refused(planner, db_session):
    planner.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": "k1"})
    other = planner.post("/api/v1/runs", json={**BODY, "time_limit_s": 6}, headers={"Idempotency-Key": "k1"})
    assert other.status_code == 422
    assert "different request" in other.json["message"]
    assert "Idempotency-Key" in other.json["errors"]["headers"]
    assert _runs(db_session) == 1


def test_without_a_key_every_post_creates(planner, db_session):
    planner.post("/api/v1/runs", json=BODY)
    planner.post("/api/v1/runs", json=BODY)
    assert _runs(db_session) == 2


def test_keys_belong_to_one_user(app, planner, db_session, users):
    make_user(db_session, role="coordinator", username="second-planner")
    db_session.commit()
    other = app.test_client()
    other.post("/login", data={"username": "second-planner", "password": "jointinspect-demo"})
    assert planner.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": "shared"}).status_code == 202
    assert other.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": "shared"}).status_code == 202
    assert _runs(db_session) == 2


def test_a_refused_request_keeps_no_key_so_the_fixed_retry_runs(planner, db_session):
    bad = planner.post("/api/v1/runs", json={**BODY, "colour": "red"}, headers={"Idempotency-Key": "k2"})
    assert bad.status_code == 422
    assert db_session.scalar(sa.select(sa.func.count()).select_from(IdempotencyKey)) == 0
    assert planner.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": "k2"}).status_code == 202


def test_a_key_still_running_answers_409(planner, db_session, users):
    db_session.add(IdempotencyKey(user_id=users["coordinator"].id, key="busy", method="POST", path="/api/v1/runs",
                                  request_hash="0" * 64))
    db_session.commit()
    response = planner.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": "busy"})
    # The stored hash differs from this body's, so it is refused as a different request first.
    assert response.status_code == 422
    with planner.application.test_request_context("/api/v1/runs", method="POST", json=BODY):
        fingerprint = idempotency.request_fingerprint()
    db_session.execute(sa.update(IdempotencyKey).values(request_hash=fingerprint))
    db_session.commit()
    response = planner.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": "busy"})
    assert response.status_code == 409
    assert "still running" in response.json["message"]


def test_a_key_whose_request_died_is_released_after_a_short_lease(planner, db_session, users):
    """The worker was killed mid-request: the reservation has no answer; a retry a minute later runs."""
    with planner.application.test_request_context("/api/v1/runs", method="POST", json=BODY):
        fingerprint = idempotency.request_fingerprint()
    db_session.add(IdempotencyKey(user_id=users["coordinator"].id, key="died", method="POST", path="/api/v1/runs",
                                  request_hash=fingerprint, created_at=utcnow() - idempotency.IN_FLIGHT_LEASE
                                  - timedelta(seconds=1)))
    db_session.commit()
    response = planner.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": "died"})
    assert response.status_code == 202
    assert _runs(db_session) == 1
    assert planner.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": "died"}).json == response.json
    assert idempotency.IN_FLIGHT_LEASE <= timedelta(minutes=2)


@pytest.mark.parametrize("key", ["", "x" * 256, "has space"])
def test_malformed_keys_are_refused(planner, db_session, key):
    response = planner.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": key})
    assert response.status_code == 422
    assert _runs(db_session) == 0


def test_an_expired_key_is_forgotten(planner, db_session):
    planner.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": "old"})
    db_session.execute(sa.update(IdempotencyKey).values(created_at=utcnow() - timedelta(days=2)))
    db_session.commit()
    assert planner.post("/api/v1/runs", json=BODY, headers={"Idempotency-Key": "old"}).status_code == 202
    assert _runs(db_session) == 2
    assert idempotency.purge_expired(db_session) == 0


def test_losing_the_race_for_a_key_returns_the_winner(db_session, users, monkeypatch):
    """Two retries at once: the unique (user, key) constraint lets exactly one claim it."""
    user_id = users["coordinator"].id
    earlier, claimed = idempotency.claim(db_session, user_id, "race", "POST", "/api/v1/runs", "a" * 64)
    assert earlier is None and claimed is not None
    real_find = idempotency._find
    calls = []

    def blind_first_lookup(session, uid, key):
        calls.append(key)
        return None if len(calls) == 1 else real_find(session, uid, key)

    monkeypatch.setattr(idempotency, "_find", blind_first_lookup)
    earlier, claimed_again = idempotency.claim(db_session, user_id, "race", "POST", "/api/v1/runs", "a" * 64)
    assert claimed_again is None and earlier.id == claimed.id


def test_the_header_is_documented(client):
    operation = client.get("/api/openapi.json").json["paths"]["/api/v1/runs"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])
    assert {"409", "422"} <= set(operation["responses"])
