"""A database outage is a 503 with a message and an error log line; a lock conflict stays a 409; a killed connection never escapes as HTML."""

from __future__ import annotations

import logging
import os
import sqlite3

import pytest
import sqlalchemy as sa
from flask import Flask

from app import create_app
from app.db import db

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/nothing_listens_here"


@pytest.fixture
def make_app():
    """Apps of their own (their pools are closed afterwards, so no connection outlives the test)."""
    made: list[Flask] = []

    def _make(database_url: str, **extra) -> Flask:
        made.append(create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "outage",
                                "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "RUNS_INLINE": True,
                                "PROPAGATE_EXCEPTIONS": False, **extra}))
        return made[-1]

    yield _make
    for app in made:
        db.bound(app).engine.dispose()


def test_sign_in_during_an_outage_says_the_database_is_down_and_logs_it(make_app, caplog):
    client = make_app(UNREACHABLE).test_client()
    with caplog.at_level(logging.ERROR):
        response = client.post("/login", data={"username": "admin", "password": "whatever-password"})
    assert response.status_code == 503
    assert b"The database cannot be reached" in response.data
    assert b"Someone else was changing" not in response.data
    assert "database unavailable" in caplog.text and "OperationalError" in caplog.text


def test_an_api_call_during_an_outage_is_a_json_503_with_a_message(make_app, caplog):
    client = make_app(UNREACHABLE).test_client()
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/me", headers={"Authorization": "Bearer ji_" + "a" * 43})
    assert response.status_code == 503
    assert response.json["message"].startswith("The database cannot be reached")
    assert response.headers["Retry-After"]
    assert any(r.levelno == logging.ERROR and "database unavailable" in r.getMessage() for r in caplog.records)


def test_a_lock_timeout_is_still_a_conflict(make_app, database_url):
    app = make_app(database_url)

    @app.route("/api/v1/test-locked")
    def locked():
        raise sa.exc.OperationalError("UPDATE ...", {}, sqlite3.OperationalError("database is locked"))

    response = app.test_client().get("/api/v1/test-locked")
    assert response.status_code == 409
    assert "Someone else was changing this" in response.json["message"]


def test_a_connection_that_dies_under_a_request_gives_json_not_the_servers_html(make_app, database_url, monkeypatch):
    """The rollback at the end of a failed request meets the dead connection: the JSON answer still stands."""
    app = make_app(database_url)

    sessions = []

    @app.route("/api/v1/test-dies")
    def dies():
        db.session.execute(sa.text("SELECT 1"))
        sessions.append(db.session)
        monkeypatch.setattr(db.session, "rollback", _raise_disconnect)
        monkeypatch.setattr(db.session, "close", _raise_disconnect)
        _raise_disconnect()

    response = app.test_client().get("/api/v1/test-dies")
    monkeypatch.undo()
    sessions[0].close()  # the connection was not really dead: hand it back
    assert response.status_code == 503
    assert response.mimetype == "application/json"
    assert response.json["message"].startswith("The database cannot be reached")


def test_an_unexpected_error_on_an_api_path_is_json(make_app, database_url):
    app = make_app(database_url)

    @app.route("/api/v1/test-bug")
    def bug():
        raise RuntimeError("a bug")

    response = app.test_client().get("/api/v1/test-bug")
    assert response.status_code == 500
    assert response.mimetype == "application/json"


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"), reason="kills a PostgreSQL backend")
def test_a_postgresql_backend_killed_mid_request_is_a_503(make_app, database_url, caplog):
    app = make_app(database_url)

    @app.route("/api/v1/test-killed")
    def killed():
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        admin_engine = sa.create_engine(database_url)
        with admin_engine.connect() as admin:
            admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin_engine.dispose()
        db.session.execute(sa.text("SELECT 1"))
        return {}

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/api/v1/test-killed")
    assert response.status_code == 503
    assert response.json["message"].startswith("The database cannot be reached")
    assert "database unavailable" in caplog.text


def _raise_disconnect(*_args, **_kwargs):
    raise sa.exc.OperationalError("SELECT 1", {}, ConnectionError("server closed the connection unexpectedly"))
