"""Exporting companies and their trusted-trader certifications."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin

if TYPE_CHECKING:
    from .user import User

COUNTRIES = ("MX", "US")


class Exporter(IdMixin, Base):
    __tablename__ = "exporters"
    __table_args__ = (sa.CheckConstraint("length(country) = 2", name="country"),)

    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    legal_name: Mapped[str] = mapped_column(sa.String(200))
    tax_id: Mapped[str] = mapped_column(sa.String(20), unique=True)
    country: Mapped[str] = mapped_column(sa.String(2), default="MX")

    certifications: Mapped[list[Certification]] = relationship(
        back_populates="exporter", cascade="all, delete-orphan", order_by="Certification.valid_until"
    )
    users: Mapped[list[User]] = relationship(back_populates="exporter")


class Certification(IdMixin, Base):
    """A trusted-trader certificate such as Mexico's OEA or the US CTPAT."""

    __tablename__ = "certifications"
    __table_args__ = (
        sa.UniqueConstraint("program", "certificate_id"),
        sa.CheckConstraint("valid_from IS NULL OR valid_until >= valid_from", name="valid_range"),
    )

    exporter_id: Mapped[int] = mapped_column(sa.ForeignKey("exporters.id", ondelete="CASCADE"), index=True)
    program: Mapped[str] = mapped_column(sa.String(20))
    certificate_id: Mapped[str] = mapped_column(sa.String(60))
    valid_from: Mapped[date | None]
    valid_until: Mapped[date]

    exporter: Mapped[Exporter] = relationship(back_populates="certifications")
