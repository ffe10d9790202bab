"""Pilots of a logistics-chain recognition in a border corridor, their success criteria and gate reviews."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, one_of

PILOT_STATUSES = ("planned", "running", "passed", "stopped")
SECTORS = ("agribusiness", "automotive", "aerospace", "medical_devices")
GATE_STATUSES = ("scheduled", "proposed", "passed", "extended", "stopped")
GATE_DECISIONS = ("pass", "extend", "stop")


class Pilot(IdMixin, Base):
    """A pilot in one corridor (its real ports and sites), for some sectors and companies, in phases."""

    __tablename__ = "pilots"
    __table_args__ = (
        sa.CheckConstraint(one_of("status", PILOT_STATUSES), name="status"),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates"),
        sa.CheckConstraint("phase >= 1", name="phase"),
    )

    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="RESTRICT"), index=True)
    corridor: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(300))
    name_es: Mapped[str] = mapped_column(sa.String(300))
    ports: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    sites: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    sectors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    phase: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(sa.String(10), default="planned")
    notes: Mapped[str | None] = mapped_column(sa.Text)

    agreement: Mapped["Agreement"] = relationship()  # noqa: F821
    participants: Mapped[list[PilotParticipant]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="PilotParticipant.id")
    criteria: Mapped[list[PilotCriterion]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="PilotCriterion.id")
    gates: Mapped[list[GateReview]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="(GateReview.phase, GateReview.id)")

    def name(self, language: str) -> str:
        return self.name_es if language == "es" else self.name_en


class PilotParticipant(IdMixin, Base):
    """A company taking part: an exporter, or another party of the chain (carrier, importer, broker...)."""

    __tablename__ = "pilot_participants"
    __table_args__ = (
        sa.CheckConstraint("(exporter_id IS NULL) <> (party_id IS NULL)", name="one_company"),
        sa.UniqueConstraint("pilot_id", "exporter_id"),
        sa.UniqueConstraint("pilot_id", "party_id"),
    )

    pilot_id: Mapped[int] = mapped_column(sa.ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    exporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exporters.id", ondelete="RESTRICT"))
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("trade_parties.id", ondelete="RESTRICT"))
    sector: Mapped[str] = mapped_column(sa.String(20), default="agribusiness")
    joined_on: Mapped[date]

    pilot: Mapped[Pilot] = relationship(back_populates="participants")
    exporter: Mapped["Exporter | None"] = relationship()  # noqa: F821
    party: Mapped["TradeParty | None"] = relationship()  # noqa: F821

    @property
    def name(self) -> str:
        return self.exporter.legal_name if self.exporter is not None else self.party.name


class PilotCriterion(IdMixin, Base):
    """A success criterion: a Joint Work Plan measure to reach, at its target or a pilot's own threshold."""

    __tablename__ = "pilot_criteria"
    __table_args__ = (sa.UniqueConstraint("pilot_id", "measure_id"),)

    pilot_id: Mapped[int] = mapped_column(sa.ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_measures.id", ondelete="RESTRICT"))
    threshold: Mapped[float | None]

    pilot: Mapped[Pilot] = relationship(back_populates="criteria")
    measure: Mapped["PerformanceMeasure"] = relationship()  # noqa: F821

    @property
    def target(self) -> float:
        return self.measure.target if self.threshold is None else self.threshold


class GateReview(IdMixin, Base):
    """The review closing a phase: the measures read, the decision both agencies take, the next phase."""

    __tablename__ = "gate_reviews"
    __table_args__ = (
        sa.UniqueConstraint("pilot_id", "phase"),
        sa.CheckConstraint(one_of("status", GATE_STATUSES), name="status"),
        sa.CheckConstraint(f"decision IS NULL OR {one_of('decision', GATE_DECISIONS)}", name="decision"),
    )

    pilot_id: Mapped[int] = mapped_column(sa.ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    phase: Mapped[int]
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(10), default="scheduled")
    decision: Mapped[str | None] = mapped_column(sa.String(10))
    decided_on: Mapped[date | None]
    # The criteria as read for the review: measure, value, target, met.
    readings: Mapped[list[dict[str, Any]] | None] = mapped_column(sa.JSON)
    # What passing proposes: new versions of rules ({"rule", "changes", "note"}), more ports, commodities or sites.
    next_phase: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    pilot: Mapped[Pilot] = relationship(back_populates="gates")


from .agreement import PerformanceMeasure  # noqa: E402
from .exporter import Exporter  # noqa: E402
from .register import TradeParty  # noqa: E402
