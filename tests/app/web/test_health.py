"""/health answers without the database; /ready says which dependency is down, with 503 and a log line."""

from __future__ import annotations

import logging

import pytest

from app import create_app
from app.db import db


@pytest.fixture
def _app():
    """Apps of their own (their pools are closed afterwards, so no connection outlives the test)."""
    made = []

    def _make(database_url: str, **extra):
        made.append(create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "health",
                                "RUNS_INLINE": True, **extra}))
        return made[-1]

    yield _make
    for app in made:
        db.bound(app).engine.dispose()


def test_liveness_answers_even_when_the_database_is_down(_app):
    client = _app("postgresql+psycopg://postgres@127.0.0.1:1/none").test_client()
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readiness_checks_the_database(_app, database_url):
    response = _app(database_url).test_client().get("/ready")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok"}


def test_readiness_is_503_naming_the_database_when_it_is_down(_app, caplog):
    client = _app("postgresql+psycopg://postgres@127.0.0.1:1/none").test_client()
    with caplog.at_level(logging.ERROR):
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.json["checks"]["database"].startswith("OperationalError")
    assert "not ready: database" in caplog.text


def test_readiness_is_503_naming_the_queue_when_redis_is_down(_app, database_url):
    client = _app(database_url, RUN_QUEUE_URL="redis://127.0.0.1:1/0", RUNS_INLINE=False).test_client()
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["queue"].startswith("ConnectionError")
