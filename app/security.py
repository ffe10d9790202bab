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


def refuse_nul_characters() -> None:
    """No input may carry a NUL character: PostgreSQL cannot store one, and no text needs it."""
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        inputs: Any = list(request.form.items(multi=True))
    elif request.mimetype == "application/json" or request.mimetype.endswith("+json"):
        inputs = request.get_json(silent=True)
    else:
        inputs = None
    if "\x00" in request.path or _holds_nul(list(request.args.items(multi=True))) or _holds_nul(inputs):
        abort(400, message="Text may not contain NUL characters.")


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_holds_nul(item) for item in value)
    return False


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
