"""Flask extensions, created once and attached in the factory."""

from __future__ import annotations

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

__all__ = ["api", "babel", "csrf", "db", "limiter", "login_manager"]
