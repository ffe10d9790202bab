"""Mutual-recognition agreements, their versioned rules and the Joint Work Plan."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, one_of, utcnow
from ..roles import ADMINISTRATIONS

AGREEMENT_STATUSES = ("draft", "active", "suspended", "expired")
MILESTONE_STATUSES = ("planned", "in_progress", "done", "cancelled")
MEASURE_DIRECTIONS = ("at_least", "at_most")
MEASURE_PERIODS = ("week", "month", "quarter", "year")
MILESTONE_OWNERS = ADMINISTRATIONS + ("JOINT",)


class Agreement(IdMixin, Base):
    __tablename__ = "agreements"
    __table_args__ = (
        sa.CheckConstraint(one_of("status", AGREEMENT_STATUSES), name="status"),
        sa.CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="effective_range"),
        sa.CheckConstraint("status <> 'suspended' OR status_reason IS NOT NULL", name="suspension_reason"),
    )

    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    parties: Mapped[str] = mapped_column(sa.String(100), default="APHIS-SENASICA")
    signed_on: Mapped[date | None]
    effective_from: Mapped[date | None]
    effective_to: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(12), default="draft")
    status_since: Mapped[date | None]
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    version_id: Mapped[int] = mapped_column(default=1)

    rules: Mapped[list[Rule]] = relationship(back_populates="agreement", order_by="(Rule.code, Rule.version)")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="Milestone.due_on"
    )
    measures: Mapped[list[PerformanceMeasure]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="PerformanceMeasure.id"
    )

    __mapper_args__ = {"version_id_col": version_id}


class Rule(IdMixin, Base):
    """One version of a recognition rule; a change makes a new version, decisions keep theirs."""

    __tablename__ = "rules"
    __table_args__ = (
        sa.UniqueConstraint("code", "version"),
        sa.CheckConstraint("version >= 1", name="version"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
        sa.CheckConstraint(
            "max_hours_before_crossing IS NULL OR max_hours_before_crossing >= 0", name="max_hours"
        ),
    )

    code: Mapped[str] = mapped_column(sa.String(40), index=True)
    version: Mapped[int] = mapped_column(default=1)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="RESTRICT"), index=True)
    commodities: Mapped[list[str]] = mapped_column(sa.JSON)
    origin_states: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    ports: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    requires_certifications: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    requires_seal: Mapped[bool] = mapped_column(default=True)
    max_hours_before_crossing: Mapped[float | None]
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    # A trusted-trader status recognised by both administrations (CTPAT or OEA), and the whole logistics chain.
    requires_recognised_status: Mapped[bool] = mapped_column(default=False)
    requires_whole_chain: Mapped[bool] = mapped_column(default=False)
    # The share of the loads this rule waives that are inspected anyway, to verify the recognition.
    verification_rate: Mapped[float] = mapped_column(default=0.02)
    # The newest version is current; older ones stay for the decisions made under them.
    superseded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    change_note: Mapped[str | None] = mapped_column(sa.Text)

    agreement: Mapped[Agreement] = relationship(back_populates="rules")


class Milestone(IdMixin, Base):
    """A Joint Work Plan milestone with the agency that owns it and its due date."""

    __tablename__ = "milestones"
    __table_args__ = (
        sa.CheckConstraint(one_of("owner_agency", MILESTONE_OWNERS), name="owner_agency"),
        sa.CheckConstraint(one_of("status", MILESTONE_STATUSES), name="status"),
        sa.CheckConstraint("status <> 'done' OR completed_on IS NOT NULL", name="done_has_date"),
    )

    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    title_es: Mapped[str | None] = mapped_column(sa.String(300))
    owner_agency: Mapped[str] = mapped_column(sa.String(10))
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(12), default="planned")
    completed_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)

    agreement: Mapped[Agreement] = relationship(back_populates="milestones")
    gates: Mapped[list[MilestoneGate]] = relationship(
        cascade="all, delete-orphan", order_by="MilestoneGate.rule_code")

    @property
    def gated_rules(self) -> list[str]:
        """The rule codes that cannot waive before this milestone is done."""
        return [gate.rule_code for gate in self.gates]

    def overdue(self, today: date) -> bool:
        return self.status not in ("done", "cancelled") and self.due_on < today


class MilestoneGate(Base):
    """A rule (by code, every version) that waives nothing before the milestone is done."""

    __tablename__ = "milestone_gates"

    milestone_id: Mapped[int] = mapped_column(sa.ForeignKey("milestones.id", ondelete="CASCADE"), primary_key=True)
    rule_code: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)


class PerformanceMeasure(IdMixin, Base):
    """A measure of the Joint Work Plan: a metric computed from recorded data against a target."""

    __tablename__ = "performance_measures"
    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "metric"),
        sa.CheckConstraint(one_of("direction", MEASURE_DIRECTIONS), name="direction"),
        sa.CheckConstraint(one_of("period", MEASURE_PERIODS), name="period"),
    )

    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(300))
    name_es: Mapped[str | None] = mapped_column(sa.String(300))
    target: Mapped[float]
    unit: Mapped[str] = mapped_column(sa.String(20))
    direction: Mapped[str] = mapped_column(sa.String(10))
    period: Mapped[str] = mapped_column(sa.String(10))
    # Where the measure stood before the agreement (a season's figure), so a trend reads against it.
    baseline: Mapped[float | None]
    baseline_note: Mapped[str | None] = mapped_column(sa.Text)

    agreement: Mapped[Agreement] = relationship(back_populates="measures")
