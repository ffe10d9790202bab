"""Inspectors of the three agencies, their qualifications and shifts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, one_of
from .commodity import Commodity
from .site import Site
from ..roles import AGENCIES
from .user import User

inspector_qualifications = sa.Table(
    "inspector_qualifications",
    Base.metadata,
    sa.Column("inspector_id", sa.ForeignKey("inspectors.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("commodity_code", sa.ForeignKey("commodities.code", ondelete="RESTRICT"), primary_key=True),
)


class Inspector(IdMixin, Base):
    __tablename__ = "inspectors"
    __table_args__ = (
        sa.CheckConstraint(one_of("agency", AGENCIES), name="agency"),
        sa.CheckConstraint("max_minutes_per_day > 0 AND max_minutes_per_day <= 1440", name="daily_cap"),
    )

    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    agency: Mapped[str] = mapped_column(sa.String(10))
    home_site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="RESTRICT"), index=True)
    max_minutes_per_day: Mapped[int] = mapped_column(default=420)
    qualified_any: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User | None] = relationship()
    home_site: Mapped[Site] = relationship()
    qualifications: Mapped[list[Commodity]] = relationship(secondary=inspector_qualifications)
    shifts: Mapped[list[Shift]] = relationship(
        back_populates="inspector", cascade="all, delete-orphan", order_by="Shift.start"
    )

    def qualified_for(self, commodity_code: str) -> bool:
        return self.qualified_any or any(c.code == commodity_code for c in self.qualifications)


class Shift(IdMixin, Base):
    """A period an inspector is on duty; an unavailable shift (illness, leave) keeps its reason."""

    __tablename__ = "shifts"
    __table_args__ = (
        sa.CheckConstraint('"end" > start', name="end_after_start"),
        sa.UniqueConstraint("inspector_id", "start"),
    )

    inspector_id: Mapped[int] = mapped_column(sa.ForeignKey("inspectors.id", ondelete="CASCADE"), index=True)
    start: Mapped[datetime]
    end: Mapped[datetime]
    available: Mapped[bool] = mapped_column(default=True)
    unavailable_reason: Mapped[str | None] = mapped_column(sa.Text)

    inspector: Mapped[Inspector] = relationship(back_populates="shifts")
