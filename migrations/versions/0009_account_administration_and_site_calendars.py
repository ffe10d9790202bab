"""Accounts administered in the browser, and the days sites are closed in advance.

- `users.must_change_password`: set with a temporary password from an administrator; every page
  asks for a new password first.
- `password_resets`: one-time links to choose a password (only the SHA-256 of the secret is kept).
- `holidays`: the federal holidays of Mexico and the United States, one row per country and day.
- `sites.observes_holidays`: the countries whose holidays close a site or port (none until set).
- `site_closures`: whole local days a site or port is closed, entered in advance.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC = app.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("observes_holidays", sa.JSON(), nullable=False, server_default="[]"))
    _password_resets()
    op.create_table(
        "holidays",
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("name_es", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("country IN ('MX', 'US')", name=op.f("ck_holidays_country")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holidays")),
        sa.UniqueConstraint("country", "day", name=op.f("uq_holidays_country_day")),
    )
    _site_closures()


def _password_resets() -> None:
    op.create_table(
        "password_resets",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("used_at", UTC, nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("expires_at > created_at", name=op.f("ck_password_resets_expires_after_created")),
        sa.CheckConstraint("length(token_hash) = 64", name=op.f("ck_password_resets_token_hash")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_password_resets_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_password_resets_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_resets_user_id"), ["user_id"], unique=False)


def _site_closures() -> None:
    op.create_table(
        "site_closures",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_day >= first_day", name=op.f("ck_site_closures_last_after_first")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_site_closures_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_site_closures_site_id_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_closures")),
    )
    with op.batch_alter_table("site_closures", schema=None) as batch_op:
        batch_op.create_index("ix_site_closures_site_days", ["site_id", "last_day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("site_closures", schema=None) as batch_op:
        batch_op.drop_index("ix_site_closures_site_days")
    op.drop_table("site_closures")
    op.drop_table("holidays")
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_resets_user_id"))
    op.drop_table("password_resets")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_column("observes_holidays")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
