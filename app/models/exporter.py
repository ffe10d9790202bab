"""Exporting companies and their trusted-trader certifications."""

from __future__ import annotations

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
        back_populates="exporter", cascade="all, delete-orphan", order_by="(Certification.program, Certification.id)"
    )
    users: Mapped[list[User]] = relationship(back_populates="exporter")


from .register import Certification  # noqa: E402  (the register keeps exporters' certificates too)
