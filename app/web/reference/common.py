"""What the reference pages share: who may use them, the signed-in actor, refusals shown on a form."""

from __future__ import annotations

from flask import abort
from flask_babel import get_locale
from flask_login import current_user

from ...auth.decorators import role_required
from ...extensions import db
from ...models import User
from ...roles import PLANNERS
from ...services.errors import WorkflowError

planners_only = role_required(*PLANNERS)


def me() -> User:
    return db.session.get(User, current_user.id)


def language() -> str:
    return str(get_locale())


def found(model, ident: int):
    return db.session.get(model, ident) or abort(404)


def show_refusal(form, error: WorkflowError) -> dict[str, str]:
    """Roll back, put each message under its field; returns the messages of fields the form lacks."""
    db.session.rollback()
    messages = error.localized() if hasattr(error, "localized") else error.field_messages()
    others = {}
    for name, message in messages.items():
        field = getattr(form, name, None) if form is not None else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            others[name] = message
    return others
