"""Sign-in: loading users from the session or a bearer token, and answering the unauthenticated."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_smorest import abort

from ..extensions import db, login_manager
from ..models import User


def load_user(login_id: str) -> User | None:
    """The login id is "user id:session version"; an old version means the session was ended."""
    if bearer_secret() is not None:
        return None  # a call that presents a token is that token's user, whatever cookie comes along
    try:
        user_id, version = (int(part) for part in login_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def bearer_secret() -> str | None:
    """The secret of an `Authorization: Bearer ...` header on an API call, else None."""
    if not request.path.startswith("/api/"):
        return None
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def authenticate_bearer() -> None:
    """Resolve a bearer token before anything else runs, so CSRF and the views can rely on it."""
    secret = bearer_secret()
    if secret is None:
        return
    from ..services.access.token_cache import cache_for
    from ..services.access.tokens import user_for_secret

    user = user_for_secret(db.session, secret, cache_for(current_app))
    if user is None:
        abort(401, message="The bearer token is unknown, expired or revoked.",
              headers={"WWW-Authenticate": 'Bearer realm="jointinspect", error="invalid_token"'})
    g.bearer_user = user


def load_user_from_request(_request) -> User | None:
    return g.get("bearer_user")


def authenticated_by_bearer() -> bool:
    return g.get("bearer_user") is not None


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
    login_manager.request_loader(load_user_from_request)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = "basic"
    app.before_request(authenticate_bearer)
    from ..services.access import token_cache

    token_cache.init_app(app)
