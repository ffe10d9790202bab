"""The trusted-trader register: programs, recognition arrangements, parties of a logistics chain, statuses."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, one_of

if TYPE_CHECKING:
    from .exporter import Exporter

# mr_agreements.trusted_traders' words, copied: the models import nothing of the engine.
CERTIFICATE_STATUSES = ("certified", "validated", "suspended", "removed")
TIERS = ("I", "II", "III")
CHAIN_LINKS = ("packhouse", "carrier", "driver", "importer", "broker")
PROGRAM_HOLDERS = ("exporter",) + CHAIN_LINKS


class TrustedTraderProgram(Base):
    """A trusted-trader program (CTPAT, OEA, FAST...), the administration keeping it and whom it certifies."""

    __tablename__ = "trusted_trader_programs"
    __table_args__ = (sa.CheckConstraint("country IN ('US', 'MX')", name="country"),)

    code: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    name_en: Mapped[str] = mapped_column(sa.String(200))
    name_es: Mapped[str] = mapped_column(sa.String(200))
    administration: Mapped[str] = mapped_column(sa.String(40))
    country: Mapped[str] = mapped_column(sa.String(2))
    # Which links of a chain it certifies (exporter, packhouse, carrier, driver, importer, broker).
    holders: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    has_tiers: Mapped[bool] = mapped_column(default=False)
    # CTPAT has none: members are certified, validated and revalidated instead.
    has_expiry: Mapped[bool] = mapped_column(default=True)
    revalidation_years: Mapped[int | None]
    # Other spellings people and files use ("C-TPAT", "NEEC"): they mean this program.
    aliases: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    def name(self, language: str) -> str:
        return self.name_es if language == "es" else self.name_en


class RecognitionArrangement(IdMixin, Base):
    """Two administrations recognise each other's program validation (CTPAT ↔ OEA, 17 October 2014)."""

    __tablename__ = "recognition_arrangements"
    __table_args__ = (
        sa.CheckConstraint("program_a <> program_b", name="two_programs"),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= signed_on", name="ended_after_signed"),
    )

    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title_en: Mapped[str] = mapped_column(sa.String(300))
    title_es: Mapped[str] = mapped_column(sa.String(300))
    program_a: Mapped[str] = mapped_column(sa.ForeignKey("trusted_trader_programs.code", ondelete="RESTRICT"))
    program_b: Mapped[str] = mapped_column(sa.ForeignKey("trusted_trader_programs.code", ondelete="RESTRICT"))
    signed_on: Mapped[date]
    ended_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)


class TradeParty(IdMixin, Base):
    """A link of a logistics chain beyond the exporter: packhouse, carrier, driver, importer or customs broker."""

    __tablename__ = "trade_parties"
    __table_args__ = (
        sa.UniqueConstraint("kind", "identifier"),
        sa.CheckConstraint(one_of("kind", CHAIN_LINKS), name="kind"),
        sa.CheckConstraint("country IN ('US', 'MX')", name="country"),
    )

    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    name: Mapped[str] = mapped_column(sa.String(200))
    country: Mapped[str] = mapped_column(sa.String(2))
    # RFC or EIN of a company, SCAC of a carrier, FAST card number of a driver.
    identifier: Mapped[str] = mapped_column(sa.String(40))

    certifications: Mapped[list[Certification]] = relationship(back_populates="party", order_by="Certification.id")


class Certification(IdMixin, Base):
    """One holder's standing in one trusted-trader program: an entry of the register.

    The holder is an exporter or another party of its chain. CTPAT has no expiry (`valid_until` empty)
    but a validation and revalidation; OEA is granted for a period. Suspended or removed from a day, with why.
    """

    __tablename__ = "certifications"
    __table_args__ = (
        sa.UniqueConstraint("program", "certificate_id"),
        sa.CheckConstraint("valid_from IS NULL OR valid_until >= valid_from", name="valid_range"),
        sa.CheckConstraint("(exporter_id IS NULL) <> (party_id IS NULL)", name="one_holder"),
        sa.CheckConstraint(one_of("status", CERTIFICATE_STATUSES), name="status"),
        sa.CheckConstraint(f"tier IS NULL OR {one_of('tier', TIERS)}", name="tier"),
        sa.CheckConstraint("status NOT IN ('suspended', 'removed') OR "
                           "(status_since IS NOT NULL AND status_reason IS NOT NULL)", name="lapse_explained"),
    )

    exporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exporters.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("trade_parties.id", ondelete="CASCADE"), index=True)
    program: Mapped[str] = mapped_column(sa.String(20))
    certificate_id: Mapped[str] = mapped_column(sa.String(60))
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(12), default="certified")
    tier: Mapped[str | None] = mapped_column(sa.String(3))
    applied_on: Mapped[date | None]
    certified_on: Mapped[date | None]
    validation_planned_on: Mapped[date | None]
    last_validated_on: Mapped[date | None]
    revalidation_due: Mapped[date | None]
    # The supply chain security specialist (CBP) or auditor (SAT) who validated: staffing is counted from it.
    validator: Mapped[str | None] = mapped_column(sa.String(120))
    status_since: Mapped[date | None]
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    version_id: Mapped[int] = mapped_column(default=1)

    exporter: Mapped[Exporter | None] = relationship(back_populates="certifications")
    party: Mapped[TradeParty | None] = relationship(back_populates="certifications")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def holder_name(self) -> str:
        return self.exporter.legal_name if self.exporter is not None else self.party.name

    @property
    def holder_kind(self) -> str:
        return "exporter" if self.exporter_id is not None else self.party.kind


class ShipmentParty(Base):
    """The party a shipment names for one link of its chain (its carrier, driver, importer...)."""

    __tablename__ = "shipment_parties"
    __table_args__ = (sa.CheckConstraint(one_of("link", CHAIN_LINKS), name="link"),)

    request_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_requests.id", ondelete="CASCADE"),
                                            primary_key=True)
    link: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("trade_parties.id", ondelete="RESTRICT"), index=True)

    party: Mapped[TradeParty] = relationship()
