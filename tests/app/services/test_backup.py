"""`jointinspect backup` / `restore` for the SQLite default: online copy, checked restore, SQLite only."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from app import create_app
from app.db import db
from app.migrate import upgrade
from app.models import User
from app.services.backup import BackupError, backup, check_backup, restore
from tests.factories import make_user


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on its own migrated SQLite file, whatever database the suite runs on."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    upgrade(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test", "RUNS_INLINE": True})
    yield app
    db.bound(app).engine.dispose()


def _usernames(app) -> set[str]:
    with app.app_context():
        names = set(db.session.scalars(sa.select(User.username)))
        db.session.close()
        return names


def _add_user(app, username: str) -> None:
    with app.app_context():
        make_user(db.session, role="admin", username=username)
        db.session.commit()


def test_backup_then_restore_brings_the_data_back(sqlite_app, tmp_path):
    _add_user(sqlite_app, "before-backup")
    runner = sqlite_app.test_cli_runner()
    copy = tmp_path / "copy.db"
    result = runner.invoke(args=["backup", str(copy)])
    assert result.exit_code == 0, result.output
    _add_user(sqlite_app, "after-backup")
    result = runner.invoke(args=["restore", str(copy), "--yes"])
    assert result.exit_code == 0, result.output
    assert _usernames(sqlite_app) == {"before-backup"}


def test_backup_refuses_to_overwrite(sqlite_app, tmp_path):
    existing = tmp_path / "there.db"
    existing.write_text("keep me")
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(existing)])
    assert result.exit_code != 0 and "exists" in result.output
    assert existing.read_text() == "keep me"


@pytest.mark.parametrize("content,message", [
    (b"hello, not a database" * 100, "not an SQLite database"),
    (None, "not a jointinspect database"),
])
def test_restore_refuses_files_that_are_not_jointinspect_databases(sqlite_app, tmp_path, content, message):
    _add_user(sqlite_app, "still-here")
    bad = tmp_path / "bad.db"
    if content is None:
        sqlite3.connect(bad).execute("CREATE TABLE notes (text TEXT)").connection.close()
    else:
        bad.write_bytes(content)
    result = sqlite_app.test_cli_runner().invoke(args=["restore", str(bad), "--yes"])
    assert result.exit_code != 0 and message in result.output
    assert _usernames(sqlite_app) == {"still-here"}


def test_restore_refuses_an_unknown_revision(sqlite_app, tmp_path):
    url = sqlite_app.config["DATABASE_URL"]
    copy = tmp_path / "future.db"
    backup(url, copy)
    connection = sqlite3.connect(copy)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    with pytest.raises(BackupError, match="unknown schema revision '9999'"):
        restore(url, copy)


def test_restore_of_an_older_revision_migrates_to_head(sqlite_app, tmp_path):
    old_url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(old_url, "0002")
    assert check_backup(tmp_path / "old.db") == "0002"
    result = sqlite_app.test_cli_runner().invoke(args=["restore", str(tmp_path / "old.db"), "--yes"])
    assert result.exit_code == 0, result.output
    assert check_backup(tmp_path / "live.db") != "0002"


def test_only_sqlite_is_backed_up_this_way(tmp_path):
    with pytest.raises(BackupError, match="SQLite only"):
        backup("postgresql+psycopg://postgres@127.0.0.1/jointinspect", tmp_path / "x.db")
    with pytest.raises(BackupError, match="SQLite only"):
        restore("postgresql+psycopg://postgres@127.0.0.1/jointinspect", tmp_path / "x.db")


@pytest.mark.parametrize("cut", [1, 17, 450, 4096])
def test_a_backup_cut_short_is_refused_and_nothing_is_replaced(sqlite_app, tmp_path, cut):
    _add_user(sqlite_app, "live-user")
    copy = tmp_path / "copy.db"
    backup(sqlite_app.config["DATABASE_URL"], copy)
    _add_user(sqlite_app, "after-backup")
    data = copy.read_bytes()
    copy.write_bytes(data[: len(data) - cut])
    with pytest.raises(BackupError, match="cut short"):
        restore(sqlite_app.config["DATABASE_URL"], copy)
    assert _usernames(sqlite_app) == {"live-user", "after-backup"}
