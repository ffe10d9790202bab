"""Is recognition safe: verification sampling, interceptions at the border, suspensions, risk flags.

- `rules.verification_rate`: the share of a rule's waived loads inspected anyway (2% by default).
- `border_decisions.verification*`: a waived load drawn for a verification inspection, with its chance,
  the draw and why, so that an auditor can recompute it.
- `inspections.pests_found`: a border inspection's outcome for pests.
- `quarantine_pests`, `interceptions`: the reference list and what officers found.
- `suspension_thresholds`, `suspensions`: per agreement, how many actionable interceptions suspend whom,
  and the suspensions, lifted only by one supervisor of each agency.
- `risk_flags`: commodities or origins the supervisors flagged for more verification.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def _check(name: str, column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name)


def upgrade() -> None:
    with op.batch_alter_table("rules") as batch:
        batch.add_column(sa.Column("verification_rate", sa.Double(), nullable=False, server_default="0.02"))
    op.add_column("border_decisions", sa.Column("verification", sa.Boolean(), nullable=False,
                                                server_default=sa.false()))
    op.add_column("border_decisions", sa.Column("verification_probability", sa.Double(), nullable=True))
    op.add_column("border_decisions", sa.Column("verification_draw", sa.Double(), nullable=True))
    op.add_column("border_decisions", sa.Column("verification_basis", sa.JSON(), nullable=True))
    op.add_column("inspections", sa.Column("pests_found", sa.Boolean(), nullable=True))
    op.create_table(
        "quarantine_pests",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("scientific_name", sa.String(200), nullable=False),
        sa.Column("common_name_en", sa.String(200), nullable=False),
        sa.Column("common_name_es", sa.String(200), nullable=False),
        sa.Column("commodities", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_quarantine_pests"),
    )
    op.create_table(
        "interceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("organism_code", sa.String(40), nullable=True),
        sa.Column("other_organism", sa.String(200), nullable=True),
        sa.Column("life_stage", sa.String(10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("sent_to_lab", sa.Boolean(), nullable=False),
        sa.Column("lab_result", sa.String(20), nullable=False),
        sa.Column("lab_result_note", sa.Text(), nullable=True),
        sa.Column("lab_result_at", UTC, nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.CheckConstraint("count > 0", name="ck_interceptions_count"),
        _check("ck_interceptions_life_stage", "life_stage", ("egg", "larva", "pupa", "adult", "unknown")),
        _check("ck_interceptions_action", "action", ("released_after_treatment", "re_exported", "destroyed")),
        _check("ck_interceptions_lab_result", "lab_result", ("pending", "confirmed", "not_actionable")),
        sa.CheckConstraint("(organism_code IS NULL) <> (other_organism IS NULL)", name="ck_interceptions_one_organism"),
        sa.ForeignKeyConstraint(["request_id"], ["inspection_requests.id"], ondelete="CASCADE",
                                name="fk_interceptions_request_id_inspection_requests"),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspections.id"], ondelete="RESTRICT",
                                name="fk_interceptions_inspection_id_inspections"),
        sa.ForeignKeyConstraint(["organism_code"], ["quarantine_pests.code"], ondelete="RESTRICT",
                                name="fk_interceptions_organism_code_quarantine_pests"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], ondelete="SET NULL",
                                name="fk_interceptions_recorded_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_interceptions"),
    )
    op.create_index("ix_interceptions_request_id", "interceptions", ["request_id"])
    op.create_index("ix_interceptions_inspection_id", "interceptions", ["inspection_id"])
    op.create_index("ix_interceptions_recorded_at", "interceptions", ["recorded_at"])
    op.create_table(
        "suspension_thresholds",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("exporter_count", sa.Integer(), nullable=False),
        sa.Column("packhouse_count", sa.Integer(), nullable=False),
        sa.Column("origin_count", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.CheckConstraint("exporter_count > 0 AND packhouse_count > 0 AND origin_count > 0 AND window_days > 0",
                           name="ck_suspension_thresholds_positive"),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], ondelete="CASCADE",
                                name="fk_suspension_thresholds_agreement_id_agreements"),
        sa.PrimaryKeyConstraint("agreement_id", name="pk_suspension_thresholds"),
    )
    op.create_table(
        "suspensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("exporter_id", sa.Integer(), nullable=True),
        sa.Column("packhouse", sa.String(200), nullable=True),
        sa.Column("origin_state", sa.String(10), nullable=True),
        sa.Column("commodity_code", sa.String(40), nullable=True),
        sa.Column("since", UTC, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("interceptions", sa.JSON(), nullable=False),
        sa.Column("lift_requested_at", UTC, nullable=True),
        sa.Column("lifted_by_aphis_id", sa.Integer(), nullable=True),
        sa.Column("lifted_by_senasica_id", sa.Integer(), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.Column("lifted_at", UTC, nullable=True),
        _check("ck_suspensions_scope", "scope", ("exporter", "packhouse", "origin")),
        sa.CheckConstraint("lifted_at IS NULL OR (lift_reason IS NOT NULL AND lifted_by_aphis_id IS NOT NULL "
                           "AND lifted_by_senasica_id IS NOT NULL)", name="ck_suspensions_lifted_by_both"),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], ondelete="RESTRICT",
                                name="fk_suspensions_agreement_id_agreements"),
        sa.ForeignKeyConstraint(["exporter_id"], ["exporters.id"], ondelete="RESTRICT",
                                name="fk_suspensions_exporter_id_exporters"),
        sa.ForeignKeyConstraint(["commodity_code"], ["commodities.code"], ondelete="RESTRICT",
                                name="fk_suspensions_commodity_code_commodities"),
        sa.ForeignKeyConstraint(["lifted_by_aphis_id"], ["users.id"], ondelete="SET NULL",
                                name="fk_suspensions_lifted_by_aphis_id_users"),
        sa.ForeignKeyConstraint(["lifted_by_senasica_id"], ["users.id"], ondelete="SET NULL",
                                name="fk_suspensions_lifted_by_senasica_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_suspensions"),
    )
    op.create_index("ix_suspensions_agreement_id", "suspensions", ["agreement_id"])
    op.create_index("ix_suspensions_in_force", "suspensions", ["lifted_at", "scope"])
    op.create_table(
        "risk_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commodity_code", sa.String(40), nullable=True),
        sa.Column("origin_state", sa.String(10), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("flagged_by_id", sa.Integer(), nullable=True),
        sa.Column("flagged_at", UTC, nullable=False),
        sa.Column("lowered_at", UTC, nullable=True),
        sa.CheckConstraint("commodity_code IS NOT NULL OR origin_state IS NOT NULL", name="ck_risk_flags_names"),
        sa.ForeignKeyConstraint(["commodity_code"], ["commodities.code"], ondelete="RESTRICT",
                                name="fk_risk_flags_commodity_code_commodities"),
        sa.ForeignKeyConstraint(["flagged_by_id"], ["users.id"], ondelete="SET NULL",
                                name="fk_risk_flags_flagged_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_risk_flags"),
    )


def downgrade() -> None:
    op.drop_table("risk_flags")
    op.drop_index("ix_suspensions_in_force", table_name="suspensions")
    op.drop_index("ix_suspensions_agreement_id", table_name="suspensions")
    op.drop_table("suspensions")
    op.drop_table("suspension_thresholds")
    op.drop_index("ix_interceptions_recorded_at", table_name="interceptions")
    op.drop_index("ix_interceptions_inspection_id", table_name="interceptions")
    op.drop_index("ix_interceptions_request_id", table_name="interceptions")
    op.drop_table("interceptions")
    op.drop_table("quarantine_pests")
    op.drop_column("inspections", "pests_found")
    for column in ("verification_basis", "verification_draw", "verification_probability", "verification"):
        op.drop_column("border_decisions", column)
    with op.batch_alter_table("rules") as batch:
        batch.drop_column("verification_rate")
