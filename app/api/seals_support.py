"""Turning a seal workflow's refusals into API answers, and committing what it did."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_smorest import abort
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..services.errors import WorkflowError
from ..services.border.overview import OutOfScope

T = TypeVar("T")
ERROR_RESPONSES = {
    401: "Not signed in", 403: "Your role does not allow this", 404: "No such object of yours",
    409: "Changed by someone else meanwhile; read it again", 422: "Refused: the field at fault is named",
}
from .refusals import refuse


def run_workflow(step: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one step and commit; a refusal rolls back and answers with the field named."""
    try:
        outcome = step(db.session, *args, **kwargs)
        db.session.commit()
        return outcome
    except OutOfScope:
        db.session.rollback()
        abort(404, message="Not found.")
    except WorkflowError as error:
        refuse(error)
    except (StaleDataError, IntegrityError, OperationalError):
        # Two people acting at once: the version column or a unique seal number caught it.
        db.session.rollback()
        abort(409, message="Someone else changed this shipment meanwhile; read it again and retry.")


def document_errors(blp, *codes: int) -> Callable:
    """@blp.alt_response for each error code a view can answer."""

    def decorator(view: Callable) -> Callable:
        for code in codes:
            view = blp.alt_response(code, description=ERROR_RESPONSES[code])(view)
        return view

    return decorator
