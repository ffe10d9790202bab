"""The browser app: common pages and one blueprint per role."""

from __future__ import annotations

from flask import Flask

from .common import bp as common_bp



def register_web(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .agreements import bp as agreements_bp
    from .coordinator import bp as coordinator_bp
    from .errors import register_error_handlers
    from .exporter import bp as exporter_bp
    from .inspector import bp as inspector_bp
    from .officer import bp as officer_bp
    from .register import bp as register_bp
    from .reference import bp as reference_bp
    from .supervisor import bp as supervisor_bp

    from ..auth.password_setup import init_password_setup
    from .favicon import init_favicon
    from .navigation import init_navigation

    init_navigation(app)
    init_password_setup(app)
    init_favicon(app)
    app.register_blueprint(common_bp)
    for blueprint in (exporter_bp, coordinator_bp, inspector_bp, officer_bp, supervisor_bp, admin_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(agreements_bp)
    app.register_blueprint(register_bp)
    app.register_blueprint(reference_bp)
    register_error_handlers(app)
