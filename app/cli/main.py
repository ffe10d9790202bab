"""The `jointinspect` command: Flask's CLI over create_app, which registers the project's own commands."""

from __future__ import annotations

from flask.cli import FlaskGroup

from .. import create_app

main = FlaskGroup(create_app=create_app, help="jointinspect: joint inspections and mutual recognition.")
