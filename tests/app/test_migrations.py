"""Migrations build the schema the models describe, and go down and up again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.db import make_engine
from app.migrate import alembic_config
from app.models import Base
from tests.conftest import scratch_database


@pytest.fixture
def scratch_url(tmp_path) -> Iterator[str]:
    with scratch_database("migrations", tmp_path) as url:
        yield url


def _diff(url: str) -> list:
    engine = make_engine(url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    return diff


def test_upgrade_head_matches_the_models(scratch_url):
    command.upgrade(alembic_config(scratch_url), "head")
    assert _diff(scratch_url) == []


def test_single_head():
    assert len(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()) == 1


def test_downgrade_to_base_and_up_again(scratch_url):
    config = alembic_config(scratch_url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = make_engine(scratch_url)
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    command.upgrade(config, "head")
    assert _diff(scratch_url) == []


def test_every_revision_steps_down_and_up(scratch_url):
    config = alembic_config(scratch_url)
    revisions = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
    for revision in revisions:
        command.upgrade(config, revision.revision)
        command.downgrade(config, revision.down_revision or "base")
        command.upgrade(config, revision.revision)
