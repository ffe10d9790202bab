"""Sign-in: loading users from the session, and answering the unauthenticated."""

from __future__ import annotations

from flask import Flask, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from ..models import User


def load_user(login_id: str) -> User | None:
    """The login id is "user id:session version"; an old version means the session was ended."""
    try:
        user_id, version = (int(part) for part in login_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def unauthorized():
    if request.path.startswith("/api/"):
        response = jsonify(code=401, status="Unauthorized", message="Sign in or send a bearer token.")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="jointinspect"'
        return response
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = "basic"
