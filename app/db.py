"""The database handle: an engine per app and one session per application context."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
EXTENSION_KEY = "jointinspect_db"
READ_METHODS = ("GET", "HEAD", "OPTIONS")
CONNECT_TIMEOUT_S = 5


@dataclass
class BoundDatabase:
    """What one app talks to: its engine and the factory its sessions come from."""

    engine: sa.Engine
    session_factory: sessionmaker[Session]


class Database:
    """Engine and session factory attached to each app, like an extension."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions[EXTENSION_KEY] = BoundDatabase(engine, sessionmaker(bind=engine, expire_on_commit=False))
        app.teardown_appcontext(self._close_session)

    @staticmethod
    def bound(app: Flask | None = None) -> BoundDatabase:
        return (app or current_app).extensions[EXTENSION_KEY]

    @property
    def engine(self) -> sa.Engine:
        return self.bound().engine

    @property
    def session(self) -> Session:
        """The context's session, opened on first use and closed when the context ends."""
        if "db_session" not in g:
            factory = self.bound().session_factory
            writing = has_request_context() and request.method not in READ_METHODS
            g.db_session = factory(bind=_writer_bind(factory)) if writing else factory()
        return g.db_session

    @staticmethod
    def _close_session(exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            # The answer is already made: a connection killed under it must not turn it into the
            # server's HTML 500. The pool throws the dead connection away.
            if exc is not None:
                safe_rollback(session)
            try:
                session.close()
            except sa.exc.SQLAlchemyError as error:
                log.error("could not hand a connection back: %s: %s", type(error).__name__, error)


def _writer_bind(factory: sessionmaker[Session]) -> Any:
    """On SQLite every transaction of a request that changes things takes the write lock first.

    Otherwise two such requests both read, and the second cannot become a writer once the first
    has committed ("database is locked" at once): with the lock first, the second waits its turn
    (busy timeout) and then sees the first's changes, so version checks and unique keys answer
    409 instead of 500. A factory bound to a connection (the tests' transaction) is left alone.
    """
    bind = factory.kw.get("bind")
    if isinstance(bind, sa.Engine) and bind.dialect.name == "sqlite":
        return bind.execution_options(sqlite_begin="IMMEDIATE")
    return bind


# Serialization failure, deadlock, lock not available: another writer, not an outage.
LOCK_CONFLICT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def is_lock_conflict(error: sa.exc.DBAPIError) -> bool:
    """True when the database refused because of another writer (answer 409), not because it is down."""
    original = error.orig
    if getattr(original, "sqlstate", None) in LOCK_CONFLICT_SQLSTATES:
        return True
    return isinstance(original, sqlite3.OperationalError) and "locked" in str(original)


def safe_rollback(session: Session) -> None:
    """Roll back, even when the connection is gone (then the session just forgets it); never raises."""
    try:
        session.rollback()
    except sa.exc.SQLAlchemyError as error:
        log.warning("rollback failed, connection discarded: %s: %s", type(error).__name__, error)
        try:
            session.close()
        except sa.exc.SQLAlchemyError:
            pass


def begin_write(session: Session) -> None:
    """Start the session's next transaction as a writer at once.

    SQLite: BEGIN IMMEDIATE takes the write lock before anything is read, so what the
    transaction checks cannot change under it (a deferred reader cannot become a writer once
    another writer has committed). Other databases lock rows where the caller asks.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    session.commit()
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def make_engine(url: str, **kwargs: Any) -> sa.Engine:
    """An engine with the settings each backend needs to keep its invariants."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _sqlite_transactions_and_foreign_keys(engine)
        return engine
    # A database that does not answer is an outage to report within seconds, not a hung worker.
    kwargs.setdefault("connect_args", {}).setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    return sa.create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_transactions_and_foreign_keys(engine: sa.Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT and defers BEGIN; SQLAlchemy's
    # documented recipe hands transactions to SQLAlchemy. Foreign keys are off unless asked.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


db = Database()
