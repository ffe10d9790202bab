"""Flask extensions, created once and attached in the factory."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_smorest import Api
from flask_wtf.csrf import CSRFProtect

from .db import db

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
api = Api()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Only sign-in and the password change are rate limited (app/auth); every other request skips the
# limiter's per-request bookkeeping, 2-4 % of a short API read. A limit added elsewhere needs its
# blueprint named here (tests/app/test_security_headers.py and test_auth.py check the two limits).
RATE_LIMITED_BLUEPRINTS = ("auth", "account")


@limiter.request_filter
def _outside_rate_limited_blueprints() -> bool:
    return request.blueprint not in RATE_LIMITED_BLUEPRINTS

__all__ = ["api", "babel", "csrf", "db", "limiter", "login_manager"]
