"""Runs say they are alive: `schedule_runs.heartbeat_at`, renewed by the process that holds the run.

A queued or running run whose heartbeat is older than a minute was left by a process that is gone
(killed, restarted, out of memory); recovery, at start and periodically, marks it failed.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("schedule_runs") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schedule_runs") as batch:
        batch.drop_column("heartbeat_at")
