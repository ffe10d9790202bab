"""Liveness and readiness for monitoring: cheap, unauthenticated, and honest about what is down."""

from __future__ import annotations

import logging
from typing import Callable

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from ..db import db

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)
QUEUE_TIMEOUT_S = 2


@bp.route("/health")
def health():
    """The process answers: nothing else is asked, so a database outage does not restart healthy workers."""
    return jsonify(status="ok")


@bp.route("/ready")
def ready():
    """200 when the database (and the run queue and rate-limit store, where configured) answer; else 503."""
    checks = {"database": _check(_database)}
    if current_app.config.get("RUN_QUEUE_URL"):
        checks["queue"] = _check(lambda: _redis(current_app.config["RUN_QUEUE_URL"]))
    if str(current_app.config.get("RATELIMIT_STORAGE_URI", "")).startswith(("redis://", "rediss://")):
        checks["rate_limits"] = _check(lambda: _redis(current_app.config["RATELIMIT_STORAGE_URI"]))
    failing = [name for name, result in checks.items() if result != "ok"]
    if failing:
        log.error("not ready: %s", ", ".join(f"{name} ({checks[name]})" for name in failing))
    response = jsonify(status="unavailable" if failing else "ok", checks=checks)
    response.status_code = 503 if failing else 200
    response.headers["Cache-Control"] = "no-store"
    return response


def _check(probe: Callable[[], None]) -> str:
    try:
        probe()
    except Exception as error:  # any failure is the answer, named for the operator
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"[:300]
    return "ok"


def _database() -> None:
    # Its own short connection, not the request's session: a check must not hold a transaction.
    with db.engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))


def _redis(url: str) -> None:
    from redis import Redis

    client = Redis.from_url(url, socket_connect_timeout=QUEUE_TIMEOUT_S, socket_timeout=QUEUE_TIMEOUT_S)
    try:
        client.ping()
    finally:
        client.close()
