"""The project's own commands, registered on every app (the `jointinspect` entry point is app.cli.main)."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from .backup import backup_command, restore_command
    from .database import db_group
    from .scenario import scenario_group
    from .tokens import token_group
    from .users import create_user_command
    from .worker import runs_group, worker_command
    from .seed import demo_command, seed_command
    from scheduling.cli import optimize_command, validate_command

    app.cli.add_command(db_group)
    app.cli.add_command(scenario_group)
    app.cli.add_command(create_user_command)
    app.cli.add_command(token_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(runs_group)
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(optimize_command)
    app.cli.add_command(validate_command)
