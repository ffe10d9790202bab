"""What the rules need from the register, read once as plain data: the door turns it into the engine's facts.

Programs are matched by their code or an alias, whatever the spelling ("C-TPAT" is CTPAT). A suspension or
removal ends a certificate's validity the day before it (besides its status), so the optimizer's exchange
format, which carries only dates, keeps the same meaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import (
    Certification, Milestone, MilestoneGate, RecognitionArrangement, Shipment, ShipmentParty, TradeParty,
    TrustedTraderProgram,
)
from ...models.register import CHAIN_LINKS
from ..shipments.lifecycle import PLANNABLE

NO_EXPIRY = date.max
LAPSED = ("suspended", "removed")


def program_key(text: str) -> str:
    """A program's name as written, reduced to what identifies it: "c-tpat " and "CTPAT" are one."""
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())


@dataclass(frozen=True)
class CertificateFact:
    program: str
    valid_until: date
    valid_from: date | None
    certificate_id: str | None
    status: str
    status_since: date | None
    status_reason: str | None
    holder: str
    holder_name: str | None
    shipment: str | None


@dataclass(frozen=True)
class RuleContext:
    """The register and the Joint Work Plan as every rule reads them."""

    aliases: Mapping[str, str]
    arrangements: tuple[tuple[str, tuple[str, ...], date, date | None], ...]
    chain: tuple[tuple[str, tuple[str, ...]], ...]
    gates: Mapping[str, tuple[tuple[str, date | None], ...]]

    def program(self, text: str) -> str:
        """The register's code of a program as written; an unknown program keeps its own name."""
        return self.aliases.get(program_key(text), text)


def aliases(session: Session) -> dict[str, str]:
    found: dict[str, str] = {}
    for program in session.scalars(sa.select(TrustedTraderProgram)):
        for name in (program.code, *program.aliases):
            found[program_key(name)] = program.code
    return found


def rule_context(session: Session) -> RuleContext:
    """Aliases, arrangements, the programs of each link of a chain and each rule's gating milestones."""
    programs = list(session.scalars(sa.select(TrustedTraderProgram).order_by(TrustedTraderProgram.code)))
    arrangements = tuple(
        (a.code, (a.program_a, a.program_b), a.signed_on, a.ended_on)
        for a in session.scalars(sa.select(RecognitionArrangement).order_by(RecognitionArrangement.code)))
    chain = tuple((link, tuple(p.code for p in programs if link in p.holders)) for link in CHAIN_LINKS)
    gates: dict[str, list[tuple[str, date | None]]] = {}
    rows = session.execute(
        sa.select(MilestoneGate.rule_code, Milestone.title, Milestone.status, Milestone.completed_on)
        .join(Milestone, Milestone.id == MilestoneGate.milestone_id)
        .where(Milestone.status != "cancelled").order_by(Milestone.due_on, Milestone.id))
    for rule_code, title, status, completed_on in rows:
        gates.setdefault(rule_code, []).append((title, completed_on if status == "done" else None))
    return RuleContext(aliases(session), arrangements, chain, {k: tuple(v) for k, v in gates.items()})


def exporter_certificates(session: Session, exporter_id: int, names: Mapping[str, str]) -> list[CertificateFact]:
    rows = session.scalars(sa.select(Certification).where(Certification.exporter_id == exporter_id)
                           .order_by(Certification.id))
    return [_fact(row, names, "exporter", None, None) for row in rows]


def chain_certificates(session: Session, names: Mapping[str, str], *, exporter_id: int | None = None,
                       shipment: Shipment | None = None) -> list[CertificateFact]:
    """The certificates of the parties named by one shipment, or by the exporter's shipments still to plan."""
    query = (sa.select(ShipmentParty.link, Shipment.reference, TradeParty.name, Certification)
             .join(Shipment, Shipment.id == ShipmentParty.request_id)
             .join(TradeParty, TradeParty.id == ShipmentParty.party_id)
             .join(Certification, Certification.party_id == TradeParty.id))
    if shipment is not None:
        query = query.where(ShipmentParty.request_id == shipment.id)
    else:
        query = query.where(Shipment.exporter_id == exporter_id, Shipment.status.in_(PLANNABLE))
    rows = session.execute(query.order_by(Shipment.reference, ShipmentParty.link, Certification.id))
    return [_fact(cert, names, link, name, reference) for link, reference, name, cert in rows]


def party_certificates(session: Session, parties: Iterable[tuple[str, int]], names: Mapping[str, str],
                       shipment: str) -> list[CertificateFact]:
    """The certificates of parties typed for a shipment not stored yet (the pre-check)."""
    facts = []
    for link, party_id in parties:
        party = session.get(TradeParty, party_id)
        if party is not None and party.kind == link:
            facts += [_fact(cert, names, link, party.name, shipment) for cert in party.certifications]
    return facts


def _fact(row: Certification, names: Mapping[str, str], holder: str, holder_name: str | None,
          shipment: str | None) -> CertificateFact:
    valid_until = row.valid_until or NO_EXPIRY
    if row.status in LAPSED and row.status_since is not None:
        valid_until = min(valid_until, row.status_since - timedelta(days=1))
    return CertificateFact(
        program=names.get(program_key(row.program), row.program), valid_until=valid_until,
        valid_from=row.valid_from, certificate_id=row.certificate_id, status=row.status,
        status_since=row.status_since, status_reason=row.status_reason, holder=holder, holder_name=holder_name,
        shipment=shipment)
