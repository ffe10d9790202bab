"""What every API operation refuses before its view runs: query parameters it does not know, and empty changes.

docs/api.md promises 422 for unknown fields in a body or a query. Bodies are checked by each
operation's schema; a query parameter was silently ignored wherever an operation declares no
query schema, so a typo (`?stauts=`) went unnoticed. The operation's parameters are read from
the OpenAPI description, which is what clients are told, so the two cannot disagree.
"""

from __future__ import annotations

import re

from flask import Flask, current_app, request
from flask_login import current_user
from flask_smorest import abort

from ..extensions import api

_CONVERTER = re.compile(r"<(?:[a-zA-Z_]+:)?([a-zA-Z_][a-zA-Z0-9_]*)>")
CHANGE_METHODS = ("PATCH",)


def refuse_unknown_query_parameters() -> None:
    rule = request.url_rule
    if rule is None or not request.args:
        return
    known = _query_parameters().get((_CONVERTER.sub(r"{\1}", rule.rule), request.method.lower()))
    if known is None:  # not an operation of the OpenAPI description (the docs page, the description itself)
        return
    unknown = sorted(set(request.args) - known)
    if unknown:
        abort(422, message=f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.",
              errors={"query": {name: ["Unknown field."] for name in unknown}})


def refuse_empty_changes() -> None:
    """A PATCH must change something: no body, or an empty object, is a client's mistake (422)."""
    if request.method not in CHANGE_METHODS or request.url_rule is None:
        return
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not body:
        abort(422, message="Send a JSON object with at least one field to change.",
              errors={"json": {"_schema": ["Send at least one field to change."]}})


def _query_parameters() -> dict[tuple[str, str], set[str]]:
    """(path, method) -> the query parameters its OpenAPI operation declares; built once per app."""
    cached = current_app.extensions.get("api_query_parameters")
    if cached is None:
        cached = {}
        for path, item in api.spec.to_dict().get("paths", {}).items():
            shared = _names(item.get("parameters", []))
            for method, operation in item.items():
                if isinstance(operation, dict) and method != "parameters":
                    cached[(path, method)] = shared | _names(operation.get("parameters", []))
        current_app.extensions["api_query_parameters"] = cached
    return cached


def _names(parameters: list) -> set[str]:
    return {p["name"] for p in parameters if isinstance(p, dict) and p.get("in") == "query"}


def init_app(app: Flask) -> None:
    for check in (refuse_unknown_query_parameters, refuse_empty_changes):
        app.before_request(_only_for_the_api(check))


def _only_for_the_api(check):
    def guarded() -> None:
        # The anonymous hear 401 first (what is missing), from the operation itself.
        if request.path.startswith("/api/v1/") and current_user.is_authenticated:
            check()

    guarded.__name__ = check.__name__
    return guarded
