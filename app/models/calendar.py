"""Days a site is closed in advance: federal holidays per country, and dated closures per site or port."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, utcnow
from .site import Site

HOLIDAY_COUNTRIES = ("MX", "US")


class Holiday(IdMixin, Base):
    """A day off in one country's federal calendar; sites that observe that country close all day."""

    __tablename__ = "holidays"
    __table_args__ = (
        sa.UniqueConstraint("country", "day"),
        sa.CheckConstraint("country IN ('MX', 'US')", name="country"),
    )

    country: Mapped[str] = mapped_column(sa.String(2))
    day: Mapped[date]
    name_en: Mapped[str] = mapped_column(sa.String(120))
    name_es: Mapped[str] = mapped_column(sa.String(120))

    def name(self, language: str) -> str:
        return self.name_es if language == "es" else self.name_en


class SiteClosure(IdMixin, Base):
    """Whole local days, first to last inclusive, on which a site or port is closed (planned in advance)."""

    __tablename__ = "site_closures"
    __table_args__ = (
        sa.CheckConstraint("last_day >= first_day", name="last_after_first"),
        sa.Index("ix_site_closures_site_days", "site_id", "last_day"),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    first_day: Mapped[date]
    last_day: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()
