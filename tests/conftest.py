"""Fixtures: a migrated database per test session, a rolled-back session per test, clients per role."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.auth import passwords
from app.db import db, make_engine
from app.migrate import upgrade

from .factories import DEMO_PASSWORD, make_user

# Real argon2id, with the cheapest parameters: the suite signs in thousands of times.
passwords.use_profile("CHEAPEST")

from app.models import User  # noqa: E402
from app.roles import ROLES  # noqa: E402


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """DATABASE_URL when given (PostgreSQL in CI), else an SQLite file; emptied and migrated to head."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    if url.startswith("postgresql"):
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    upgrade(url)
    return url


@contextmanager
def scratch_database(name_suffix: str, directory: Path) -> Iterator[str]:
    """An empty database of the suite's backend, dropped afterwards: SQLite file or PostgreSQL database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield f"sqlite:///{directory / (name_suffix + '.db')}"
        return
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    name = f"{sa.make_url(url).database}_{name_suffix}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def app(database_url: str, tmp_path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "RUNS_INLINE": True,
        }
    )


@pytest.fixture
def db_session(app: Flask, engine: sa.Engine) -> Iterator[Session]:
    """A session in a transaction rolled back after the test; the app's requests share it."""
    connection = engine.connect()
    transaction = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False,
                           info=dict(db.bound(app).session_factory.kw.get("info") or {}))
    db.bound(app).session_factory = factory
    session = factory()
    yield session
    session.close()
    transaction.rollback()
    connection.close()


@pytest.fixture
def client(app: Flask, db_session: Session) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask, db_session: Session):
    return app.test_cli_runner()


class AuthActions:
    """Sign in and out through the real login page."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str, password: str = DEMO_PASSWORD):
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def users(db_session: Session) -> dict[str, object]:
    """One account per role (the exporter with a company of its own)."""
    made = {role: make_user(db_session, role=role, username=f"test-{role}") for role in ROLES}
    db_session.commit()
    return made


@pytest.fixture
def client_as(app: Flask, users: dict[str, object]):
    """`client_as("coordinator")`: a new client signed in with that role."""

    def _client_as(role: str) -> FlaskClient:
        client = app.test_client()
        response = AuthActions(client).login(f"test-{role}")
        assert response.status_code == 302, f"sign-in as {role} failed"
        return client

    return _client_as


@pytest.fixture
def approver_client(app: Flask, users: dict[str, object], db_session: Session):
    """`approver_client("SENASICA")`: a signed-in supervisor of that agency, to give the other party's approval."""

    def _approver(agency: str, role: str = "supervisor") -> FlaskClient:
        username = f"test-{role}-{agency.lower()}"
        if db_session.scalar(sa.select(User.id).where(User.username == username)) is None:
            make_user(db_session, role=role, username=username, agency=agency)
            db_session.commit()
        client = app.test_client()
        assert AuthActions(client).login(username).status_code == 302, f"sign-in as {username} failed"
        return client

    return _approver
