"""Logs as JSON lines: every record through structlog, one access line per request with its id and latency."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import IO

import structlog
from flask import Flask, Response, g, request

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is kept only when it is short and plain, so it cannot forge log lines.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]

access_log = structlog.get_logger("jointinspect.access")


def route_structlog_to_stdlib() -> None:
    """structlog's loggers hand their events to the standard library, where handlers (and pytest) see them."""
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *_SHARED, structlog.stdlib.PositionalArgumentsFormatter(),
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def configure_logging(level: str = "INFO", stream: IO[str] | None = None) -> None:
    """Route the standard library's records (the app's, SQLAlchemy's, RQ's, gunicorn's) to JSON lines on stderr.

    Idempotent: a second app in the same process (tests, the CLI) leaves one handler in place.
    """
    route_structlog_to_stdlib()
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.dict_tracebacks, structlog.processors.JSONRenderer()],
    )
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "jointinspect_json", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.jointinspect_json = True  # type: ignore[attr-defined]
    handler.setFormatter(formatter)
    root.addHandler(handler)
    root.setLevel(level)
    # gunicorn's own loggers (worker boots, timeouts, crashes) go through the same handler.
    for name in ("gunicorn.error", "gunicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True


def request_id() -> str:
    """This request's id: the proxy's X-Request-ID when it is plain, else a new one."""
    return g.get("request_id", "")


def _begin() -> None:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if _ACCEPTABLE_ID.fullmatch(offered) else uuid.uuid4().hex
    g.request_started = time.perf_counter()
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=g.request_id)


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    started = g.get("request_started")
    latency_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    user = _user_id()
    log = access_log.warning if response.status_code >= 500 else access_log.info
    log("request", method=request.method, path=request.path, status=response.status_code, latency_ms=latency_ms,
        user_id=user, remote_addr=request.remote_addr)
    return response


def _user_id() -> int | None:
    # The user was loaded (or not) by now; asking flask-login here would query the database again.
    user = g.get("_login_user")
    return getattr(user, "id", None) if user is not None and getattr(user, "is_authenticated", False) else None


def _forget(_exc: BaseException | None) -> None:
    structlog.contextvars.clear_contextvars()


def init_app(app: Flask) -> None:
    """Registered first, so the request id is bound before anything else can log."""
    if not app.testing and app.config.get("LOG_JSON", True):
        configure_logging(app.config.get("LOG_LEVEL", "INFO"))
    else:
        route_structlog_to_stdlib()
    app.before_request(_begin)
    app.after_request(_finish)
    app.teardown_request(_forget)
