"""How the API answers a refused workflow: nothing kept, 409 for a conflict, 422 naming the fields."""

from __future__ import annotations

from typing import NoReturn

from flask_smorest import abort

from ..extensions import db
from ..services.errors import ConflictError, WorkflowError


def refuse(error: WorkflowError, default_field: str = "_schema") -> NoReturn:
    db.session.rollback()
    code = 409 if isinstance(error, ConflictError) else 422
    fields = error.field_messages(default_field)
    abort(code, message=error.message, errors={"json": {name: [text] for name, text in fields.items()}})
