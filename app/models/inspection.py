"""Inspections (joint inland or border) and the inspectors booked on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, one_of
from .inspector import Inspector
from .shipment import Shipment
from .site import Site

INSPECTION_KINDS = ("joint_inland", "border")
INSPECTION_STATUSES = ("scheduled", "done", "cancelled")
RESULTS = ("pass", "fail", "hold")


class Inspection(IdMixin, Base):
    __tablename__ = "inspections"
    __table_args__ = (
        sa.CheckConstraint(one_of("kind", INSPECTION_KINDS), name="kind"),
        sa.CheckConstraint(one_of("status", INSPECTION_STATUSES), name="status"),
        sa.CheckConstraint(f"result IS NULL OR {one_of('result', RESULTS)}", name="result"),
        sa.CheckConstraint('"end" > start', name="end_after_start"),
        sa.CheckConstraint("status <> 'done' OR result IS NOT NULL", name="done_has_result"),
        sa.Index("ix_inspections_site_start", "site_id", "start"),
        sa.Index("ix_inspections_request_kind", "request_id", "kind"),
        # The median time to inspection reads one week's joint inspections (migration 0005).
        sa.Index("ix_inspections_kind_start", "kind", "start"),
    )

    request_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_requests.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(12))
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="RESTRICT"))
    start: Mapped[datetime]
    end: Mapped[datetime]
    status: Mapped[str] = mapped_column(sa.String(10), default="scheduled")
    result: Mapped[str | None] = mapped_column(sa.String(5))
    findings: Mapped[str | None] = mapped_column(sa.Text)
    # A border inspection's outcome for pests: False when none was found, True with interceptions recorded.
    pests_found: Mapped[bool | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime | None]
    schedule_run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("schedule_runs.id", ondelete="SET NULL"))
    # A published inspection keeps its id when a new plan moves it; this says what moved, and when.
    changed_at: Mapped[datetime | None]
    change_note: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # Why a scheduled inspection was cancelled (the shipment was cancelled, a new plan dropped it).
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    version_id: Mapped[int] = mapped_column(default=1)

    request: Mapped[Shipment] = relationship()
    site: Mapped[Site] = relationship()
    bookings: Mapped[list[InspectorBooking]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}


class InspectorBooking(Base):
    """An inspector on an inspection; its own copy of the times lets the database refuse overlaps."""

    __tablename__ = "inspector_bookings"
    __table_args__ = (
        sa.CheckConstraint('"end" > start', name="end_after_start"),
        sa.Index("ix_inspector_bookings_inspector_start", "inspector_id", "start"),
    )

    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True)
    inspector_id: Mapped[int] = mapped_column(sa.ForeignKey("inspectors.id", ondelete="RESTRICT"), primary_key=True)
    start: Mapped[datetime]
    end: Mapped[datetime]
    # Cancelled inspections release their inspectors without losing the record.
    active: Mapped[bool] = mapped_column(default=True)

    inspection: Mapped[Inspection] = relationship(back_populates="bookings")
    inspector: Mapped[Inspector] = relationship()
