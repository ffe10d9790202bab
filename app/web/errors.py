"""Error pages in the user's language, and JSON errors for the API."""

from __future__ import annotations

from flask import Flask, render_template, request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException

from ..extensions import api, db


def _handle(error: HTTPException):
    if request.path.startswith("/api/"):
        return api.handle_http_exception(error)  # one JSON shape, with the fields at fault
    template = f"errors/{error.code}.html" if error.code in (403, 404) else "errors/generic.html"
    return render_template(template, error=error), error.code


def _database_conflict(error: Exception):
    """Two people changing the same thing at once (a lock timeout, a deadlock): say so, change nothing."""
    db.session.rollback()
    return _handle(Conflict("Someone else was changing this at the same moment; reload and try again."))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(OperationalError, _database_conflict)
    app.register_error_handler(StaleDataError, _database_conflict)
    for code in (400, 403, 404, 405, 409, 413, 422, 429):
        app.register_error_handler(code, _handle)
