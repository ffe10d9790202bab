"""Each shipment's origin, where the load is packed (exchange format version 2): `origin_lat`, `origin_lon`.

Existing shipments get the centre of their origin state (seed_data/state_centres.json, the one table
of them), since no packhouse places were recorded. Plain ALTER TABLE, not a batch: on SQLite a batch
would copy inspection_requests and lose its triggers (migrations 0005, 0006, 0008).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

STATE_CENTRES = Path(__file__).resolve().parents[2] / "seed_data" / "state_centres.json"
# The common abbreviations stored before ISO 3166-2 codes were enforced.
LEGACY_STATE_CODES = {"AGS": "AGU", "BC": "BCN", "CHS": "CHP", "DGO": "DUR", "GTO": "GUA", "HGO": "HID",
                      "NL": "NLE", "QRO": "QUE", "QROO": "ROO", "TLX": "TLA"}


def upgrade() -> None:
    op.add_column("inspection_requests", sa.Column("origin_lat", sa.Double(), nullable=True))
    op.add_column("inspection_requests", sa.Column("origin_lon", sa.Double(), nullable=True))
    centres = json.loads(STATE_CENTRES.read_text(encoding="utf-8"))["centres"]
    for legacy, code in LEGACY_STATE_CODES.items():
        centres.setdefault(legacy, centres[code])
    fill = sa.text("UPDATE inspection_requests SET origin_lat = :lat, origin_lon = :lon "
                   "WHERE origin_state = :state AND origin_lat IS NULL")
    op.get_bind().execute(fill, [{"state": code, "lat": lat, "lon": lon} for code, (lat, lon) in centres.items()])


def downgrade() -> None:
    op.drop_column("inspection_requests", "origin_lon")
    op.drop_column("inspection_requests", "origin_lat")
