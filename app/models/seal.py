"""High-security seals applied after a joint inspection, and what happened to them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, one_of, utcnow

SEAL_KINDS = ("mechanical", "electronic")
SEAL_STATUSES = ("applied", "intact", "broken", "missing", "mismatch", "removed")
# ISO 17712: H high security, S security, I indicative. Who issues seal stock to the inspection sites.
ISO_17712_CLASSES = ("H", "S", "I")
SEAL_ISSUERS = ("CBP", "APHIS", "SENASICA")
SEAL_EVENT_KINDS = ("applied", "opened", "closed", "tamper", "verified", "reported_broken", "reported_missing")


class Seal(IdMixin, Base):
    """An ISO 17712 mechanical seal or an ISO 18185 electronic seal on one shipment."""

    __tablename__ = "seals"
    __table_args__ = (
        sa.CheckConstraint(one_of("kind", SEAL_KINDS), name="kind"),
        sa.CheckConstraint(one_of("status", SEAL_STATUSES), name="status"),
        sa.CheckConstraint("verified_at IS NULL OR verified_at >= applied_at", name="verified_after_applied"),
        # A period's checked seals by status: verified in the period, or never verified and applied in
        # it (metrics.seals_checked_in); the exceptions are a few among a year of seals (migration 0005).
        sa.Index("ix_seals_status_verified_applied", "status", "verified_at", "applied_at"),
    )

    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(12), default="mechanical")
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_requests.id", ondelete="CASCADE"), index=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspections.id", ondelete="RESTRICT"), index=True)
    applied_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(sa.String(10), default="applied")
    # From the stock range the number was issued in (app.services.border.seal_stock): who issued it and its
    # ISO 17712 class. Empty for seals recorded before seal stock was kept.
    issuer: Mapped[str | None] = mapped_column(sa.String(10))
    iso_class: Mapped[str | None] = mapped_column(sa.String(1))
    version_id: Mapped[int] = mapped_column(default=1)

    inspection: Mapped["Inspection"] = relationship()  # noqa: F821
    events: Mapped[list[SealEvent]] = relationship(
        back_populates="seal", cascade="all, delete-orphan", order_by="SealEvent.occurred_at"
    )

    __mapper_args__ = {"version_id_col": version_id}


class SealStock(IdMixin, Base):
    """A numbered range of seals issued to one site: prefix + a zero-padded number from `first` to `last`."""

    __tablename__ = "seal_stock"
    __table_args__ = (
        sa.CheckConstraint(one_of("kind", SEAL_KINDS), name="kind"),
        sa.CheckConstraint(one_of("issuer", SEAL_ISSUERS), name="issuer"),
        sa.CheckConstraint(one_of("iso_class", ISO_17712_CLASSES), name="iso_class"),
        sa.CheckConstraint("first >= 0 AND last >= first", name="range"),
        sa.CheckConstraint("digits BETWEEN 1 AND 18", name="digits"),
        sa.Index("ix_seal_stock_site_prefix", "site_id", "prefix"),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="RESTRICT"))
    issuer: Mapped[str] = mapped_column(sa.String(10))
    iso_class: Mapped[str] = mapped_column(sa.String(1))
    kind: Mapped[str] = mapped_column(sa.String(12), default="mechanical")
    prefix: Mapped[str] = mapped_column(sa.String(20))
    first: Mapped[int] = mapped_column(sa.BigInteger)
    last: Mapped[int] = mapped_column(sa.BigInteger)
    digits: Mapped[int]
    issued_on: Mapped[date]
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped["Site"] = relationship()  # noqa: F821

    def number(self, n: int) -> str:
        return f"{self.prefix}{n:0{self.digits}d}"

    @property
    def size(self) -> int:
        return self.last - self.first + 1


class SealEvent(IdMixin, Base):
    """Something that happened to a seal: applied, verified, or an electronic seal's report."""

    __tablename__ = "seal_events"
    __table_args__ = (sa.CheckConstraint(one_of("kind", SEAL_EVENT_KINDS), name="kind"),)

    seal_id: Mapped[int] = mapped_column(sa.ForeignKey("seals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    place: Mapped[str | None] = mapped_column(sa.String(200))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    source: Mapped[str] = mapped_column(sa.String(40), default="officer")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    details: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    seal: Mapped[Seal] = relationship(back_populates="events")


from .inspection import Inspection  # noqa: E402
from .site import Site  # noqa: E402
