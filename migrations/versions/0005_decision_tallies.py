"""Daily tallies of recorded border decisions, kept by triggers; the joint inspections of a week by time.

With a year of data the dashboard joined every decision of the period to its request to group them by
port and commodity (SQLite 320 ms for a year, 90 ms for twelve weeks). `decision_tallies` holds, per UTC
day, port and commodity, the current decisions that rest on something that happened (an inspection,
a seal check or event, a manual reinstatement): waived, required and the border inspection minutes the
waivers saved. Triggers keep it equal to the decisions whatever writes them (the app, the seeding, a
bulk load, a restore), on SQLite and PostgreSQL alike:

- a decision inserted, updated or deleted takes its old self out of its day's tally and puts its new
  self in;
- a request whose port, commodity or border inspection time changes moves its current decision along;
- a request deleted takes its decisions out first (their cascade then finds no request to count).

The median hours to inspection reads one week's done joint inspections through (kind, start). The
seal exception rate reads a quarter's checked seals as ranges of (status, verified_at, applied_at),
which also serves what (status) served.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# metrics.RECORDED_BASES, copied: a migration keeps the rule it was written with.
RECORDED = "('inspection', 'seal_verification', 'seal_event', 'manual')"


def _tally(dialect: str, sign: str, decision: str, request: str, source: str, where: str) -> str:
    """Add (sign 1) or take out (sign -1) the decisions `decision` of the requests `request`."""
    day = (f"CAST(({decision}.decided_at AT TIME ZONE 'UTC') AS date)" if dialect == "postgresql"
           else f"date({decision}.decided_at)")
    waived = f"CASE WHEN {decision}.decision = 'waived' THEN {sign} ELSE 0 END"
    required = f"CASE WHEN {decision}.decision = 'waived' THEN 0 ELSE {sign} END"
    minutes = f"CASE WHEN {decision}.decision = 'waived' THEN {sign} * {request}.border_inspection_minutes ELSE 0 END"
    return (
        "INSERT INTO decision_tallies (day, port_id, commodity_code, waived, required, waived_minutes) "
        f"SELECT {day}, {request}.port_id, {request}.commodity_code, {waived}, {required}, {minutes} "
        f"FROM {source} WHERE {where} AND {decision}.current AND {decision}.basis IN {RECORDED} "
        "ON CONFLICT (day, port_id, commodity_code) DO UPDATE SET "
        "waived = decision_tallies.waived + excluded.waived, "
        "required = decision_tallies.required + excluded.required, "
        "waived_minutes = decision_tallies.waived_minutes + excluded.waived_minutes"
    )


def _for_decision(dialect: str, row: str, sign: str) -> str:
    return _tally(dialect, sign, row, "r", "inspection_requests AS r", f"r.id = {row}.request_id")


def _for_request(dialect: str, row: str, sign: str) -> str:
    return _tally(dialect, sign, "d", row, "border_decisions AS d", f"d.request_id = {row}.id")


REQUEST_FIELDS = "port_id, commodity_code, border_inspection_minutes"
DECISION_FIELDS = "request_id, decision, basis, decided_at, current"


def upgrade() -> None:
    op.create_index("ix_inspections_kind_start", "inspections", ["kind", "start"])
    op.create_index("ix_seals_status_verified_applied", "seals", ["status", "verified_at", "applied_at"])
    op.drop_index("ix_seals_status", table_name="seals")
    op.create_table(
        "decision_tallies",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("port_id", sa.Integer(), nullable=False),
        sa.Column("commodity_code", sa.String(length=40), nullable=False),
        sa.Column("waived", sa.Integer(), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("waived_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["commodity_code"], ["commodities.code"], ondelete="RESTRICT",
                                name="fk_decision_tallies_commodity_code_commodities"),
        sa.ForeignKeyConstraint(["port_id"], ["sites.id"], ondelete="RESTRICT",
                                name="fk_decision_tallies_port_id_sites"),
        sa.PrimaryKeyConstraint("day", "port_id", "commodity_code", name="pk_decision_tallies"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _triggers_postgresql()
    else:
        _triggers_sqlite()
    # The decisions already recorded, counted once: the triggers keep the count from here on.
    op.execute(_backfill(dialect))


def _backfill(dialect: str) -> str:
    day = ("CAST((d.decided_at AT TIME ZONE 'UTC') AS date)" if dialect == "postgresql" else "date(d.decided_at)")
    return (
        "INSERT INTO decision_tallies (day, port_id, commodity_code, waived, required, waived_minutes) "
        f"SELECT {day}, r.port_id, r.commodity_code, "
        "SUM(CASE WHEN d.decision = 'waived' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN d.decision = 'waived' THEN 0 ELSE 1 END), "
        "SUM(CASE WHEN d.decision = 'waived' THEN r.border_inspection_minutes ELSE 0 END) "
        "FROM border_decisions AS d JOIN inspection_requests AS r ON r.id = d.request_id "
        f"WHERE d.current AND d.basis IN {RECORDED} GROUP BY {day}, r.port_id, r.commodity_code"
    )


SQLITE_TRIGGERS = (
    ("border_decisions_tally_insert", "AFTER INSERT ON border_decisions", (("NEW", "1", "decision"),)),
    ("border_decisions_tally_update", f"AFTER UPDATE OF {DECISION_FIELDS} ON border_decisions",
     (("OLD", "-1", "decision"), ("NEW", "1", "decision"))),
    ("border_decisions_tally_delete", "AFTER DELETE ON border_decisions", (("OLD", "-1", "decision"),)),
    ("inspection_requests_tally_update", f"AFTER UPDATE OF {REQUEST_FIELDS} ON inspection_requests",
     (("OLD", "-1", "request"), ("NEW", "1", "request"))),
    ("inspection_requests_tally_delete", "BEFORE DELETE ON inspection_requests", (("OLD", "-1", "request"),)),
)


def _triggers_sqlite() -> None:
    for name, when, steps in SQLITE_TRIGGERS:
        body = "; ".join((_for_decision if kind == "decision" else _for_request)("sqlite", row, sign)
                         for row, sign, kind in steps)
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN {body}; END")


def _triggers_postgresql() -> None:
    op.execute(f"""
        CREATE FUNCTION border_decisions_tally() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN {_for_decision("postgresql", "OLD", "-1")}; END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN {_for_decision("postgresql", "NEW", "1")}; END IF;
            RETURN NULL;
        END $$
    """)
    op.execute(f"""
        CREATE FUNCTION inspection_requests_tally() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_for_request("postgresql", "OLD", "-1")};
            IF TG_OP = 'UPDATE' THEN {_for_request("postgresql", "NEW", "1")}; RETURN NULL; END IF;
            RETURN OLD;
        END $$
    """)
    op.execute(f"CREATE TRIGGER border_decisions_tally AFTER INSERT OR DELETE OR UPDATE OF {DECISION_FIELDS} "
               "ON border_decisions FOR EACH ROW EXECUTE FUNCTION border_decisions_tally()")
    op.execute(f"CREATE TRIGGER inspection_requests_tally_update AFTER UPDATE OF {REQUEST_FIELDS} "
               "ON inspection_requests FOR EACH ROW EXECUTE FUNCTION inspection_requests_tally()")
    op.execute("CREATE TRIGGER inspection_requests_tally_delete BEFORE DELETE ON inspection_requests "
               "FOR EACH ROW EXECUTE FUNCTION inspection_requests_tally()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER inspection_requests_tally_delete ON inspection_requests")
        op.execute("DROP TRIGGER inspection_requests_tally_update ON inspection_requests")
        op.execute("DROP TRIGGER border_decisions_tally ON border_decisions")
        op.execute("DROP FUNCTION inspection_requests_tally()")
        op.execute("DROP FUNCTION border_decisions_tally()")
    else:
        for name, _when, _steps in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("decision_tallies")
    op.create_index("ix_seals_status", "seals", ["status"])
    op.drop_index("ix_seals_status_verified_applied", table_name="seals")
    op.drop_index("ix_inspections_kind_start", table_name="inspections")
