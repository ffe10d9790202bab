"""Authentication and role checks for API views."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from flask_login import current_user
from flask_smorest import abort


def api_roles(*roles: str) -> Callable:
    """Signed-in users with one of these roles (any role when none given): 401 or 403 JSON otherwise."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                abort(401, message="Sign in or send a bearer token.")
            if roles and current_user.role not in roles:
                abort(403, message="Your role does not allow this.")
            return view(*args, **kwargs)

        return wrapped

    return decorator
