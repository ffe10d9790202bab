"""Mutual recognition in the app: database rows to the rules engine's facts, decisions back to rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import mr_agreements as mr

from ..models import (
    Agreement, BorderDecision, Certification, Inspection, InspectionRequest, Rule, Seal, User, utcnow,
)
from .audit import record

SEAL_PROBLEMS = ("broken", "missing", "mismatch", "removed")


def engine_rule(rule: Rule) -> mr.Rule:
    return mr.Rule(
        id=rule.code, agreement=rule.agreement.code, commodities=tuple(rule.commodities),
        origin_states=tuple(rule.origin_states), ports=tuple(rule.ports),
        requires_certifications=tuple(rule.requires_certifications), requires_seal=rule.requires_seal,
        max_hours_before_crossing=rule.max_hours_before_crossing, valid_from=rule.valid_from,
        valid_to=rule.valid_to, active=rule.active, version=rule.version,
    )


def engine_agreement(agreement: Agreement) -> mr.Agreement:
    return mr.Agreement(
        id=agreement.code, status=agreement.status, effective_from=agreement.effective_from,
        effective_to=agreement.effective_to, status_since=agreement.status_since,
        status_reason=agreement.status_reason,
    )


def engine_certifications(session: Session, exporter_id: int) -> tuple[mr.Certification, ...]:
    rows = session.scalars(sa.select(Certification).where(Certification.exporter_id == exporter_id))
    return tuple(mr.Certification(c.program, c.valid_until, c.valid_from, c.certificate_id) for c in rows)


def engine_shipment(session: Session, request: InspectionRequest) -> mr.Shipment:
    """The facts of a stored request; cross_by keeps the offset it was written with."""
    return mr.Shipment(
        id=request.reference, commodity=request.commodity_code, origin_state=request.origin_state,
        port=request.port.code, cross_by=request.cross_by_as_written, sealable=request.sealable,
        certifications=engine_certifications(session, request.exporter_id),
    )


def current_rules(session: Session) -> list[Rule]:
    """The newest version of every rule (older versions stay for the decisions made under them)."""
    return list(session.scalars(sa.select(Rule).where(Rule.superseded_at.is_(None)).order_by(Rule.code)))


def engine_rules_and_agreements(session: Session) -> tuple[list[mr.Rule], dict[str, mr.Agreement]]:
    rules = [engine_rule(rule) for rule in current_rules(session)]
    agreements = {a.code: engine_agreement(a) for a in session.scalars(sa.select(Agreement))}
    return rules, agreements


def inland_inspection(session: Session, request: InspectionRequest) -> Inspection | None:
    return session.scalar(
        sa.select(Inspection)
        .where(Inspection.request_id == request.id, Inspection.kind == "joint_inland",
               Inspection.status != "cancelled")
        .order_by(Inspection.start.desc()).limit(1)
    )


def seal_state(session: Session, request: InspectionRequest) -> str | None:
    """One state for the engine: the worst state among the shipment's seals, None when unsealed."""
    states = set(session.scalars(sa.select(Seal.status).where(Seal.request_id == request.id)))
    for problem in SEAL_PROBLEMS:
        if problem in states:
            return problem
    if "intact" in states:
        return "intact"
    return "applied" if states else None


def evaluate(session: Session, request: InspectionRequest, *, planned_end: datetime | None = None,
             seal: str | None = None) -> mr.BorderDecision:
    """What the rules decide for the request now: its inland inspection's end (or the planned end)."""
    inspection = inland_inspection(session, request)
    end = planned_end or (inspection.end if inspection is not None else None)
    rules, agreements = engine_rules_and_agreements(session)
    return mr.decide(engine_shipment(session, request), end, rules, agreements, seal=seal)


def store_decision(session: Session, request: InspectionRequest, decision: mr.BorderDecision, *,
                   basis: str, actor: User | None = None, extra_reasons: list[mr.Reason] | None = None,
                   at: datetime | None = None) -> BorderDecision:
    """Record a decision as the request's current one, keeping the earlier ones as its history."""
    rule = None
    if decision.waived:
        rule = session.scalar(sa.select(Rule).where(Rule.code == decision.rule, Rule.version == decision.rule_version))
    reasons = [r.as_dict() for r in (extra_reasons or [])] + [r.as_dict() for r in decision.reasons]
    decision_type = mr.REQUIRED if extra_reasons else decision.decision
    previous = session.scalars(
        sa.select(BorderDecision).where(BorderDecision.request_id == request.id, BorderDecision.current)
    ).all()
    for row in previous:
        row.current = False
    row = BorderDecision(
        request_id=request.id, decision=decision_type, rule_id=rule.id if rule and decision_type == mr.WAIVED else None,
        rule_code=decision.rule if decision_type == mr.WAIVED else None,
        rule_version=decision.rule_version if decision_type == mr.WAIVED else None,
        reasons=reasons, basis=basis, decided_at=at or utcnow(), decided_by_id=getattr(actor, "id", None), current=True,
    )
    session.add(row)
    session.flush()
    record(session, actor, f"border_decision.{decision_type}", request,
           after={"basis": basis, "rule": row.rule_code, "rule_version": row.rule_version, "reasons": reasons})
    return row


def current_decision(session: Session, request: InspectionRequest) -> BorderDecision | None:
    return session.scalar(
        sa.select(BorderDecision).where(BorderDecision.request_id == request.id, BorderDecision.current)
    )


def precheck(session: Session, shipment: mr.Shipment) -> tuple[mr.RuleAssessment, ...]:
    """For an exporter about to request: which rules could waive this shipment and what is missing."""
    rules, agreements = engine_rules_and_agreements(session)
    return mr.what_would_qualify(shipment, rules, agreements)


def reason_dicts(reasons: Any) -> list[dict[str, Any]]:
    return [reason.as_dict() for reason in reasons]
