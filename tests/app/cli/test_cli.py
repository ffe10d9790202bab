"""The `jointinspect` command: accounts and migrations."""

from __future__ import annotations

import sqlalchemy as sa

from app.models import User
from tests.factories import make_exporter


def test_create_user_makes_an_account_that_can_sign_in(runner, db_session, client, auth):
    result = runner.invoke(args=["create-user", "maria", "--role", "coordinator", "--agency", "SENASICA",
                                 "--name", "María López", "--password", "a-strong-password-1"])
    assert result.exit_code == 0, result.output
    assert "Created maria (coordinator)" in result.output
    assert auth.login("maria", "a-strong-password-1").status_code == 302


def test_create_user_refuses_a_short_password_and_creates_nothing(runner, db_session):
    result = runner.invoke(args=["create-user", "pepe", "--role", "admin", "--password", "short"])
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert db_session.scalar(sa.select(User).where(User.username == "pepe")) is None


def test_exporter_user_needs_an_existing_company(runner, db_session):
    result = runner.invoke(args=["create-user", "exp", "--role", "exporter", "--exporter", "NOPE",
                                 "--password", "a-strong-password-1"])
    assert result.exit_code != 0
    assert "no exporter with code 'NOPE'" in result.output
    company = make_exporter(db_session, code="AGRO1")
    db_session.commit()
    result = runner.invoke(args=["create-user", "exp", "--role", "exporter", "--exporter", "AGRO1",
                                 "--password", "a-strong-password-1"])
    assert result.exit_code == 0, result.output
    user = db_session.scalar(sa.select(User).where(User.username == "exp"))
    assert user.exporter_id == company.id


def test_db_current_reports_the_head_revision(runner):
    result = runner.invoke(args=["db", "current"])
    assert result.exit_code == 0, result.output


def test_the_console_script_has_flask_and_project_commands(database_url, monkeypatch):
    from click.testing import CliRunner

    from app.cli.main import main

    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    for command in ("db", "create-user", "routes", "shell", "run"):
        assert command in result.output
