"""Backup and restore of the SQLite default database with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from ..migrate import alembic_config


class BackupError(Exception):
    """A backup or restore refused, with the reason in plain words; nothing was changed."""


def sqlite_path(database_url: str) -> Path:
    """The file behind an SQLite URL; anything else is refused (PostgreSQL has pg_dump)."""
    url = sa.make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(f"backup and restore work on SQLite only; this database is {url.get_backend_name()} "
                          "(use pg_dump/pg_restore for PostgreSQL)")
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database has nothing to back up")
    return Path(url.database)


def backup(database_url: str, target: Path) -> None:
    """Copy the live database to `target` page by page; writers may go on meanwhile."""
    source = sqlite_path(database_url)
    if not source.exists():
        raise BackupError(f"no database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file")
    with _connect(source) as live, _connect(target) as copy:
        live.backup(copy)
    check_backup(target)


def restore(database_url: str, source: Path) -> str:
    """Replace the app's database with a checked backup; returns the backup's revision."""
    target = sqlite_path(database_url)
    revision = check_backup(source)
    with _connect(source, read_only=True) as backup_copy, _connect(target) as live:
        backup_copy.backup(live)
    return revision


def check_backup(path: Path) -> str:
    """The Alembic revision of a jointinspect database file, or BackupError saying what is wrong."""
    if not path.is_file():
        raise BackupError(f"no file at {path}")
    try:
        with _connect(path, read_only=True) as connection:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is a damaged SQLite database")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"alembic_version", "users", "audit_log"} <= tables:
                raise BackupError(f"{path} is not a jointinspect database")
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not an SQLite database ({error})") from error
    known = {script.revision for script in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()}
    if revision is None or revision[0] not in known:
        raise BackupError(f"{path} is at an unknown schema revision {revision[0] if revision else None!r}")
    return revision[0]


class _connect:
    """An sqlite3 connection closed on exit (sqlite3's own context manager only commits)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        uri = f"file:{path.resolve()}?mode=ro" if read_only else f"file:{path.resolve()}"
        self.connection = sqlite3.connect(uri, uri=True, timeout=30)

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.close()
