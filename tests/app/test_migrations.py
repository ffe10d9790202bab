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


def test_existing_shipments_get_the_centre_of_their_origin_state(scratch_url):
    """Migration 0013: shipments stored before origins existed leave from their state's centre."""
    from datetime import datetime, timezone

    config = alembic_config(scratch_url)
    command.upgrade(config, "0012")
    tables, moment = Base.metadata.tables, datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)
    engine = make_engine(scratch_url)
    with engine.begin() as connection:
        connection.execute(tables["commodities"].insert().values(code="avocado", name_en="Avocado", name_es="Aguacate",
                                                                 hs_heading="0804"))
        connection.execute(tables["exporters"].insert().values(id=1, code="EXP-1", legal_name="Aguacates SA",
                                                               tax_id="AAA010101AAA"))
        connection.execute(tables["sites"].insert().values(id=1, code="US-PHARR", name="Pharr", kind="port", country="US",
                                                           state="TX", lat=26.1, lon=-98.2, timezone="America/Chicago"))
        for reference, state in (("R-MIC", "MIC"), ("R-GTO", "GTO"), ("R-XX", "XX")):
            connection.execute(tables["inspection_requests"].insert().values(
                reference=reference, exporter_id=1, commodity_code="avocado", origin_state=state, packhouse="Empaque",
                quantity=1, port_id=1, ready=moment, arrive_port=moment, cross_by=moment.replace(hour=20),
                inspection_minutes=90, border_inspection_minutes=45).execution_options(render_nulls=False))
    command.upgrade(config, "0013")
    with engine.connect() as connection:
        origins = dict((reference, (lat, lon)) for reference, lat, lon in connection.execute(
            sa.text("SELECT reference, origin_lat, origin_lon FROM inspection_requests")))
    engine.dispose()
    assert origins == {"R-MIC": (19.21, -101.88), "R-GTO": (20.92, -101.02), "R-XX": (None, None)}
