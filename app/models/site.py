"""Inland joint inspection sites and border ports, their hours, commodities and travel times."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, one_of

SITE_KINDS = ("inland", "port")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

site_commodities = sa.Table(
    "site_commodities",
    Base.metadata,
    sa.Column("site_id", sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("commodity_code", sa.ForeignKey("commodities.code", ondelete="RESTRICT"), primary_key=True),
)


class Site(IdMixin, Base):
    __tablename__ = "sites"
    __table_args__ = (
        sa.CheckConstraint(one_of("kind", SITE_KINDS), name="kind"),
        sa.CheckConstraint("country IN ('US', 'MX')", name="country"),
        sa.CheckConstraint("bays >= 1", name="bays"),
        sa.CheckConstraint("lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180", name="coordinates"),
        sa.CheckConstraint("active OR closed_reason IS NOT NULL", name="closed_has_reason"),
    )

    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(10))
    country: Mapped[str] = mapped_column(sa.String(2))
    state: Mapped[str] = mapped_column(sa.String(10))
    lat: Mapped[float]
    lon: Mapped[float]
    timezone: Mapped[str] = mapped_column(sa.String(64))
    bays: Mapped[int] = mapped_column(default=1)
    # True when the site inspects any commodity ("*" in the exchange format).
    inspects_any: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True)
    closed_reason: Mapped[str | None] = mapped_column(sa.Text)
    closed_at: Mapped[datetime | None]
    # A facility that does not exist yet (a joint inspection facility still to be built): closed until it opens.
    planned: Mapped[bool] = mapped_column(default=False)
    # Countries whose federal holidays close the site ("MX", "US"), from the holidays table.
    observes_holidays: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    hours: Mapped[list[SiteHours]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="SiteHours.id"
    )
    commodities: Mapped[list["Commodity"]] = relationship(secondary=site_commodities)  # noqa: F821

    def inspects(self, commodity_code: str) -> bool:
        return self.inspects_any or any(c.code == commodity_code for c in self.commodities)


class SiteHours(IdMixin, Base):
    """One weekly opening period in the site's own time zone ("24:00" closes at midnight)."""

    __tablename__ = "site_hours"
    __table_args__ = (
        sa.CheckConstraint("close_time > open_time", name="close_after_open"),
        sa.CheckConstraint("length(open_time) = 5 AND length(close_time) = 5", name="hhmm"),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    days: Mapped[list[str]] = mapped_column(sa.JSON)
    open_time: Mapped[str] = mapped_column(sa.String(5))
    close_time: Mapped[str] = mapped_column(sa.String(5))

    site: Mapped[Site] = relationship(back_populates="hours")


class TravelTime(Base):
    """A measured travel time that overrides the distance-based estimate between two sites."""

    __tablename__ = "travel_times"
    __table_args__ = (
        sa.CheckConstraint("minutes >= 0", name="minutes"),
        sa.CheckConstraint("from_site_id <> to_site_id", name="distinct_sites"),
    )

    from_site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    to_site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    minutes: Mapped[int]


from .commodity import Commodity  # noqa: E402  (resolves the string annotation above)
