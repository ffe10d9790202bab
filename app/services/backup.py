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
    _check_whole(path)
    try:
        with _connect(path, read_only=True) as connection:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is a damaged SQLite database")
            page_count = connection.execute("PRAGMA page_count").fetchone()[0]
            page_size = connection.execute("PRAGMA page_size").fetchone()[0]
            if page_count * page_size != path.stat().st_size:
                raise BackupError(f"{path} is cut short: {page_count} pages of {page_size} bytes expected")
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


HEADER = b"SQLite format 3\x00"


def _check_whole(path: Path) -> None:
    """The file holds every page its header counts, whole: a copy cut short is refused.

    SQLite reads a file cut inside its last page as if the missing bytes were zeros, and its
    integrity check can pass: a restored row then ends in a zero byte. The header says how big a
    page is and, when its count is current, how many pages there are.
    """
    with path.open("rb") as file:
        header = file.read(100)
    if len(header) < 100 or not header.startswith(HEADER):
        raise BackupError(f"{path} is not an SQLite database (no SQLite header)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    size = path.stat().st_size
    if page_size < 512 or size % page_size:
        raise BackupError(f"{path} is cut short: {size} bytes is not a whole number of {page_size}-byte pages")
    pages = int.from_bytes(header[28:32], "big")
    counted_now = header[24:28] == header[92:96]  # the page count is valid for this change counter
    if counted_now and pages and size // page_size != pages:
        raise BackupError(f"{path} is cut short: its header counts {pages} pages, the file holds {size // page_size}")


class _connect:
    """An sqlite3 connection closed on exit (sqlite3's own context manager only commits)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        uri = f"file:{path.resolve()}?mode=ro" if read_only else f"file:{path.resolve()}"
        self.connection = sqlite3.connect(uri, uri=True, timeout=30)

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.close()
