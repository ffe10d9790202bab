"""Shipments: one inspection request each, with where it stands from request to release.

The table keeps its first name, inspection_requests, and other tables' request_id columns point at it:
an exporter requests a joint inspection for one shipment, so the request and the shipment are one thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .base import Base, IdMixin, one_of, utcnow
from .commodity import Commodity
from .exporter import Exporter
from .site import Site

SHIPMENT_STATUSES = (
    "requested", "scheduled", "inspected", "sealed", "at_border", "released", "cancelled", "rejected",
)
QUANTITY_UNITS = ("kg", "boxes", "pallets")

request_sites = sa.Table(
    "request_sites",
    Base.metadata,
    sa.Column("request_id", sa.ForeignKey("inspection_requests.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("site_id", sa.ForeignKey("sites.id", ondelete="RESTRICT"), primary_key=True),
)


_status_change_allowed: ContextVar[bool] = ContextVar("status_change_allowed", default=False)


@contextmanager
def changing_status() -> Iterator[None]:
    """Lets the lifecycle (app.services.shipments.lifecycle) set a status; nothing else may."""
    token = _status_change_allowed.set(True)
    try:
        yield
    finally:
        _status_change_allowed.reset(token)


class StatusChangeRefused(RuntimeError):
    """Code outside the lifecycle tried to set a shipment's status."""


class Shipment(IdMixin, Base):
    __tablename__ = "inspection_requests"
    __table_args__ = (
        sa.CheckConstraint(one_of("status", SHIPMENT_STATUSES), name="status"),
        sa.CheckConstraint(one_of("quantity_unit", QUANTITY_UNITS), name="quantity_unit"),
        sa.CheckConstraint("quantity > 0", name="quantity"),
        sa.CheckConstraint("priority BETWEEN 1 AND 5", name="priority"),
        sa.CheckConstraint("inspection_minutes > 0", name="inspection_minutes"),
        sa.CheckConstraint("border_inspection_minutes > 0", name="border_inspection_minutes"),
        sa.CheckConstraint("cross_by > ready", name="cross_by_after_ready"),
        sa.CheckConstraint("arrive_port >= ready AND arrive_port <= cross_by", name="arrive_port_window"),
        sa.CheckConstraint("cross_by_offset_minutes BETWEEN -840 AND 840", name="cross_by_offset"),
        sa.Index("ix_inspection_requests_exporter_status", "exporter_id", "status"),
        sa.Index("ix_inspection_requests_port_cross_by", "port_id", "cross_by"),
        sa.Index("ix_inspection_requests_status_ready", "status", "ready"),
        # A year of data (migration 0004): lists newest first, the open queue by deadline.
        sa.Index("ix_inspection_requests_exporter_ready", "exporter_id", "ready", "id"),
        sa.Index("ix_inspection_requests_status_cross_by", "status", "cross_by"),
        sa.Index("ix_inspection_requests_ready", "ready", "id"),
        # A period's crossings, per agreement (migration 0011).
        sa.Index("ix_inspection_requests_released_at", "released_at"),
        sa.Index("ix_inspection_requests_rejected_at", "rejected_at"),
    )

    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    exporter_id: Mapped[int] = mapped_column(sa.ForeignKey("exporters.id", ondelete="RESTRICT"))
    commodity_code: Mapped[str] = mapped_column(sa.ForeignKey("commodities.code", ondelete="RESTRICT"))
    origin_state: Mapped[str] = mapped_column(sa.String(10))
    packhouse: Mapped[str] = mapped_column(sa.String(200))
    # Where the load is packed (exchange format version 2): the packhouse's place when known, else the
    # centre of the origin state (services/shipments/origins.py); empty for a request imported from a
    # version 1 scenario, which keeps version 1's meaning (no travel from an origin).
    origin_lat: Mapped[float | None]
    origin_lon: Mapped[float | None]
    quantity: Mapped[int]
    quantity_unit: Mapped[str] = mapped_column(sa.String(10), default="boxes")
    port_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="RESTRICT"))
    ready: Mapped[datetime]
    arrive_port: Mapped[datetime]
    cross_by: Mapped[datetime]
    # The offset cross_by was written with: certificates and rule dates compare with that date.
    cross_by_offset_minutes: Mapped[int] = mapped_column(default=0)
    inspection_minutes: Mapped[int]
    border_inspection_minutes: Mapped[int]
    priority: Mapped[int] = mapped_column(default=3)
    sealable: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="requested")
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    scheduled_at: Mapped[datetime | None]
    inspected_at: Mapped[datetime | None]
    sealed_at: Mapped[datetime | None]
    at_border_at: Mapped[datetime | None]
    # When the truck reached the port, as the officer recorded it: the border decision is taken on it.
    arrived_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    rejected_at: Mapped[datetime | None]
    version_id: Mapped[int] = mapped_column(default=1)

    exporter: Mapped[Exporter] = relationship()
    commodity: Mapped[Commodity] = relationship()
    port: Mapped[Site] = relationship()
    sites: Mapped[list[Site]] = relationship(secondary=request_sites)

    __mapper_args__ = {"version_id_col": version_id}

    @validates("status")
    def _status_only_through_the_lifecycle(self, _key: str, status: str) -> str:
        # A new shipment starts as requested; every later status is a step of the lifecycle, so that
        # its guard, its time stamp and its audit entry can never be skipped.
        if not _status_change_allowed.get() and not (status == "requested" and self.id is None):
            raise StatusChangeRefused(f"the status of shipment {self.reference} changes only through its lifecycle")
        return status

    @property
    def cross_by_as_written(self) -> datetime:
        """cross_by in the offset it was written with."""
        return self.cross_by.astimezone(timezone(timedelta(minutes=self.cross_by_offset_minutes)))


class RequestCount(Base):
    """How many requests each company has in each status, kept by database triggers (migration 0006).

    A list page says how many pages there are; counting a large exporter's year of shipments for
    every page cost more than the page itself, so the unfiltered totals are summed from these rows.
    """

    __tablename__ = "request_counts"

    exporter_id: Mapped[int] = mapped_column(sa.ForeignKey("exporters.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    requests: Mapped[int] = mapped_column(default=0)
