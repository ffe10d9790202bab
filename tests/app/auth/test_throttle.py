"""Sign-in throttling slows guessing by address and by account, never keeps the right password out, and tells no names."""

from __future__ import annotations

import logging

import pytest

from app import create_app
from app.db import db
from app.extensions import limiter
from tests.factories import DEMO_PASSWORD


def _limited(app, monkeypatch, storage: str = "memory://"):
    monkeypatch.setattr("app.auth.routes.verify_password", lambda stored, given: given == DEMO_PASSWORD)
    limited = create_app({**{k: app.config[k] for k in ("TESTING", "DATABASE_URL", "SECRET_KEY", "RUNS_INLINE")},
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage})
    db.bound(limited).session_factory = db.bound(app).session_factory
    return limited


@pytest.fixture
def limited_app(app, db_session, monkeypatch):
    limited = _limited(app, monkeypatch)
    yield limited
    db.bound(limited).engine.dispose()


def _attempt(client, name: str, password: str = "wrong", address: str = "10.9.9.9"):
    return client.post("/login", data={"username": name, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_an_attacker_cannot_keep_the_account_owner_out(limited_app, users):
    owner = limited_app.test_client()
    assert _attempt(owner, "test-admin", DEMO_PASSWORD, "10.1.1.1").status_code == 302
    owner.post("/logout")
    attacker = limited_app.test_client()
    answers = [_attempt(attacker, "test-admin", "wrong", f"10.2.0.{n % 40}").status_code for n in range(60)]
    assert 429 in answers  # the attacker is slowed down
    assert _attempt(owner, "test-admin", DEMO_PASSWORD, "10.1.1.1").status_code == 302  # the owner is not


def test_the_right_password_is_not_refused_after_wrong_ones_from_another_address(limited_app, users):
    client = limited_app.test_client()
    for _ in range(5):
        _attempt(client, "test-coordinator", "wrong", "10.3.3.3")
    assert _attempt(client, "test-coordinator", "wrong", "10.3.3.3").status_code == 429  # this address must wait
    other = limited_app.test_client()
    assert _attempt(other, "test-coordinator", DEMO_PASSWORD, "10.4.4.4").status_code == 302


def test_known_and_unknown_names_answer_alike(limited_app, users):
    client = limited_app.test_client()
    known = [_attempt(client, "test-supervisor", "wrong", "10.5.5.5").status_code for _ in range(12)]
    unknown = [_attempt(client, "no-such-person", "wrong", "10.6.6.6").status_code for _ in range(12)]
    assert known == unknown
    assert known[0] == 401 and known[-1] == 429
    limiter.reset()  # the windows pass: no lock is left on the known name either
    after = [_attempt(client, name, "wrong", "10.5.5.5").status_code for name in ("test-supervisor", "no-such-person")]
    assert after == [401, 401]
    assert _attempt(client, "test-supervisor", DEMO_PASSWORD, "10.8.8.8").status_code == 302


def test_successful_sign_ins_use_up_no_attempts(limited_app, users):
    client = limited_app.test_client()
    for _ in range(25):
        assert _attempt(client, "test-exporter", DEMO_PASSWORD, "10.7.7.7").status_code == 302
        client.post("/logout")


def test_sign_in_works_with_redis_down_and_says_so_in_the_log(app, db_session, monkeypatch, users, caplog):
    limited = _limited(app, monkeypatch, "redis://127.0.0.1:1/0")
    with caplog.at_level(logging.WARNING):
        response = _attempt(limited.test_client(), "test-officer", DEMO_PASSWORD)
    assert response.status_code == 302
    assert "falling back to in-memory storage" in caplog.text
