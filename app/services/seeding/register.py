"""Seeding the trusted-trader register (programs, the 2014 arrangement, chain parties), the pilots and seal stock."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import (
    Agreement, Exporter, GateReview, PerformanceMeasure, Pilot, PilotCriterion, PilotParticipant, RecognitionArrangement,
    SealStock, Site, TradeParty, TrustedTraderProgram,
)
from .common import SeedError, SeedReport, load_json, upsert
from .reference import seed_register_entry

PROGRAM_FIELDS = ("name_en", "name_es", "administration", "country", "holders", "has_tiers", "has_expiry",
                  "revalidation_years", "aliases")


def seed_register(session: Session, report: SeedReport) -> None:
    data = load_json("register.json")
    for item in data["programs"]:
        upsert(session, report, "program", TrustedTraderProgram, {"code": item["code"]},
               {k: item[k] for k in PROGRAM_FIELDS})
    session.flush()
    for item in data["arrangements"]:
        values = {k: item[k] for k in ("title_en", "title_es", "program_a", "program_b", "notes")}
        values.update(signed_on=date.fromisoformat(item["signed_on"]),
                      ended_on=date.fromisoformat(item["ended_on"]) if item["ended_on"] else None)
        upsert(session, report, "arrangement", RecognitionArrangement, {"code": item["code"]}, values)
    for item in data["parties"]:
        party = upsert(session, report, "trade party", TradeParty, {"code": item["code"]},
                       {k: item[k] for k in ("kind", "name", "country", "identifier")})
        session.flush()
        for cert in item["certifications"]:
            seed_register_entry(session, report, cert, party_id=party.id)


def seed_seal_stock(session: Session, report: SeedReport) -> None:
    """Ranges known by (site, prefix, first number); an install keeps the ranges it was issued."""
    for item in load_json("seal_stock.json")["ranges"]:
        site = _by_code(session, Site, item["site"])
        key = {"site_id": site.id, "prefix": item["prefix"], "first": item["first"]}
        values = {k: item[k] for k in ("issuer", "iso_class", "kind", "last", "digits")}
        values["issued_on"] = report.today + timedelta(days=item["issued_in_days"])
        existing = session.scalar(sa.select(SealStock).filter_by(**key))
        if existing is not None:
            values["issued_on"] = existing.issued_on  # the day it was issued does not move with the demo
        upsert(session, report, "seal stock", SealStock, key, values)


def seed_pilots(session: Session, report: SeedReport) -> None:
    for item in load_json("pilots.json")["pilots"]:
        agreement = _by_code(session, Agreement, item["agreement"])
        values = {k: item[k] for k in ("corridor", "name_en", "name_es", "ports", "sites", "sectors", "phase",
                                        "status")}
        values.update(agreement_id=agreement.id, notes=item.get("notes"), starts_on=_day(report, item, "starts"),
                      ends_on=_day(report, item, "ends"))
        _check_places(session, item)
        pilot = upsert(session, report, "pilot", Pilot, {"code": item["code"]}, values)
        session.flush()
        for participant in item["participants"]:
            _seed_participant(session, report, pilot, participant)
        for criterion in item["criteria"]:
            measure = session.scalar(sa.select(PerformanceMeasure).where(
                PerformanceMeasure.agreement_id == agreement.id, PerformanceMeasure.metric == criterion["metric"]))
            if measure is None:
                raise SeedError(f"pilots.json: {item['code']} names a measure its agreement lacks")
            upsert(session, report, "pilot criterion", PilotCriterion, {"pilot_id": pilot.id, "measure_id": measure.id},
                   {"threshold": criterion.get("threshold")})
        for gate in item["gates"]:
            _seed_gate(session, report, pilot, gate)


def _seed_participant(session: Session, report: SeedReport, pilot: Pilot, item: dict[str, Any]) -> None:
    if "exporter" in item:
        key = {"pilot_id": pilot.id, "exporter_id": _by_code(session, Exporter, item["exporter"]).id}
    else:
        key = {"pilot_id": pilot.id, "party_id": _by_code(session, TradeParty, item["party"]).id}
    upsert(session, report, "pilot participant", PilotParticipant, key,
           {"sector": item["sector"], "joined_on": _day(report, item, "joined")})


def _seed_gate(session: Session, report: SeedReport, pilot: Pilot, item: dict[str, Any]) -> None:
    """A gate already decided keeps its history; one still open is brought back to its seeded state only
    while nobody has proposed a decision on it."""
    existing = session.scalar(sa.select(GateReview).filter_by(pilot_id=pilot.id, phase=item["phase"]))
    if existing is not None and existing.status not in ("scheduled",) and item["status"] == "scheduled":
        report.count("gate review", "unchanged")
        return
    values = {"due_on": _day(report, item, "due"), "status": item["status"], "decision": item.get("decision"),
              "decided_on": _day(report, item, "decided"), "notes": item.get("notes"),
              "next_phase": item.get("next_phase", [])}
    upsert(session, report, "gate review", GateReview, {"pilot_id": pilot.id, "phase": item["phase"]}, values)


def _check_places(session: Session, item: dict[str, Any]) -> None:
    codes = set(item["ports"]) | set(item["sites"])
    known = set(session.scalars(sa.select(Site.code).where(Site.code.in_(codes))))
    if codes - known:
        raise SeedError(f"pilots.json: {item['code']} names unknown sites {sorted(codes - known)}")


def _day(report: SeedReport, item: dict[str, Any], name: str) -> date | None:
    if item.get(f"{name}_on"):
        return date.fromisoformat(item[f"{name}_on"])
    days = item.get(f"{name}_in_days")
    return report.today + timedelta(days=days) if days is not None else None


def _by_code(session: Session, model: type, code: str) -> Any:
    row = session.scalar(sa.select(model).where(model.code == code))
    if row is None:
        raise SeedError(f"unknown {model.__name__} {code!r} in the seed data")
    return row
