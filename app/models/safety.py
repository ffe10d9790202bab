"""Is recognition safe: quarantine pests, interceptions at border inspections, suspensions, risk flags."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, one_of, utcnow

LIFE_STAGES = ("egg", "larva", "pupa", "adult", "unknown")
ACTIONS = ("released_after_treatment", "re_exported", "destroyed")
LAB_RESULTS = ("pending", "confirmed", "not_actionable")
SUSPENSION_SCOPES = ("exporter", "packhouse", "origin")
OTHER_ORGANISM = "other"


class QuarantinePest(Base):
    """A quarantine pest from the reference list, with the commodities it is a risk for."""

    __tablename__ = "quarantine_pests"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    scientific_name: Mapped[str] = mapped_column(sa.String(200))
    common_name_en: Mapped[str] = mapped_column(sa.String(200))
    common_name_es: Mapped[str] = mapped_column(sa.String(200))
    commodities: Mapped[list[str]] = mapped_column(sa.JSON, default=list)


class Interception(IdMixin, Base):
    """A pest found at a border inspection, what was done with the load, and what the laboratory said."""

    __tablename__ = "interceptions"
    __table_args__ = (
        sa.CheckConstraint("count > 0", name="count"),
        sa.CheckConstraint(one_of("life_stage", LIFE_STAGES), name="life_stage"),
        sa.CheckConstraint(one_of("action", ACTIONS), name="action"),
        sa.CheckConstraint(one_of("lab_result", LAB_RESULTS), name="lab_result"),
        sa.CheckConstraint("(organism_code IS NULL) <> (other_organism IS NULL)", name="one_organism"),
        sa.Index("ix_interceptions_recorded_at", "recorded_at"),
    )

    request_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_requests.id", ondelete="CASCADE"), index=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspections.id", ondelete="RESTRICT"), index=True)
    organism_code: Mapped[str | None] = mapped_column(sa.ForeignKey("quarantine_pests.code", ondelete="RESTRICT"))
    other_organism: Mapped[str | None] = mapped_column(sa.String(200))
    life_stage: Mapped[str] = mapped_column(sa.String(10))
    count: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(30))
    sent_to_lab: Mapped[bool] = mapped_column(default=False)
    lab_result: Mapped[str] = mapped_column(sa.String(20), default="pending")
    lab_result_note: Mapped[str | None] = mapped_column(sa.Text)
    lab_result_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    pest: Mapped[QuarantinePest | None] = relationship()

    @hybrid_property
    def actionable(self) -> bool:
        """A listed quarantine pest counts unless the laboratory says otherwise; an unlisted one once confirmed.
        The one definition the thresholds, the sampling and the safety figures count by."""
        if self.lab_result == "not_actionable":
            return False
        return self.organism_code is not None or self.lab_result == "confirmed"

    @actionable.inplace.expression
    @classmethod
    def _actionable_expression(cls) -> sa.ColumnElement[bool]:
        return sa.or_(sa.and_(cls.organism_code.is_not(None), cls.lab_result != "not_actionable"),
                      cls.lab_result == "confirmed")


class SuspensionThresholds(Base):
    """How many actionable interceptions within how many days suspend recognition, per agreement."""

    __tablename__ = "suspension_thresholds"
    __table_args__ = (sa.CheckConstraint("exporter_count > 0 AND packhouse_count > 0 AND origin_count > 0 "
                                         "AND window_days > 0", name="positive"),)

    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)
    exporter_count: Mapped[int] = mapped_column(default=2)
    packhouse_count: Mapped[int] = mapped_column(default=2)
    origin_count: Mapped[int] = mapped_column(default=5)
    window_days: Mapped[int] = mapped_column(default=30)


class Suspension(IdMixin, Base):
    """Recognition paused for an exporter, a packhouse, or an origin state and commodity, until both
    agencies' supervisors lift it."""

    __tablename__ = "suspensions"
    __table_args__ = (
        sa.CheckConstraint(one_of("scope", SUSPENSION_SCOPES), name="scope"),
        sa.CheckConstraint("lifted_at IS NULL OR (lift_reason IS NOT NULL AND lifted_by_aphis_id IS NOT NULL "
                           "AND lifted_by_senasica_id IS NOT NULL)", name="lifted_by_both"),
        sa.Index("ix_suspensions_in_force", "lifted_at", "scope"),
    )

    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="RESTRICT"), index=True)
    scope: Mapped[str] = mapped_column(sa.String(10))
    exporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exporters.id", ondelete="RESTRICT"))
    packhouse: Mapped[str | None] = mapped_column(sa.String(200))
    origin_state: Mapped[str | None] = mapped_column(sa.String(10))
    commodity_code: Mapped[str | None] = mapped_column(sa.ForeignKey("commodities.code", ondelete="RESTRICT"))
    since: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(sa.Text)
    interceptions: Mapped[list[int]] = mapped_column(sa.JSON, default=list)  # the ids that triggered it
    lift_requested_at: Mapped[datetime | None]
    lifted_by_aphis_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    lifted_by_senasica_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    lift_reason: Mapped[str | None] = mapped_column(sa.Text)
    lifted_at: Mapped[datetime | None]

    agreement: Mapped["Agreement"] = relationship()  # noqa: F821
    exporter: Mapped["Exporter | None"] = relationship()  # noqa: F821

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class RiskFlag(IdMixin, Base):
    """A commodity or origin state the supervisors want verified more often, while the flag is up."""

    __tablename__ = "risk_flags"
    __table_args__ = (sa.CheckConstraint("commodity_code IS NOT NULL OR origin_state IS NOT NULL", name="names"),)

    commodity_code: Mapped[str | None] = mapped_column(sa.ForeignKey("commodities.code", ondelete="RESTRICT"))
    origin_state: Mapped[str | None] = mapped_column(sa.String(10))
    reason: Mapped[str] = mapped_column(sa.Text)
    flagged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    lowered_at: Mapped[datetime | None]
