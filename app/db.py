"""The database handle: one engine and one session per application context."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, g
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker


class Database:
    """Engine and session factory attached to the app, like an extension."""

    def __init__(self) -> None:
        self.engine: sa.Engine | None = None
        self.session_factory: sessionmaker[Session] | None = None

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"])
        self.session_factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        app.teardown_appcontext(self._close_session)
        app.extensions["jointinspect_db"] = self

    @property
    def session(self) -> Session:
        """The request's session, opened on first use and closed when the context ends."""
        if "db_session" not in g:
            assert self.session_factory is not None, "Database.init_app was not called"
            g.db_session = self.session_factory()
        return g.db_session

    def _close_session(self, exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()


def make_engine(url: str, **kwargs: Any) -> sa.Engine:
    """An engine with the settings each backend needs to keep its invariants."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _sqlite_enforce_foreign_keys(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_enforce_foreign_keys(engine: sa.Engine) -> None:
    # SQLite ignores foreign keys unless asked on every connection.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


db = Database()
