"""Security headers on every response, and CSRF on every cookie-authenticated change."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, render_template, request
from flask_login import current_user
from flask_smorest import abort
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.routing import IntegerConverter

from .auth import authenticated_by_bearer
from .extensions import csrf

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def add_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if _personal():
        # A signed-in page or an API answer (tokens, certificates, a company's shipments) must not
        # stay in a shared browser's or a proxy's cache for the next person.
        response.headers.setdefault("Cache-Control", "no-store")
    _name_allowed_methods(response)
    return response


def _personal() -> bool:
    if request.path.startswith(("/static/", "/api/docs")):  # the same for everyone
        return False
    return request.path.startswith("/api/") or _signed_in()


def _signed_in() -> bool:
    # The user flask-login loaded for this request, if any: asking current_user would load it now.
    user = g.get("_login_user")
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _name_allowed_methods(response: Response) -> None:
    """A 405 must say which methods are allowed; the JSON and page error handlers drop that header."""
    error = request.routing_exception
    if response.status_code == 405 and isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers.setdefault("Allow", ", ".join(sorted(error.valid_methods)))


def protect_from_csrf() -> None:
    """Check CSRF on every unsafe request, except those that carry a valid bearer token.

    A browser never adds an Authorization header on its own, so a token-bearing request cannot
    be forged from another site; a cookie, which the browser does add, still needs the CSRF token.
    Runs after the bearer token is resolved (app.config sets WTF_CSRF_CHECK_DEFAULT to False so
    Flask-WTF does not check earlier on its own).
    """
    if not current_app.config.get("WTF_CSRF_ENABLED", True) or authenticated_by_bearer():
        return
    if request.path.startswith("/api/") and not current_user.is_authenticated:
        return  # nobody to act for: the view answers 401, which tells the client what is missing
    csrf.protect(apply_exemptions=True)


def csrf_refused(error: CSRFError):
    """Say what is missing: API clients get the JSON error shape with the reason, pages the error page."""
    if request.path.startswith("/api/"):
        message = f"{error.description} Send the X-CSRFToken header with a cookie session, or use a bearer token."
        return {"code": 400, "status": "Bad Request", "message": message}, 400
    return render_template("errors/generic.html", error=error), 400


MAX_JSON_DEPTH = 32


def refuse_nul_characters() -> None:
    """No input may carry text a database cannot store, nor JSON nested past any real document.

    PostgreSQL refuses a NUL character and every driver a lone UTF-16 surrogate ("\\ud800" in
    JSON); a document nested hundreds of levels deep exhausts the recursion of whatever walks it.
    Each is a 400 naming the problem, checked before sign-in so no view ever sees one.
    """
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        inputs: Any = list(request.form.items(multi=True))
    elif request.mimetype == "application/json" or request.mimetype.endswith("+json"):
        try:
            inputs = request.get_json(silent=True)
        except RecursionError:
            abort(400, message=f"JSON may be nested at most {MAX_JSON_DEPTH} levels deep.")
    else:
        inputs = None
    problem = _text_problem([request.path, list(request.args.items(multi=True)), inputs])
    if problem:
        abort(400, message=problem)


def _text_problem(value: Any) -> str | None:
    """Walks the input without recursion: what is wrong with it, or None."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            return f"JSON may be nested at most {MAX_JSON_DEPTH} levels deep."
        if isinstance(item, str):
            if "\x00" in item:
                return "Text may not contain NUL characters."
            if not _encodable(item):
                return "Text must be valid Unicode: a lone surrogate (\\ud800-\\udfff) is not a character."
        elif isinstance(item, dict):
            pending.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, (list, tuple)):
            pending.extend((part, depth + 1) for part in item)
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # only a lone surrogate cannot be UTF-8
        return False
    return True


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in URLs, bounded by a database INTEGER: a huge id is "not found", not a database error."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Called before blueprints are registered, so every `<int:...>` route gets the bounded converter."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.before_request(protect_from_csrf)
    app.before_request(refuse_nul_characters)
    app.register_error_handler(CSRFError, csrf_refused)
    app.after_request(add_security_headers)
