"""Trusted-trader register, logistics chains, pilots with gates, bilateral approvals and CBP seal stock.

- `trusted_trader_programs`, `recognition_arrangements`: CTPAT, OEA, FAST... as reference data, and the
  arrangements by which two administrations recognise each other's programs (CTPAT ↔ OEA, 2014).
- `certifications` becomes the register: the holder is an exporter or a `trade_parties` row (packhouse,
  carrier, driver, importer, broker); a status (certified, validated, suspended, removed) with since when and
  why, a tier, the certification, validation and revalidation dates, the validator. CTPAT has no expiry, so
  `valid_until` may be empty. `shipment_parties`: the parties a shipment names for its chain.
- `rules.requires_recognised_status`, `rules.requires_whole_chain`; `milestone_gates`: the rules a milestone
  gates; `milestones.owner_agency` may be SAT; `performance_measures.baseline`, `baseline_note`.
- `change_proposals`, `approvals`: one approval per party, the last one makes the change effective; one pending
  proposal per thing (a partial unique index), one approval per person and per agency.
- `pilots`, `pilot_participants`, `pilot_criteria`, `gate_reviews`.
- `seal_stock`: numbered ranges of seals issued to a site; `seals.issuer`, `seals.iso_class`.
- `sites.planned`: a facility that does not exist yet.
- Indexes on `inspection_requests.released_at` and `rejected_at`: measures read a period's crossings.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UTC = app.models.base.UTCDateTime(timezone=True)
OWNERS_0001 = "owner_agency IN ('APHIS', 'SENASICA', 'CBP', 'JOINT')"
OWNERS = "owner_agency IN ('APHIS', 'SENASICA', 'CBP', 'SAT', 'JOINT')"


def upgrade() -> None:
    _register()
    _reference_rows()
    _certifications()
    _shipment_parties()
    for column in ("requires_recognised_status", "requires_whole_chain"):
        op.add_column("rules", sa.Column(column, sa.Boolean(), nullable=False, server_default=sa.false()))
    _milestone_owners(OWNERS)
    op.create_table(
        "milestone_gates",
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("rule_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestones.id"], name=op.f("fk_milestone_gates_milestone_id_milestones"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("milestone_id", "rule_code", name=op.f("pk_milestone_gates")),
    )
    op.create_index(op.f("ix_milestone_gates_rule_code"), "milestone_gates", ["rule_code"])
    op.add_column("performance_measures", sa.Column("baseline", sa.Double(), nullable=True))
    op.add_column("performance_measures", sa.Column("baseline_note", sa.Text(), nullable=True))
    _approvals()
    _pilots()
    _seal_stock()
    op.add_column("sites", sa.Column("planned", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_inspection_requests_released_at", "inspection_requests", ["released_at"])
    op.create_index("ix_inspection_requests_rejected_at", "inspection_requests", ["rejected_at"])


def _register() -> None:
    op.create_table(
        "trusted_trader_programs",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_es", sa.String(length=200), nullable=False),
        sa.Column("administration", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("holders", sa.JSON(), nullable=False),
        sa.Column("has_tiers", sa.Boolean(), nullable=False),
        sa.Column("has_expiry", sa.Boolean(), nullable=False),
        sa.Column("revalidation_years", sa.Integer(), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.CheckConstraint("country IN ('US', 'MX')", name=op.f("ck_trusted_trader_programs_country")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_trusted_trader_programs")),
    )
    op.create_table(
        "recognition_arrangements",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("title_es", sa.String(length=300), nullable=False),
        sa.Column("program_a", sa.String(length=20), nullable=False),
        sa.Column("program_b", sa.String(length=20), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= signed_on",
                           name=op.f("ck_recognition_arrangements_ended_after_signed")),
        sa.CheckConstraint("program_a <> program_b", name=op.f("ck_recognition_arrangements_two_programs")),
        sa.ForeignKeyConstraint(["program_a"], ["trusted_trader_programs.code"], ondelete="RESTRICT",
                                name=op.f("fk_recognition_arrangements_program_a_trusted_trader_programs")),
        sa.ForeignKeyConstraint(["program_b"], ["trusted_trader_programs.code"], ondelete="RESTRICT",
                                name=op.f("fk_recognition_arrangements_program_b_trusted_trader_programs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition_arrangements")),
        sa.UniqueConstraint("code", name=op.f("uq_recognition_arrangements_code")),
    )
    op.create_table(
        "trade_parties",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("identifier", sa.String(length=40), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("country IN ('US', 'MX')", name=op.f("ck_trade_parties_country")),
        sa.CheckConstraint("kind IN ('packhouse', 'carrier', 'driver', 'importer', 'broker')",
                           name=op.f("ck_trade_parties_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_parties")),
        sa.UniqueConstraint("code", name=op.f("uq_trade_parties_code")),
        sa.UniqueConstraint("kind", "identifier", name=op.f("uq_trade_parties_kind_identifier")),
    )


# The programs and the arrangement every setup needs: rules name programs by these codes.
PROGRAMS = [
    {"code": "CTPAT", "name_en": "Customs Trade Partnership Against Terrorism",
     "name_es": "Asociación Aduanera y Comercial contra el Terrorismo (CTPAT)", "administration": "CBP",
     "country": "US", "holders": ["exporter", "carrier", "importer", "broker"], "has_tiers": True,
     "has_expiry": False, "revalidation_years": 4, "aliases": ["C-TPAT"]},
    {"code": "OEA", "name_en": "Authorized Economic Operator (Mexico)", "name_es": "Operador Económico Autorizado",
     "administration": "SAT/ANAM", "country": "MX", "holders": ["exporter", "carrier", "importer", "broker"],
     "has_tiers": False, "has_expiry": True, "revalidation_years": None, "aliases": ["NEEC", "AEO-MX"]},
    {"code": "FAST", "name_en": "Free and Secure Trade commercial driver card",
     "name_es": "Tarjeta FAST de conductor comercial", "administration": "CBP", "country": "US",
     "holders": ["driver"], "has_tiers": False, "has_expiry": True, "revalidation_years": None, "aliases": []},
    {"code": "SENASICA-PH", "name_en": "Packhouse approved under the export work plan",
     "name_es": "Empacadora aprobada conforme al plan de trabajo de exportación", "administration": "SENASICA",
     "country": "MX", "holders": ["packhouse"], "has_tiers": False, "has_expiry": True,
     "revalidation_years": None, "aliases": []},
]
ARRANGEMENT = {"code": "CTPAT-OEA-2014", "title_en": "CBP–SAT mutual recognition arrangement (CTPAT ↔ NEEC, today OEA)",
               "title_es": "Arreglo de reconocimiento mutuo CBP–SAT (CTPAT ↔ NEEC, hoy OEA)", "program_a": "CTPAT",
               "program_b": "OEA", "signed_on": "2014-10-17", "ended_on": None,
               "notes": "Each administration recognises the other's validation of its members."}


def _reference_rows() -> None:
    programs = sa.table("trusted_trader_programs", *(sa.column(name, sa.JSON() if name in ("holders", "aliases")
                                                                else None) for name in PROGRAMS[0]))
    op.bulk_insert(programs, PROGRAMS)
    arrangements = sa.table("recognition_arrangements", *(sa.column(name, sa.Date() if name in (
        "signed_on", "ended_on") else None) for name in ARRANGEMENT))
    op.bulk_insert(arrangements, [{**ARRANGEMENT, "signed_on": date.fromisoformat(ARRANGEMENT["signed_on"])}])


def _certifications() -> None:
    """The register's entries: nothing refers to certifications, so SQLite may rebuild the table."""
    with op.batch_alter_table("certifications") as batch:
        batch.add_column(sa.Column("party_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("status", sa.String(length=12), nullable=False, server_default="certified"))
        batch.add_column(sa.Column("tier", sa.String(length=3), nullable=True))
        for column in ("applied_on", "certified_on", "validation_planned_on", "last_validated_on",
                       "revalidation_due"):
            batch.add_column(sa.Column(column, sa.Date(), nullable=True))
        batch.add_column(sa.Column("validator", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("status_since", sa.Date(), nullable=True))
        batch.add_column(sa.Column("status_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("version_id", sa.Integer(), nullable=False, server_default="1"))
        batch.alter_column("exporter_id", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("valid_until", existing_type=sa.Date(), nullable=True)
        batch.create_index(op.f("ix_certifications_party_id"), ["party_id"])
        batch.create_foreign_key(op.f("fk_certifications_party_id_trade_parties"), "trade_parties",
                                 ["party_id"], ["id"], ondelete="CASCADE")
        batch.create_check_constraint("one_holder", "(exporter_id IS NULL) <> (party_id IS NULL)")
        batch.create_check_constraint("status", "status IN ('certified', 'validated', 'suspended', 'removed')")
        batch.create_check_constraint("tier", "tier IS NULL OR tier IN ('I', 'II', 'III')")
        batch.create_check_constraint(
            "lapse_explained",
            "status NOT IN ('suspended', 'removed') OR (status_since IS NOT NULL AND status_reason IS NOT NULL)")
    # The certificates already recorded were certified when their validity began.
    op.execute("UPDATE certifications SET certified_on = valid_from")


def _shipment_parties() -> None:
    op.create_table(
        "shipment_parties",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("link", sa.String(length=12), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("link IN ('packhouse', 'carrier', 'driver', 'importer', 'broker')",
                           name=op.f("ck_shipment_parties_link")),
        sa.ForeignKeyConstraint(["party_id"], ["trade_parties.id"], ondelete="RESTRICT",
                                name=op.f("fk_shipment_parties_party_id_trade_parties")),
        sa.ForeignKeyConstraint(["request_id"], ["inspection_requests.id"], ondelete="CASCADE",
                                name=op.f("fk_shipment_parties_request_id_inspection_requests")),
        sa.PrimaryKeyConstraint("request_id", "link", name=op.f("pk_shipment_parties")),
    )
    op.create_index(op.f("ix_shipment_parties_party_id"), "shipment_parties", ["party_id"])


def _milestone_owners(check: str) -> None:
    """The CHECK names who may own a milestone; nothing refers to milestones then, so SQLite may rebuild it."""
    with op.batch_alter_table("milestones") as batch:
        batch.drop_constraint(op.f("ck_milestones_owner_agency"), type_="check")
        batch.create_check_constraint("owner_agency", check)


def _approvals() -> None:
    op.create_table(
        "change_proposals",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", UTC, nullable=False),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('rule_version', 'agreement_status', 'milestone_done', 'gate_decision')",
                           name=op.f("ck_change_proposals_kind")),
        sa.CheckConstraint("status IN ('pending', 'effective', 'withdrawn', 'failed')",
                           name=op.f("ck_change_proposals_status")),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], ondelete="CASCADE",
                                name=op.f("fk_change_proposals_agreement_id_agreements")),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_change_proposals_proposed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_proposals")),
    )
    op.create_index(op.f("ix_change_proposals_agreement_id"), "change_proposals", ["agreement_id"])
    op.create_index("ix_change_proposals_status_proposed", "change_proposals", ["status", "proposed_at"])
    op.create_index("uq_change_proposals_pending_subject", "change_proposals", ["kind", "subject_id"], unique=True,
                    sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
    op.create_table(
        "approvals",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("approved_at", UTC, nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["proposal_id"], ["change_proposals.id"], ondelete="CASCADE",
                                name=op.f("fk_approvals_proposal_id_change_proposals")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="RESTRICT", name=op.f("fk_approvals_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approvals")),
        sa.UniqueConstraint("proposal_id", "agency", name=op.f("uq_approvals_proposal_id_agency")),
        sa.UniqueConstraint("proposal_id", "user_id", name=op.f("uq_approvals_proposal_id_user_id")),
    )


def _pilots() -> None:
    op.create_table(
        "pilots",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("corridor", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("name_es", sa.String(length=300), nullable=False),
        sa.Column("ports", sa.JSON(), nullable=False),
        sa.Column("sites", sa.JSON(), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('planned', 'running', 'passed', 'stopped')", name=op.f("ck_pilots_status")),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_pilots_dates")),
        sa.CheckConstraint("phase >= 1", name=op.f("ck_pilots_phase")),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], ondelete="RESTRICT",
                                name=op.f("fk_pilots_agreement_id_agreements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilots")),
        sa.UniqueConstraint("code", name=op.f("uq_pilots_code")),
    )
    op.create_index(op.f("ix_pilots_agreement_id"), "pilots", ["agreement_id"])
    op.create_table(
        "pilot_participants",
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("exporter_id", sa.Integer(), nullable=True),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("(exporter_id IS NULL) <> (party_id IS NULL)",
                           name=op.f("ck_pilot_participants_one_company")),
        sa.ForeignKeyConstraint(["exporter_id"], ["exporters.id"], ondelete="RESTRICT",
                                name=op.f("fk_pilot_participants_exporter_id_exporters")),
        sa.ForeignKeyConstraint(["party_id"], ["trade_parties.id"], ondelete="RESTRICT",
                                name=op.f("fk_pilot_participants_party_id_trade_parties")),
        sa.ForeignKeyConstraint(["pilot_id"], ["pilots.id"], ondelete="CASCADE",
                                name=op.f("fk_pilot_participants_pilot_id_pilots")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_participants")),
        sa.UniqueConstraint("pilot_id", "exporter_id", name=op.f("uq_pilot_participants_pilot_id_exporter_id")),
        sa.UniqueConstraint("pilot_id", "party_id", name=op.f("uq_pilot_participants_pilot_id_party_id")),
    )
    op.create_index(op.f("ix_pilot_participants_pilot_id"), "pilot_participants", ["pilot_id"])
    op.create_table(
        "pilot_criteria",
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Double(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["measure_id"], ["performance_measures.id"], ondelete="RESTRICT",
                                name=op.f("fk_pilot_criteria_measure_id_performance_measures")),
        sa.ForeignKeyConstraint(["pilot_id"], ["pilots.id"], ondelete="CASCADE",
                                name=op.f("fk_pilot_criteria_pilot_id_pilots")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_criteria")),
        sa.UniqueConstraint("pilot_id", "measure_id", name=op.f("uq_pilot_criteria_pilot_id_measure_id")),
    )
    op.create_index(op.f("ix_pilot_criteria_pilot_id"), "pilot_criteria", ["pilot_id"])
    op.create_table(
        "gate_reviews",
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("readings", sa.JSON(), nullable=True),
        sa.Column("next_phase", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("decision IS NULL OR decision IN ('pass', 'extend', 'stop')",
                           name=op.f("ck_gate_reviews_decision")),
        sa.CheckConstraint("status IN ('scheduled', 'proposed', 'passed', 'extended', 'stopped')",
                           name=op.f("ck_gate_reviews_status")),
        sa.ForeignKeyConstraint(["pilot_id"], ["pilots.id"], ondelete="CASCADE",
                                name=op.f("fk_gate_reviews_pilot_id_pilots")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gate_reviews")),
        sa.UniqueConstraint("pilot_id", "phase", name=op.f("uq_gate_reviews_pilot_id_phase")),
    )
    op.create_index(op.f("ix_gate_reviews_pilot_id"), "gate_reviews", ["pilot_id"])


def _seal_stock() -> None:
    op.create_table(
        "seal_stock",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=10), nullable=False),
        sa.Column("iso_class", sa.String(length=1), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("first", sa.BigInteger(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.Column("digits", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("iso_class IN ('H', 'S', 'I')", name=op.f("ck_seal_stock_iso_class")),
        sa.CheckConstraint("issuer IN ('CBP', 'APHIS', 'SENASICA')", name=op.f("ck_seal_stock_issuer")),
        sa.CheckConstraint("kind IN ('mechanical', 'electronic')", name=op.f("ck_seal_stock_kind")),
        sa.CheckConstraint("digits BETWEEN 1 AND 18", name=op.f("ck_seal_stock_digits")),
        sa.CheckConstraint("first >= 0 AND last >= first", name=op.f("ck_seal_stock_range")),
        sa.ForeignKeyConstraint(["issued_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_seal_stock_issued_by_id_users")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], ondelete="RESTRICT", name=op.f("fk_seal_stock_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seal_stock")),
    )
    op.create_index("ix_seal_stock_site_prefix", "seal_stock", ["site_id", "prefix"])
    # Plain columns: seal_events refer to seals, so SQLite must not rebuild the table.
    op.add_column("seals", sa.Column("issuer", sa.String(length=10), nullable=True))
    op.add_column("seals", sa.Column("iso_class", sa.String(length=1), nullable=True))


def downgrade() -> None:
    op.drop_index("ix_inspection_requests_rejected_at", "inspection_requests")
    op.drop_index("ix_inspection_requests_released_at", "inspection_requests")
    # Native DROP COLUMN (SQLite 3.35+): sites, seals and rules are referred to and must not be rebuilt.
    op.drop_column("sites", "planned")
    op.drop_column("seals", "iso_class")
    op.drop_column("seals", "issuer")
    op.drop_index("ix_seal_stock_site_prefix", "seal_stock")
    op.drop_table("seal_stock")
    for table in ("gate_reviews", "pilot_criteria", "pilot_participants", "pilots"):
        op.drop_table(table)
    op.drop_table("approvals")
    op.drop_index("uq_change_proposals_pending_subject", "change_proposals")
    op.drop_index("ix_change_proposals_status_proposed", "change_proposals")
    op.drop_table("change_proposals")
    op.drop_column("performance_measures", "baseline_note")
    op.drop_column("performance_measures", "baseline")
    op.drop_table("milestone_gates")
    op.execute("UPDATE milestones SET owner_agency = 'JOINT' WHERE owner_agency = 'SAT'")
    _milestone_owners(OWNERS_0001)
    op.drop_column("rules", "requires_whole_chain")
    op.drop_column("rules", "requires_recognised_status")
    op.drop_table("shipment_parties")
    # Only exporters' certificates, each with an end, fit the table as it was.
    op.execute("DELETE FROM certifications WHERE exporter_id IS NULL")
    op.execute("UPDATE certifications SET valid_until = '9999-12-31' WHERE valid_until IS NULL")
    with op.batch_alter_table("certifications") as batch:
        for name in ("lapse_explained", "tier", "status", "one_holder"):
            batch.drop_constraint(op.f(f"ck_certifications_{name}"), type_="check")
        batch.drop_constraint(op.f("fk_certifications_party_id_trade_parties"), type_="foreignkey")
        batch.drop_index(op.f("ix_certifications_party_id"))
        batch.alter_column("valid_until", existing_type=sa.Date(), nullable=False)
        batch.alter_column("exporter_id", existing_type=sa.Integer(), nullable=False)
        for column in ("version_id", "status_reason", "status_since", "validator", "revalidation_due",
                       "last_validated_on", "validation_planned_on", "certified_on", "applied_on", "tier",
                       "status", "party_id"):
            batch.drop_column(column)
    op.drop_table("trade_parties")
    op.drop_table("recognition_arrangements")
    op.drop_table("trusted_trader_programs")
