"""Requests per company and status, kept by triggers, so a list page need not count a year of shipments.

Every page of the exporter's list and of the API's says how many requests and pages there are. For an
exporter with a year of shipments (38,000 in bench/api.py) that count read the whole company's index on
every page: 2-5 ms of PostgreSQL time per page, more than the page itself, and a quarter of the API's
read throughput. `request_counts` holds the number per company and status; triggers on
inspection_requests keep it exact on both databases: an insert counts the new request, a change of
status or company moves it, a delete takes it out.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _count(row: str, sign: str) -> str:
    return (
        "INSERT INTO request_counts (exporter_id, status, requests) "
        f"VALUES ({row}.exporter_id, {row}.status, {sign}) "
        "ON CONFLICT (exporter_id, status) DO UPDATE SET requests = request_counts.requests + excluded.requests"
    )


SQLITE_TRIGGERS = (
    ("inspection_requests_count_insert", "AFTER INSERT ON inspection_requests", (("NEW", "1"),)),
    ("inspection_requests_count_update", "AFTER UPDATE OF exporter_id, status ON inspection_requests",
     (("OLD", "-1"), ("NEW", "1"))),
    ("inspection_requests_count_delete", "AFTER DELETE ON inspection_requests", (("OLD", "-1"),)),
)


def upgrade() -> None:
    op.create_table(
        "request_counts",
        sa.Column("exporter_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["exporter_id"], ["exporters.id"], ondelete="CASCADE",
                                name="fk_request_counts_exporter_id_exporters"),
        sa.PrimaryKeyConstraint("exporter_id", "status", name="pk_request_counts"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION inspection_requests_count() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN {_count("OLD", "-1")}; END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') THEN {_count("NEW", "1")}; END IF;
                RETURN NULL;
            END $$
        """)
        op.execute("CREATE TRIGGER inspection_requests_count AFTER INSERT OR DELETE OR UPDATE OF exporter_id, status "
                   "ON inspection_requests FOR EACH ROW EXECUTE FUNCTION inspection_requests_count()")
    else:
        for name, when, steps in SQLITE_TRIGGERS:
            body = "; ".join(_count(row, sign) for row, sign in steps)
            op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN {body}; END")
    # The requests already there, counted once: the triggers keep the count from here on.
    op.execute("INSERT INTO request_counts (exporter_id, status, requests) "
               "SELECT exporter_id, status, count(*) FROM inspection_requests GROUP BY exporter_id, status")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER inspection_requests_count ON inspection_requests")
        op.execute("DROP FUNCTION inspection_requests_count()")
    else:
        for name, _when, _steps in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("request_counts")
