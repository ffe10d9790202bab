"""`jointinspect seed` and `jointinspect demo`."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.auth import passwords
from app.models import Shipment, Shift, Site, User

DEMO_USERNAMES = ("exporter", "exporter2", "coordinator", "inspector", "officer", "supervisor", "admin")
_hashes: dict[str, str] = {}


@pytest.fixture(autouse=True)
def hash_each_password_once(monkeypatch):
    """Argon2 is slow by design: hash each distinct password once for the whole run, really."""
    monkeypatch.setattr("app.services.access.users.hash_password",
                        lambda password: _hashes.setdefault(password, passwords.hash_password(password)))


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_loads_reference_data_without_any_account(runner, db_session):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Seed data loaded." in result.output
    assert count(db_session, User) == 0
    assert count(db_session, Shipment) == 0
    assert count(db_session, Site) == 22 and count(db_session, Shift) > 0
    assert "jointinspect-demo" not in result.output


def test_seed_no_demo_after_a_demo_seed_adds_nothing(runner, db_session):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    users = count(db_session, User)
    result = runner.invoke(args=["seed", "--no-demo"])
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    assert count(db_session, User) == users == len(DEMO_USERNAMES)


def test_seed_demo_twice_creates_the_accounts_once(runner, db_session):
    first = runner.invoke(args=["seed", "--demo"])
    assert first.exit_code == 0, first.output
    for username in DEMO_USERNAMES:
        assert f"  {username} " in first.output
    shipments = count(db_session, Shipment)
    second = runner.invoke(args=["seed", "--demo"])
    assert second.exit_code == 0, second.output
    assert "Seed data already loaded; nothing changed." in second.output
    assert count(db_session, User) == len(DEMO_USERNAMES)
    assert count(db_session, Shipment) == shipments > 0


def test_demo_migrates_seeds_prints_the_accounts_and_serves_on_the_port(runner, db_session, monkeypatch, app):
    served, migrated = [], []
    monkeypatch.setattr("app.cli.seed.run_simple", lambda *args, **kwargs: served.append((args, kwargs)))
    real_upgrade = __import__("app.migrate", fromlist=["upgrade"]).upgrade
    monkeypatch.setattr("app.cli.seed.upgrade", lambda url: (migrated.append(url), real_upgrade(url)))
    result = runner.invoke(args=["demo", "--port", "5123"])
    assert result.exit_code == 0, result.output
    assert migrated == [app.config["DATABASE_URL"]]
    assert "http://127.0.0.1:5123/" in result.output
    for username in DEMO_USERNAMES:
        assert any(line.split()[:1] == [username] and line.endswith("jointinspect-demo")
                   for line in result.output.splitlines())
    [(args, kwargs)] = served
    assert args[:2] == ("127.0.0.1", 5123) and args[2] is app
    assert kwargs == {"threaded": True, "use_reloader": False, "use_debugger": False}
    names = set(db_session.scalars(sa.select(User.username)))
    assert names == set(DEMO_USERNAMES)


def test_demo_refuses_a_port_out_of_range(runner, monkeypatch):
    monkeypatch.setattr("app.cli.seed.run_simple", lambda *args, **kwargs: pytest.fail("must not serve"))
    result = runner.invoke(args=["demo", "--port", "70000"])
    assert result.exit_code == 2
    assert "70000" in result.output
