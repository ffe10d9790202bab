"""Accounts: administrators create them, change their role, deactivate and reactivate them, reset passwords."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Exporter, User
from ..roles import ADMIN
from ..services.access.password_setup import LINK, PasswordSetup, reset_password
from ..services.access.users import change_role, create_account, deactivate, reactivate
from ..services.errors import WorkflowError
from .auth import api_roles
from .refusals import refuse
from .users_schemas import (
    CreatedUserSchema, PasswordResetSchema, PasswordSetupSchema, UserCreateSchema, UserPatchSchema, UserQuerySchema,
    UserSchema,
)

blp = Blueprint("users", __name__, url_prefix="/users", description="Accounts (administrators only)")


def _user(username: str) -> User:
    found = db.session.scalar(sa.select(User).where(User.username == username))
    if found is None:
        abort(404, message="No such account.")
    return found


def _company(code: str | None) -> Exporter | None:
    if code is None:
        return None
    found = db.session.scalar(sa.select(Exporter).where(Exporter.code == code))
    if found is None:
        refuse(WorkflowError(f"No exporter has the code {code}.", field="exporter"))
    return found


def _me() -> User:
    return db.session.get(User, current_user.id)


def _secret(setup: PasswordSetup) -> dict[str, Any]:
    """What the administrator passes on, in this answer only."""
    if setup.mode == LINK:
        return {"mode": LINK, "reset_url": url_for("password_setup.reset", secret=setup.secret, _external=True),
                "temporary_password": None, "expires_at": setup.expires_at}
    return {"mode": setup.mode, "reset_url": None, "temporary_password": setup.secret, "expires_at": None}


@blp.route("")
class Users(MethodView):
    @api_roles(ADMIN)
    @blp.arguments(UserQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, UserSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an administrator")
    def get(self, args: dict[str, Any]):
        """Every account, by username"""
        query = sa.select(User).options(selectinload(User.exporter)).order_by(User.username)
        if "role" in args:
            query = query.where(User.role == args["role"])
        if "active" in args:
            query = query.where(User.active == args["active"])
        return db.session.scalars(query).all()

    @api_roles(ADMIN)
    @blp.arguments(UserCreateSchema)
    @blp.response(201, CreatedUserSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an administrator")
    @blp.alt_response(422, description="Invalid input; errors name the field")
    def post(self, data: dict[str, Any]):
        """Create an account; its first password comes by a one-time link or a temporary password, shown once"""
        data["exporter"] = _company(data.get("exporter"))
        try:
            user, setup = create_account(db.session, _me(), **data)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return {"user": user, "password": _secret(setup)}


@blp.route("/<username>")
class UserItem(MethodView):
    @api_roles(ADMIN)
    @blp.response(200, UserSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an administrator")
    @blp.alt_response(404, description="No such account")
    def get(self, username: str):
        """One account"""
        return _user(username)

    @api_roles(ADMIN)
    @blp.arguments(UserPatchSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an administrator")
    @blp.alt_response(404, description="No such account")
    @blp.alt_response(422, description="Invalid input, or your own account; errors name the field")
    def patch(self, data: dict[str, Any], username: str):
        """Change the role (with agency and company) or deactivate and reactivate: sessions and tokens end at once"""
        user = _user(username)
        try:
            if {"role", "agency", "exporter"} & set(data):
                _change_role(user, data)
            if data.get("active") is False and user.active:
                deactivate(db.session, _me(), user)
            elif data.get("active") is True and not user.active:
                reactivate(db.session, _me(), user)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return user


def _change_role(user: User, data: dict[str, Any]) -> None:
    """What is not sent keeps its value where the new role has one: an exporter keeps no agency, staff no company."""
    role = data.get("role", user.role)
    agency = data["agency"] if "agency" in data else (None if role == "exporter" else user.agency)
    company = _company(data["exporter"]) if "exporter" in data else (user.exporter if role == "exporter" else None)
    change_role(db.session, _me(), user, role, agency, company)


@blp.route("/<username>/password-reset")
class PasswordReset(MethodView):
    @api_roles(ADMIN)
    @blp.arguments(PasswordResetSchema)
    @blp.response(201, PasswordSetupSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an administrator")
    @blp.alt_response(404, description="No such account")
    @blp.alt_response(422, description="Invalid input, or a deactivated account")
    def post(self, data: dict[str, Any], username: str):
        """The current password stops working and every session ends; the link or temporary password is shown once"""
        user = _user(username)
        try:
            setup = reset_password(db.session, _me(), user, data["mode"])
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return _secret(setup)
