"""The `jointinspect` command: Flask's CLI over create_app plus the project's own commands."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup


def _create_app():
    from .. import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, help="jointinspect: joint inspections and mutual recognition.")


def register_commands(app: Flask) -> None:
    from .backup import backup_command, restore_command
    from .database import db_group
    from .scenario import scenario_group
    from .tokens import token_group
    from .users import create_user_command
    from .worker import runs_group, worker_command

    app.cli.add_command(db_group)
    app.cli.add_command(scenario_group)
    app.cli.add_command(create_user_command)
    app.cli.add_command(token_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(runs_group)
    _register_optional(app)


def _register_optional(app: Flask) -> None:
    """Commands of the other capabilities, added as each lands."""
    from importlib import import_module

    for module_name, attribute in (
        ("app.cli.seed", "seed_command"),
        ("app.cli.seed", "demo_command"),
        ("scheduling.cli", "optimize_command"),
        ("scheduling.cli", "validate_command"),
    ):
        try:
            module = import_module(module_name)
        except ModuleNotFoundError:
            continue
        app.cli.add_command(getattr(module, attribute))
