"""Error pages in the user's language, and JSON errors for the API: a conflict is a 409, an outage a 503."""

from __future__ import annotations

import logging

from flask import Flask, g, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, PendingRollbackError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError, ServiceUnavailable

from ..db import is_lock_conflict, safe_rollback
from ..extensions import api, db, login_manager

log = logging.getLogger(__name__)
RETRY_AFTER_S = 5


def _handle(error: HTTPException):
    if request.path.startswith("/api/"):
        if not getattr(error, "data", None) and error.description:
            error.data = {"message": str(error.description)}  # flask-smorest shows only `data`'s message
        return api.handle_http_exception(error)  # one JSON shape, with the fields at fault
    template = f"errors/{error.code}.html" if error.code in (403, 404) else "errors/generic.html"
    return render_template(template, error=error), error.code


def _database_error(error: Exception):
    """A lock timeout or deadlock is two people at once (409); anything else is the database failing (503)."""
    safe_rollback(db.session)
    if isinstance(error, StaleDataError) or (isinstance(error, OperationalError) and is_lock_conflict(error)):
        log.info("write conflict answered 409: %s", _cause(error))
        return _handle(Conflict(str(_l("Someone else was changing this at the same moment; reload and try again."))))
    return database_unavailable(error)


def database_unavailable(error: Exception):
    """503 with a message and Retry-After, and an error log line naming the cause, so alerts fire."""
    log.error("database unavailable: %s", _cause(error), exc_info=error)
    # The page header would load the signed-in user from the database that just failed.
    g._login_user = login_manager.anonymous_user()
    refusal = ServiceUnavailable(str(_l("The database cannot be reached just now; nothing was changed. "
                                        "Try again in a moment.")))
    response = make_response(_handle(refusal))
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _server_error(error: InternalServerError):
    """Flask has logged the traceback already; the API keeps its JSON shape for a 500 too."""
    safe_rollback(db.session)
    return _handle(error)


def _cause(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    return f"{type(original).__name__}: {str(original).strip().splitlines()[0] if str(original).strip() else ''}"


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(OperationalError, _database_error)
    app.register_error_handler(StaleDataError, _database_error)
    # A connection killed under a request, a pool with no connection to give, or a session whose
    # connection broke earlier in the request: the database is not answering.
    for unavailable in (DisconnectionError, PoolTimeout, PendingRollbackError):
        app.register_error_handler(unavailable, database_unavailable)
    app.register_error_handler(DBAPIError, _unavailable_if_disconnected)
    app.register_error_handler(InternalServerError, _server_error)
    for code in (400, 401, 403, 404, 405, 409, 413, 422, 429, 503):
        app.register_error_handler(code, _handle)


def _unavailable_if_disconnected(error: DBAPIError):
    """InterfaceError and the like: an outage when the connection is gone, else a bug (500, logged)."""
    if error.connection_invalidated or type(error).__name__ == "InterfaceError":
        return database_unavailable(error)
    safe_rollback(db.session)
    log.error("database error: %s", _cause(error), exc_info=error)
    return _handle(InternalServerError())
