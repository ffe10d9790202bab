"""Indexes the pages need with a year of data (250,000 shipments), as bench/web.py measured them.

- exporter home: the company's shipments newest first, a page at a time (exporter_id, ready, id);
- coordinator home and queue: the few waiting or scheduled requests by deadline (status, cross_by).
  Not (cross_by) alone: with it PostgreSQL walks a year of released shipments in deadline order to
  find the 50 open ones at the end (200 ms instead of 1 ms), so the queue filtered by date and any
  status scans instead (measured in docs/benchmarks.md);
- the API's list for agency staff (every company's requests, newest ready time first) (ready, id):
  a page without sorting 250,000 rows (90 ms -> 1 ms);
- supervisor dashboard and measures: the period's current border decisions (decided_at, current).
  Not (current, decided_at): SQLite then looks up a request's current decision through it (every
  current decision scanned per shipment) instead of (request_id, decided_at), and the officer's
  port queue never finishes;
- audit log by kind of record and date, and the list of kinds (entity_type, occurred_at);
- seal exceptions: the few broken, missing or mismatched seals among all (status).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_inspection_requests_exporter_ready", "inspection_requests", ["exporter_id", "ready", "id"]),
    ("ix_inspection_requests_status_cross_by", "inspection_requests", ["status", "cross_by"]),
    ("ix_inspection_requests_ready", "inspection_requests", ["ready", "id"]),
    ("ix_border_decisions_decided_current", "border_decisions", ["decided_at", "current"]),
    ("ix_audit_log_entity_type_occurred", "audit_log", ["entity_type", "occurred_at"]),
    ("ix_seals_status", "seals", ["status"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
