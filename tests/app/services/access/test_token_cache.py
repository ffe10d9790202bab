"""Remembered bearer tokens: no lookup per call, yet a revocation or a change of user counts at once.

Two apps on one committed database stand for two gunicorn workers: one remembers a token, the
other (or the database directly) changes it, and the first must refuse or re-read it within
moments. PostgreSQL only: SQLite has no notifications, and there nothing is remembered.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from app import create_app
from app.db import db, make_engine
from app.migrate import upgrade
from app.models import ApiToken, User, utcnow
from app.services.access.token_cache import cache_for
from app.services.access.tokens import issue_token, revoke_token
from tests.conftest import scratch_database
from tests.factories import make_user

POSTGRESQL_ONLY = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
                                     reason="notifications are PostgreSQL's; on SQLite nothing is remembered "
                                            "(test_off_on_sqlite_and_when_set_to_zero)")
SETTLE = 5.0  # seconds a notification may take to arrive, at most; it takes milliseconds


def _app(url: str, seconds: float | None = 60):
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                       "RATELIMIT_ENABLED": False, "RUNS_INLINE": True, "TOKEN_CACHE_SECONDS": seconds})


@pytest.fixture
def live(tmp_path) -> Iterator[tuple[str, sessionmaker]]:
    with scratch_database("tokencache", tmp_path) as url:
        upgrade(url)
        engine = make_engine(url)
        yield url, sessionmaker(bind=engine, expire_on_commit=False)
        engine.dispose()


@pytest.fixture
def workers(live) -> Iterator[Callable]:
    """Start apps on the live database (each its own cache and listener); all are closed afterwards."""
    started = []

    def start(seconds: float | None = 60):
        app = _app(live[0], seconds)
        started.append(app)
        cache = cache_for(app)
        if cache is not None:
            assert cache.listening(wait=SETTLE), "the listener did not start"
        return app

    yield start
    for app in started:
        cache = cache_for(app)
        if cache is not None:
            cache.close()
        db.bound(app).engine.dispose()


def _token(factory: sessionmaker, role: str = "coordinator") -> tuple[int, int, str]:
    with factory() as session:
        user = make_user(session, role=role)
        token, secret = issue_token(session, user, "erp")
        session.commit()
        return user.id, token.id, secret


def _me(app, secret: str):
    return app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})


def _until(check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def _token_lookups(app) -> list[str]:
    """The statements that read api_tokens, recorded from the app's engine."""
    seen: list[str] = []

    @event.listens_for(db.bound(app).engine, "before_cursor_execute")
    def record(_conn, _cursor, statement, *_args) -> None:
        if "FROM api_tokens" in statement:
            seen.append(statement)

    return seen


@POSTGRESQL_ONLY
def test_a_remembered_token_is_not_looked_up_again(live, workers):
    app = workers()
    _user, _token_id, secret = _token(live[1])
    lookups = _token_lookups(app)
    assert _me(app, secret).status_code == 200
    assert len(lookups) == 1
    for _ in range(5):
        assert _me(app, secret).json["role"] == "coordinator"
    assert len(lookups) == 1


@POSTGRESQL_ONLY
def test_a_revoked_token_is_refused_by_every_worker_at_once(live, workers):
    first, second = workers(), workers()
    _user, token_id, secret = _token(live[1])
    assert _me(first, secret).status_code == 200
    assert _me(second, secret).status_code == 200
    with second.app_context():  # revoked through the other worker's app, as an admin's click would be
        revoke_token(db.session, db.session.get(ApiToken, token_id))
        db.session.commit()
    assert _until(lambda: _me(first, secret).status_code == 401)
    assert _me(second, secret).status_code == 401


@pytest.mark.parametrize("change", ["deactivated", "role", "deleted"])
@POSTGRESQL_ONLY
def test_a_changed_user_is_read_again(live, workers, change):
    app = workers()
    user_id, _token_id, secret = _token(live[1])
    assert _me(app, secret).json["role"] == "coordinator"
    with live[1]() as session:
        user = session.get(User, user_id)
        if change == "deactivated":
            user.active = False
        elif change == "role":
            user.role = "supervisor"
        else:
            session.delete(user)
        session.commit()
    if change == "role":
        assert _until(lambda: _me(app, secret).json["role"] == "supervisor")
    else:
        assert _until(lambda: _me(app, secret).status_code == 401)


@POSTGRESQL_ONLY
def test_sign_in_bookkeeping_does_not_empty_the_cache(live, workers):
    app = workers()
    user_id, _token_id, secret = _token(live[1])
    assert _me(app, secret).status_code == 200
    lookups = _token_lookups(app)
    with live[1]() as session:
        session.get(User, user_id).failed_logins = 3
        session.commit()
    time.sleep(0.5)  # a notification, had one been sent, would have arrived
    assert _me(app, secret).status_code == 200
    assert lookups == []


@POSTGRESQL_ONLY
def test_a_token_that_expires_while_remembered_is_refused(live, workers):
    app = workers()
    _user, token_id, secret = _token(live[1])
    with live[1]() as session:
        session.get(ApiToken, token_id).expires_at = utcnow() + timedelta(seconds=1)
        session.commit()
    assert _until(lambda: _me(app, secret).status_code == 200)
    time.sleep(1.2)
    assert _me(app, secret).status_code == 401


@POSTGRESQL_ONLY
def test_last_use_is_still_recorded(live, workers):
    app = workers()
    _user, token_id, secret = _token(live[1])
    assert _me(app, secret).status_code == 200
    with live[1]() as session:
        assert session.get(ApiToken, token_id).last_used_at is not None


@POSTGRESQL_ONLY
def test_without_its_listener_nothing_is_remembered(live, workers):
    app = workers()
    _user, _token_id, secret = _token(live[1])
    cache = cache_for(app)
    cache.close()
    lookups = _token_lookups(app)
    for _ in range(3):
        assert _me(app, secret).status_code == 200
    assert len(lookups) == 3


def test_off_on_sqlite_and_when_set_to_zero(tmp_path, live):
    assert cache_for(_app(f"sqlite:///{tmp_path / 'x.db'}")) is None
    assert cache_for(_app(live[0], seconds=0)) is None
    # Tests that roll their transactions back announce nothing, so the suite's apps remember nothing.
    assert cache_for(_app(live[0], seconds=None)) is None
