"""The trusted-trader register: programs, arrangements, parties, and each holder's status, by hand or by file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.orm import Session

from ...models import Certification, Exporter, RecognitionArrangement, TradeParty, TrustedTraderProgram, User
from ...models.register import CERTIFICATE_STATUSES, CHAIN_LINKS, TIERS
from ..access.audit import record
from ..errors import WorkflowError
from .agreement import check_date, check_expected_version, check_text, flush_or_conflict
from .register_facts import aliases

STATUS_LABELS = {"certified": _l("Certified"), "validated": _l("Validated"), "suspended": _l("Suspended"),
                 "removed": _l("Removed")}
LINK_LABELS = {"exporter": _l("Exporter"), "packhouse": _l("Packhouse"), "carrier": _l("Carrier"),
               "driver": _l("Driver (FAST)"), "importer": _l("Importer"), "broker": _l("Customs broker")}
PARTY_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")
DATE_FIELDS = ("valid_from", "valid_until", "applied_on", "certified_on", "validation_planned_on",
               "last_validated_on", "revalidation_due", "status_since")
STATUS_FIELDS = DATE_FIELDS + ("status", "tier", "validator", "status_reason")


@dataclass(frozen=True)
class Recorded:
    """What recording one status did: created, updated or unchanged."""

    entry: Certification
    outcome: str


def programs(session: Session) -> list[TrustedTraderProgram]:
    return list(session.scalars(sa.select(TrustedTraderProgram).order_by(TrustedTraderProgram.code)))


def arrangements(session: Session) -> list[RecognitionArrangement]:
    return list(session.scalars(sa.select(RecognitionArrangement).order_by(RecognitionArrangement.signed_on)))


def program_of(session: Session, text: Any, field: str = "program") -> TrustedTraderProgram:
    """The register's program for a name as written ("C-TPAT" is CTPAT), or a refusal listing the known ones."""
    code = aliases(session).get(re.sub(r"[^A-Z0-9]", "", str(text or "").upper()))
    program = session.get(TrustedTraderProgram, code) if code else None
    if program is None:
        known = ", ".join(p.code for p in programs(session))
        raise WorkflowError(_("Not a program of the register; use one of %(codes)s.", codes=known), field)
    return program


def parties(session: Session, kind: str | None = None) -> list[TradeParty]:
    query = sa.select(TradeParty).order_by(TradeParty.kind, TradeParty.name)
    if kind is not None:
        query = query.where(TradeParty.kind == kind)
    return list(session.scalars(query))


def get_party(session: Session, code: str) -> TradeParty | None:
    return session.scalar(sa.select(TradeParty).where(TradeParty.code == code))


def create_party(session: Session, actor: User | None, *, code: Any, kind: Any, name: Any, country: Any,
                 identifier: Any) -> TradeParty:
    """A packhouse, carrier, driver, importer or broker, known by its RFC, EIN, SCAC or FAST number."""
    code = (code or "").strip().upper() if isinstance(code, str) else ""
    if not PARTY_CODE.match(code):
        raise WorkflowError(_("Use 2 to 40 capital letters, digits or hyphens, e.g. MR-AVO-01."), "code")
    if kind not in CHAIN_LINKS:
        raise WorkflowError(_("Choose packhouse, carrier, driver, importer or broker."), "kind")
    name = check_text(name, "name", 200)
    if country not in ("MX", "US"):
        raise WorkflowError(_("Choose MX or US."), "country")
    identifier = (check_text(identifier, "identifier", 40) or "").upper()
    if get_party(session, code) is not None:
        raise WorkflowError(_("A party with code %(code)s already exists.", code=code), "code")
    if session.scalar(sa.select(TradeParty.id).where(TradeParty.kind == kind, TradeParty.identifier == identifier)):
        raise WorkflowError(_("This identifier is already registered for a party of this kind."), "identifier")
    party = TradeParty(code=code, kind=kind, name=name, country=country, identifier=identifier)
    session.add(party)
    session.flush()
    record(session, actor, "register.party_created", party, after={"code": code, "kind": kind, "name": name})
    return party


def holder_of(session: Session, text: Any) -> Exporter | TradeParty:
    """An exporter or a party, by its code."""
    code = text.strip().upper() if isinstance(text, str) else ""
    holder = session.scalar(sa.select(Exporter).where(Exporter.code == code)) or get_party(session, code)
    if holder is None:
        raise WorkflowError(_("No exporter or party has the code %(code)s.", code=code or "—"), "holder")
    return holder


def entries(session: Session, program: str | None = None, holder: Exporter | TradeParty | None = None,
            status: str | None = None) -> list[Certification]:
    query = sa.select(Certification).order_by(Certification.program, Certification.certificate_id)
    if program:
        query = query.where(Certification.program == program)
    if isinstance(holder, Exporter):
        query = query.where(Certification.exporter_id == holder.id)
    elif holder is not None:
        query = query.where(Certification.party_id == holder.id)
    if status:
        query = query.where(Certification.status == status)
    return list(session.scalars(query))


def record_status(session: Session, actor: User | None, values: dict[str, Any], *, source: str = "manual",
                  expected_version: int | None = None) -> Recorded:
    """One holder's standing in one program, created or brought up to date by its certificate id; audited."""
    program = program_of(session, values.get("program"))
    holder = holder_of(session, values.get("holder"))
    kind = "exporter" if isinstance(holder, Exporter) else holder.kind
    if kind not in program.holders:
        raise WorkflowError(_("%(program)s does not certify a %(kind)s.", program=program.code,
                              kind=str(LINK_LABELS[kind]).lower()), "holder")
    certificate_id = check_text(values.get("certificate_id"), "certificate_id", 60)
    checked = _checked_status(program, values)
    entry = session.scalar(sa.select(Certification).where(Certification.program == program.code,
                                                          Certification.certificate_id == certificate_id))
    if entry is not None and (entry.exporter_id, entry.party_id) != _holder_ids(holder):
        raise WorkflowError(_("Certificate %(id)s of %(program)s belongs to another holder.", id=certificate_id,
                              program=program.code), "certificate_id")
    if entry is None:
        entry = Certification(program=program.code, certificate_id=certificate_id, **checked,
                              **dict(zip(("exporter_id", "party_id"), _holder_ids(holder))))
        session.add(entry)
        session.flush()
        record(session, actor, "register.status_recorded", entry, after={**snapshot(entry), "source": source})
        return Recorded(entry, "created")
    check_expected_version(entry.version_id, expected_version)
    before = snapshot(entry)
    if all(getattr(entry, name) == value for name, value in checked.items()):
        return Recorded(entry, "unchanged")
    for name, value in checked.items():
        setattr(entry, name, value)
    flush_or_conflict(session)
    record(session, actor, "register.status_changed", entry, before=before, after={**snapshot(entry), "source": source})
    return Recorded(entry, "updated")


def _holder_ids(holder: Exporter | TradeParty) -> tuple[int | None, int | None]:
    return (holder.id, None) if isinstance(holder, Exporter) else (None, holder.id)


def _checked_status(program: TrustedTraderProgram, values: dict[str, Any]) -> dict[str, Any]:
    """Every status field checked against the program's kind; the first fault names its field."""
    checked: dict[str, Any] = {name: check_date(values.get(name), name, required=False) for name in DATE_FIELDS}
    status = values.get("status") or "certified"
    if status not in CERTIFICATE_STATUSES:
        raise WorkflowError(_("Choose certified, validated, suspended or removed."), "status")
    checked["status"] = status
    checked["status_reason"] = check_text(values.get("status_reason"), "status_reason", 1000, required=False)
    checked["validator"] = check_text(values.get("validator"), "validator", 120, required=False)
    tier = values.get("tier") or None
    if tier is not None and (not program.has_tiers or tier not in TIERS):
        raise WorkflowError(_("Only CTPAT has tiers: I, II or III."), "tier")
    checked["tier"] = tier
    _check_dates(program, checked)
    if status in ("suspended", "removed") and not (checked["status_since"] and checked["status_reason"]):
        field = "status_since" if not checked["status_since"] else "status_reason"
        raise WorkflowError(_("Say since when and why the status is suspended or removed."), field)
    return checked


def _check_dates(program: TrustedTraderProgram, checked: dict[str, Any]) -> None:
    if program.has_expiry and checked["valid_until"] is None:
        raise WorkflowError(_("%(program)s is granted for a period: give the date it ends.", program=program.code),
                            "valid_until")
    if not program.has_expiry and checked["valid_until"] is not None:
        raise WorkflowError(_("%(program)s has no expiry: leave the end date empty and keep the revalidation date.",
                              program=program.code), "valid_until")
    for earlier, later in (("valid_from", "valid_until"), ("applied_on", "certified_on"),
                           ("last_validated_on", "revalidation_due")):
        if checked[earlier] and checked[later] and checked[later] < checked[earlier]:
            raise WorkflowError(_("The end must not be before the start."), later)


def in_good_standing(entry: Certification, on: date) -> bool:
    """As the rules read it: valid on the day and not suspended or removed by then."""
    if entry.valid_from is not None and on < entry.valid_from:
        return False
    if entry.valid_until is not None and on > entry.valid_until:
        return False
    return entry.status in ("certified", "validated") or (entry.status_since is not None and on < entry.status_since)


def snapshot(entry: Certification) -> dict[str, Any]:
    data: dict[str, Any] = {"program": entry.program, "certificate_id": entry.certificate_id,
                            "holder": entry.exporter.code if entry.exporter else entry.party.code}
    for name in STATUS_FIELDS:
        value = getattr(entry, name)
        data[name] = value.isoformat() if isinstance(value, date) else value
    return data
