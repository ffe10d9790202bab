"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
from datetime import timedelta


class Config:
    """Defaults for a single-machine install; every value can come from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    DATABASE_URL = os.environ.get("DATABASE_URL", "")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "60")))
    # Re-signing the cookie on every request makes the lifetime an idle timeout, checked on the server.
    SESSION_REFRESH_EACH_REQUEST = True
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None
    # CSRF is checked in app.security after bearer tokens are resolved, not by Flask-WTF's own hook.
    WTF_CSRF_CHECK_DEFAULT = False
    # Reverse proxies in front of the app (1 for one nginx): trust that many X-Forwarded-* hops.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("en", "es")
    API_TITLE = "jointinspect"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "info": {
            "description": "Joint APHIS-SENASICA inland inspections, schedules and border decisions.",
        },
        "components": {
            "securitySchemes": {
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
                "bearerAuth": {"type": "http", "scheme": "bearer"},
            }
        },
        "security": [{"cookieAuth": []}, {"bearerAuth": []}],
    }
    # redis://host:6379/0 puts optimizer runs on a queue served by `jointinspect worker` processes;
    # unset, each process solves its runs in a thread of its own (the single-machine install).
    RUN_QUEUE_URL = os.environ.get("RUN_QUEUE_URL", "")
    # How long a process remembers a bearer token's user while it hears PostgreSQL's change
    # notifications (app/services/token_cache.py); 0 looks every token up. Unset: 60, off in tests.
    TOKEN_CACHE_SECONDS = float(os.environ["TOKEN_CACHE_SECONDS"]) if os.environ.get("TOKEN_CACHE_SECONDS") else None
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down must not stop sign-in: each process counts on its own meanwhile, with a logged
    # warning, and goes back to the shared store once it answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # JSON lines on stderr (app/logs.py); LOG_JSON=0 leaves logging to whoever configured it.
    LOG_JSON = os.environ.get("LOG_JSON", "1") == "1"
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
