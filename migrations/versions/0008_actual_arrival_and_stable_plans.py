"""The truck's actual arrival, plans that keep their inspections, and avoided inspections counted when realised.

- `inspection_requests.arrived_at`: when the truck reached the port, as the officer recorded it; the
  border decision is taken again on it.
- `inspections.changed_at`, `change_note`, `cancel_reason`: a new plan changes an inspection in place
  (it keeps its id, says what moved) or cancels it with a reason.
- `schedule_runs.superseded_at`, `superseded_by_id`, `based_on_run_id`: one live plan per horizon.
- `decision_tallies` now counts a shipment's current decision when the shipment is done with the
  border: released (waived: no border inspection; required: released after one) or rejected after
  reaching it, on the day it was. A plan's or an inspection's decision is a forecast, and a truck that
  never arrives counts in neither. Triggers on `inspection_requests` follow its status and times too.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# app.services.dashboard.avoided.CROSSED, copied: a migration keeps the rule it was written with.
CROSSED = "({r}.status = 'released' OR ({r}.status = 'rejected' AND {r}.at_border_at IS NOT NULL))"
RECORDED = "('inspection', 'seal_verification', 'seal_event', 'manual')"  # 0005's, to restore it
REQUEST_FIELDS_0005 = "port_id, commodity_code, border_inspection_minutes"
REQUEST_FIELDS = "port_id, commodity_code, border_inspection_minutes, status, released_at, rejected_at, at_border_at"
DECISION_FIELDS = "request_id, decision, basis, decided_at, current"


def _day(dialect: str, moment: str) -> str:
    return f"CAST(({moment} AT TIME ZONE 'UTC') AS date)" if dialect == "postgresql" else f"date({moment})"


def _tally(dialect: str, sign: str, decision: str, request: str, source: str, where: str, realised: bool) -> str:
    """Add (sign 1) or take out (sign -1) the decisions `decision` of the shipments `request`."""
    if realised:
        day = _day(dialect, f"COALESCE({request}.released_at, {request}.rejected_at)")
        counted = f"{decision}.current AND {CROSSED.format(r=request)}"
    else:
        day = _day(dialect, f"{decision}.decided_at")
        counted = f"{decision}.current AND {decision}.basis IN {RECORDED}"
    waived = f"CASE WHEN {decision}.decision = 'waived' THEN {sign} ELSE 0 END"
    required = f"CASE WHEN {decision}.decision = 'waived' THEN 0 ELSE {sign} END"
    minutes = f"CASE WHEN {decision}.decision = 'waived' THEN {sign} * {request}.border_inspection_minutes ELSE 0 END"
    return (
        "INSERT INTO decision_tallies (day, port_id, commodity_code, waived, required, waived_minutes) "
        f"SELECT {day}, {request}.port_id, {request}.commodity_code, {waived}, {required}, {minutes} "
        f"FROM {source} WHERE {where} AND {counted} "
        "ON CONFLICT (day, port_id, commodity_code) DO UPDATE SET "
        "waived = decision_tallies.waived + excluded.waived, "
        "required = decision_tallies.required + excluded.required, "
        "waived_minutes = decision_tallies.waived_minutes + excluded.waived_minutes"
    )


def _for_decision(dialect: str, row: str, sign: str, realised: bool) -> str:
    return _tally(dialect, sign, row, "r", "inspection_requests AS r", f"r.id = {row}.request_id", realised)


def _for_request(dialect: str, row: str, sign: str, realised: bool) -> str:
    return _tally(dialect, sign, "d", row, "border_decisions AS d", f"d.request_id = {row}.id", realised)


def _sqlite_triggers(request_fields: str):
    return (
        ("border_decisions_tally_insert", "AFTER INSERT ON border_decisions", (("NEW", "1", "decision"),)),
        ("border_decisions_tally_update", f"AFTER UPDATE OF {DECISION_FIELDS} ON border_decisions",
         (("OLD", "-1", "decision"), ("NEW", "1", "decision"))),
        ("border_decisions_tally_delete", "AFTER DELETE ON border_decisions", (("OLD", "-1", "decision"),)),
        ("inspection_requests_tally_update", f"AFTER UPDATE OF {request_fields} ON inspection_requests",
         (("OLD", "-1", "request"), ("NEW", "1", "request"))),
        ("inspection_requests_tally_delete", "BEFORE DELETE ON inspection_requests", (("OLD", "-1", "request"),)),
    )


def _create_triggers(dialect: str, realised: bool) -> None:
    fields = REQUEST_FIELDS if realised else REQUEST_FIELDS_0005
    if dialect != "postgresql":
        for name, when, steps in _sqlite_triggers(fields):
            body = "; ".join((_for_decision if kind == "decision" else _for_request)("sqlite", row, sign, realised)
                             for row, sign, kind in steps)
            op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN {body}; END")
        return
    op.execute(f"""
        CREATE FUNCTION border_decisions_tally() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN {_for_decision(dialect, "OLD", "-1", realised)}; END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN {_for_decision(dialect, "NEW", "1", realised)}; END IF;
            RETURN NULL;
        END $$
    """)
    op.execute(f"""
        CREATE FUNCTION inspection_requests_tally() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_for_request(dialect, "OLD", "-1", realised)};
            IF TG_OP = 'UPDATE' THEN {_for_request(dialect, "NEW", "1", realised)}; RETURN NULL; END IF;
            RETURN OLD;
        END $$
    """)
    op.execute(f"CREATE TRIGGER border_decisions_tally AFTER INSERT OR DELETE OR UPDATE OF {DECISION_FIELDS} "
               "ON border_decisions FOR EACH ROW EXECUTE FUNCTION border_decisions_tally()")
    op.execute(f"CREATE TRIGGER inspection_requests_tally_update AFTER UPDATE OF {fields} "
               "ON inspection_requests FOR EACH ROW EXECUTE FUNCTION inspection_requests_tally()")
    op.execute("CREATE TRIGGER inspection_requests_tally_delete BEFORE DELETE ON inspection_requests "
               "FOR EACH ROW EXECUTE FUNCTION inspection_requests_tally()")


def _drop_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute("DROP TRIGGER inspection_requests_tally_delete ON inspection_requests")
        op.execute("DROP TRIGGER inspection_requests_tally_update ON inspection_requests")
        op.execute("DROP TRIGGER border_decisions_tally ON border_decisions")
        op.execute("DROP FUNCTION inspection_requests_tally()")
        op.execute("DROP FUNCTION border_decisions_tally()")
    else:
        for name, _when, _steps in _sqlite_triggers(REQUEST_FIELDS):
            op.execute(f"DROP TRIGGER {name}")


def _recount(dialect: str, realised: bool) -> None:
    """The tallies counted again from the records, under the rule the triggers now keep."""
    op.execute("DELETE FROM decision_tallies")
    if realised:
        day = _day(dialect, "COALESCE(r.released_at, r.rejected_at)")
        counted = f"d.current AND {CROSSED.format(r='r')}"
    else:
        day = _day(dialect, "d.decided_at")
        counted = f"d.current AND d.basis IN {RECORDED}"
    op.execute(
        "INSERT INTO decision_tallies (day, port_id, commodity_code, waived, required, waived_minutes) "
        f"SELECT {day}, r.port_id, r.commodity_code, "
        "SUM(CASE WHEN d.decision = 'waived' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN d.decision = 'waived' THEN 0 ELSE 1 END), "
        "SUM(CASE WHEN d.decision = 'waived' THEN r.border_inspection_minutes ELSE 0 END) "
        "FROM border_decisions AS d JOIN inspection_requests AS r ON r.id = d.request_id "
        f"WHERE {counted} GROUP BY {day}, r.port_id, r.commodity_code"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("inspection_requests", sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("inspections", sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("inspections", sa.Column("change_note", sa.JSON(), nullable=True))
    op.add_column("inspections", sa.Column("cancel_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("schedule_runs") as batch:
        batch.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("superseded_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("based_on_run_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_schedule_runs_superseded_by_id_schedule_runs", "schedule_runs",
                                 ["superseded_by_id"], ["id"], ondelete="SET NULL")
        batch.create_foreign_key("fk_schedule_runs_based_on_run_id_schedule_runs", "schedule_runs",
                                 ["based_on_run_id"], ["id"], ondelete="SET NULL")
    # Of runs published before, the newest per horizon start is live; the others were replaced by it.
    op.execute("UPDATE schedule_runs SET superseded_at = published_at WHERE published_at IS NOT NULL AND EXISTS ("
               "SELECT 1 FROM schedule_runs AS later WHERE later.published_at > schedule_runs.published_at "
               "AND later.horizon_start < schedule_runs.horizon_end "
               "AND schedule_runs.horizon_start < later.horizon_end)")
    _drop_triggers(dialect)
    _create_triggers(dialect, realised=True)
    _recount(dialect, realised=True)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _drop_triggers(dialect)
    _create_triggers(dialect, realised=False)
    _recount(dialect, realised=False)
    with op.batch_alter_table("schedule_runs") as batch:
        batch.drop_constraint("fk_schedule_runs_based_on_run_id_schedule_runs", type_="foreignkey")
        batch.drop_constraint("fk_schedule_runs_superseded_by_id_schedule_runs", type_="foreignkey")
        batch.drop_column("based_on_run_id")
        batch.drop_column("superseded_by_id")
        batch.drop_column("superseded_at")
    op.drop_column("inspections", "cancel_reason")
    op.drop_column("inspections", "change_note")
    op.drop_column("inspections", "changed_at")
    op.drop_column("inspection_requests", "arrived_at")
