"""jointinspect: joint APHIS-SENASICA inland inspections and the border inspections they make redundant."""

from __future__ import annotations

import gc
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from .config import Config


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application; `test_config` overrides settings (tests, the demo)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'jointinspect.db'}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))

    from . import extensions, i18n, logs, security
    from .auth import init_auth

    logs.init_app(app)  # first: the request id is bound before anything else can log
    extensions.db.init_app(app)
    _give_sessions_the_sampling_secret(app)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    i18n.init_app(app)
    init_auth(app)
    security.init_app(app)
    _register_blueprints(app)
    from .services.planning.executors import init_executor

    init_executor(app)

    from .cli import register_commands

    register_commands(app)
    _trust_proxies(app)
    if not app.testing:
        # What is loaded by now (the app, SQLAlchemy, OR-Tools: ~200,000 objects) lives as long as
        # the process. Out of the collector's way, a full collection takes 3 ms instead of 110 ms,
        # which a request that triggers one waits for (bench/web.py: the year dashboard's p95).
        gc.freeze()
    return app


def _give_sessions_the_sampling_secret(app: Flask) -> None:
    """Verification draws are made wherever a session is (requests, the optimizer's thread, queue
    workers): the sessions carry the secret rather than an app context some of them lack."""
    from . import extensions
    from .services.agreements.sampling import SECRET_INFO_KEY, configured_secret

    extensions.db.bound(app).session_factory.configure(info={SECRET_INFO_KEY: configured_secret(app.config)})


def _register_blueprints(app: Flask) -> None:
    from .api import init_api
    from .api.docs import bp as api_docs_bp
    from .auth.account import bp as account_bp
    from .auth.routes import bp as auth_bp
    from .web import register_web
    from .web.admin import audit_bp
    from .web.health import bp as health_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    register_web(app)
    app.register_blueprint(audit_bp)
    init_api(app)
    app.register_blueprint(api_docs_bp)


def _trust_proxies(app: Flask) -> None:
    """Behind a reverse proxy, take the client address and scheme from its X-Forwarded-* headers.

    Without it every client shares the proxy's address (one rate limit for all) and HTTPS is
    not seen (no HSTS). Only as many hops as configured are trusted, so clients cannot spoof them.
    """
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def _instance_secret_key(instance: Path) -> str:
    """A random key kept in the instance folder, so sessions survive restarts of a local install."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        os.chmod(key_file, 0o600)
    return key_file.read_text().strip()
