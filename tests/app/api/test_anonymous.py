"""Every API write without a session or a token answers 401 (what is missing), not 400 about CSRF."""

from __future__ import annotations

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _api_writes(app) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "x")
        found += [(method, path) for method in sorted(rule.methods & set(WRITES))]
    return found


def test_there_are_api_writes_to_check(app):
    assert len(_api_writes(app)) >= 9


def test_anonymous_api_writes_are_refused_with_401(app, db_session):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    answers = {f"{method} {path}": client.open(path, method=method, json={}).status_code
               for method, path in _api_writes(app)}
    assert {call: code for call, code in answers.items() if code != 401} == {}


def test_a_cookie_session_still_needs_the_csrf_token(app, client_as):
    client = client_as("coordinator")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/api/v1/runs", json={}).status_code == 400
