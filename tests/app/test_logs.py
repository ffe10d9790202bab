"""Logs are JSON lines; each request has an id (echoed in X-Request-ID) and an access line with its latency."""

from __future__ import annotations

import io
import json
import logging

import pytest

from app.logs import configure_logging


@pytest.fixture
def json_logs():
    stream = io.StringIO()
    configure_logging("INFO", stream)
    yield stream
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "jointinspect_json", False)]:
        root.removeHandler(handler)


def _lines(captured: str) -> list[dict]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def test_each_request_gets_an_access_line_with_id_method_path_status_and_latency(client, json_logs):
    response = client.get("/health")
    lines = [line for line in _lines(json_logs.getvalue()) if line.get("logger") == "jointinspect.access"]
    assert len(lines) == 1
    line = lines[0]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/health", 200)
    assert isinstance(line["latency_ms"], float)
    assert line["request_id"] == response.headers["X-Request-ID"]


def test_a_plain_request_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client):
    assert client.get("/health", headers={"X-Request-ID": "abc12345-proxy"}).headers["X-Request-ID"] == "abc12345-proxy"
    replaced = client.get("/health", headers={"X-Request-ID": 'x" injected'}).headers["X-Request-ID"]
    assert "\n" not in replaced and "injected" not in replaced


def test_an_error_with_its_traceback_is_one_json_line(json_logs):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("app.test").exception("it failed")
    (line,) = [line for line in _lines(json_logs.getvalue()) if line.get("event") == "it failed"]
    assert line["level"] == "error"
    assert line["exception"][0]["exc_type"] == "ValueError"
