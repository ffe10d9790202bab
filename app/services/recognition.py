"""The one door to the mutual-recognition rules engine: database rows in, border decisions out.

No other app module imports mr_agreements. Every place that decides whether a shipment's border
inspection is waived asks here: the exporter's pre-check, the optimizer's scenario (its rules and
certificates), the board's move check, publishing, the inspector's result, the officer's
verification, electronic seal events and the demo seeding. So they cannot disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

import mr_agreements as mr

from ..models import Agreement, BorderDecision, Certification, Inspection, Rule, Seal, Shipment, User, utcnow
from .access.audit import record

WAIVED, REQUIRED = mr.WAIVED, mr.REQUIRED
Decision = mr.BorderDecision
Reason = mr.Reason
RuleAssessment = mr.RuleAssessment
LifecycleError = mr.LifecycleError
AGREEMENT_TRANSITIONS = mr.ALLOWED_TRANSITIONS
SEAL_PROBLEMS = ("broken", "missing", "mismatch", "removed")


# -- the rules in force ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Rulebook:
    """The current rule versions and the agreements, read once and asked many times (a plan's shipments)."""

    rules: tuple[mr.Rule, ...]
    agreements: dict[str, mr.Agreement]


def rulebook(session: Session, at: datetime | None = None) -> Rulebook:
    """The rules in force now, or the versions that were in force at a past moment (a truck's arrival)."""
    rules = tuple(_engine_rule(rule) for rule in (current_rules(session) if at is None
                                                   else rules_in_force(session, at)))
    agreements = {a.code: _engine_agreement(a) for a in session.scalars(sa.select(Agreement))}
    return Rulebook(rules, agreements)


def current_rules(session: Session) -> list[Rule]:
    """The newest version of every rule (older versions stay for the decisions made under them)."""
    return list(session.scalars(sa.select(Rule).where(Rule.superseded_at.is_(None)).order_by(Rule.code)))


def rules_in_force(session: Session, at: datetime) -> list[Rule]:
    """Of every rule, the version in force at `at`: the newest one recorded by then. A rule recorded only
    later (loaded from the seed or a scenario after the fact) counts with its current version."""
    in_force: dict[str, Rule] = {}
    current: dict[str, Rule] = {}
    for rule in session.scalars(sa.select(Rule).order_by(Rule.code, Rule.version)):
        if rule.created_at <= at:
            in_force[rule.code] = rule
        if rule.superseded_at is None:
            current[rule.code] = rule
    return [in_force.get(code) or rule for code, rule in current.items()]


def _engine_rule(rule: Rule) -> mr.Rule:
    return mr.Rule(
        id=rule.code, agreement=rule.agreement.code, commodities=tuple(rule.commodities),
        origin_states=tuple(rule.origin_states), ports=tuple(rule.ports),
        requires_certifications=tuple(rule.requires_certifications), requires_seal=rule.requires_seal,
        max_hours_before_crossing=rule.max_hours_before_crossing, valid_from=rule.valid_from,
        valid_to=rule.valid_to, active=rule.active, version=rule.version,
    )


def _engine_agreement(agreement: Agreement) -> mr.Agreement:
    return mr.Agreement(
        id=agreement.code, status=agreement.status, effective_from=agreement.effective_from,
        effective_to=agreement.effective_to, status_since=agreement.status_since,
        status_reason=agreement.status_reason,
    )


def certifications_of(session: Session, exporter_id: int) -> tuple[mr.Certification, ...]:
    """An exporter's trusted-trader certificates as the engine (and the optimizer's scenario) reads them."""
    rows = session.scalars(sa.select(Certification).where(Certification.exporter_id == exporter_id))
    return tuple(mr.Certification(c.program, c.valid_until, c.valid_from, c.certificate_id) for c in rows)


def planning_rules(session: Session) -> tuple[mr.Rule, ...]:
    """The rules for the optimizer's scenario, which carries no agreements: an agreement's standing is
    folded into its rules (not active: the rule plans as inactive; its effective dates bound the rule's),
    so the optimizer's own adapter decides as this door does."""
    book = rulebook(session)
    return tuple(_with_agreement(rule, book.agreements.get(rule.agreement)) for rule in book.rules)


def _with_agreement(rule: mr.Rule, agreement: mr.Agreement | None) -> mr.Rule:
    if agreement is None:
        return rule
    if agreement.status != "active":
        return dataclasses.replace(rule, active=False)
    valid_from, valid_to = rule.valid_from, rule.valid_to
    if agreement.effective_from is not None:
        valid_from = max(valid_from, agreement.effective_from) if valid_from else agreement.effective_from
    if agreement.effective_to is not None:
        valid_to = min(valid_to, agreement.effective_to) if valid_to else agreement.effective_to
    return dataclasses.replace(rule, valid_from=valid_from, valid_to=valid_to)


# -- a shipment's facts -----------------------------------------------------------------------------

@dataclass(frozen=True)
class UnsavedShipment:
    """What an exporter typed and the rules need, before anything is stored (the pre-check)."""

    exporter_id: int
    commodity: str
    origin_state: str
    port: str
    cross_by: datetime  # as written, with its offset
    sealable: bool = True


def _facts(session: Session, shipment: Shipment, sealable: bool | None = None,
           arrived: bool = False) -> mr.Shipment:
    """The facts of a stored shipment; cross_by keeps the offset it was written with. With `arrived`,
    the truck's recorded arrival too: what happened instead of what was declared."""
    return mr.Shipment(
        id=shipment.reference, commodity=shipment.commodity_code, origin_state=shipment.origin_state,
        port=shipment.port.code, cross_by=shipment.cross_by_as_written,
        sealable=shipment.sealable if sealable is None else sealable,
        certifications=certifications_of(session, shipment.exporter_id),
        arrived_at=shipment.arrived_at if arrived else None,
    )


def inland_inspection(session: Session, shipment: Shipment) -> Inspection | None:
    """The shipment's joint inland inspection: the latest one not cancelled."""
    return session.scalar(
        sa.select(Inspection)
        .where(Inspection.request_id == shipment.id, Inspection.kind == "joint_inland",
               Inspection.status != "cancelled")
        .order_by(Inspection.start.desc()).limit(1)
    )


def seal_state(session: Session, shipment: Shipment) -> str | None:
    """One state for the engine: the worst state among the shipment's seals, None when unsealed."""
    states = set(session.scalars(sa.select(Seal.status).where(Seal.request_id == shipment.id)))
    for problem in SEAL_PROBLEMS:
        if problem in states:
            return problem
    if "intact" in states:
        return "intact"
    return "applied" if states else None


# -- decisions --------------------------------------------------------------------------------------

def planned_decision(session: Session, shipment: Shipment, inland_end: datetime,
                     book: Rulebook | None = None) -> Decision:
    """What the rules would decide if the joint inspection ended at `inland_end` (a plan, a move):
    no seal is seen yet, so a sealable load counts as one that will be sealed."""
    book = book or rulebook(session)
    return mr.decide(_facts(session, shipment), inland_end, book.rules, book.agreements)


def recorded_decision(session: Session, shipment: Shipment, book: Rulebook | None = None) -> Decision:
    """What the rules decide on what was recorded: the joint inspection's result and end, the seals, and
    the truck's arrival at the port once recorded.

    Before the inspection is done this is its plan's decision. A failed or held inspection vouches for
    nothing. A load that passed without seals is judged as one that cannot be sealed any more; with
    seals, by the worst state any of them was found in. After the truck arrived, by the hours from the
    inspection to the arrival and the rule versions in force when it arrived.
    """
    inspection = inland_inspection(session, shipment)
    book = book or rulebook(session, at=shipment.arrived_at)
    if inspection is None:
        return mr.decide(_facts(session, shipment), None, book.rules, book.agreements)
    if inspection.status != "done":
        return planned_decision(session, shipment, inspection.end, book)
    if inspection.result != "pass":
        return not_vouched_for()
    seal = seal_state(session, shipment)
    facts = _facts(session, shipment, sealable=False if seal is None else None, arrived=True)
    return mr.decide(facts, inspection.end, book.rules, book.agreements, seal=seal)


def not_vouched_for() -> Decision:
    """A failed or held inland inspection vouches for nothing: as if there had been none."""
    return mr.BorderDecision(mr.REQUIRED, reasons=(mr.Reason.of("no_inland_inspection"),))


def precheck(session: Session, shipment: UnsavedShipment) -> tuple[RuleAssessment, ...]:
    """For an exporter about to request: which rules could waive this shipment and what is missing."""
    book = rulebook(session)
    facts = mr.Shipment(
        id="pre-check", commodity=shipment.commodity, origin_state=shipment.origin_state, port=shipment.port,
        cross_by=shipment.cross_by, sealable=shipment.sealable,
        certifications=certifications_of(session, shipment.exporter_id),
    )
    return mr.what_would_qualify(facts, book.rules, book.agreements)


def reason(code: str, **params: object) -> Reason:
    """One of the engine's reasons (a seal found broken, say), to record beside a decision."""
    return mr.Reason.of(code, **params)


def app_reason(code: str, **params: str | int | float | None) -> Reason:
    """A reason the app records itself (app.reasons tells it in both languages), not the engine's."""
    return mr.Reason(code=code, params=tuple(sorted(params.items())))


def reason_texts(reasons: Iterable[Reason]) -> tuple[str, ...]:
    """Reasons in the engine's plain English, as the exchange format writes them."""
    return tuple(mr.describe(reason) for reason in reasons)


def store_decision(session: Session, shipment: Shipment, decision: Decision, *, basis: str,
                   actor: User | None = None, extra_reasons: list[Reason] | None = None,
                   at: datetime | None = None) -> BorderDecision:
    """Record a decision as the shipment's current one, keeping the earlier ones as its history.

    Extra reasons (a seal found broken, the officer's reinstatement) require the inspection whatever
    the rules say.
    """
    reasons = [r.as_dict() for r in (extra_reasons or [])] + [r.as_dict() for r in decision.reasons]
    waived = decision.waived and not extra_reasons
    rule = None
    if waived:
        rule = session.scalar(sa.select(Rule).where(Rule.code == decision.rule, Rule.version == decision.rule_version))
    for row in session.scalars(sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id,
                                                               BorderDecision.current)).all():
        row.current = False
    row = BorderDecision(
        request_id=shipment.id, decision=WAIVED if waived else REQUIRED, rule_id=rule.id if rule else None,
        rule_code=decision.rule if waived else None, rule_version=decision.rule_version if waived else None,
        reasons=reasons, basis=basis, decided_at=at or utcnow(), decided_by_id=getattr(actor, "id", None),
        current=True,
    )
    session.add(row)
    session.flush()
    record(session, actor, f"border_decision.{row.decision}", shipment,
           after={"basis": basis, "rule": row.rule_code, "rule_version": row.rule_version, "reasons": reasons})
    return row


def current_decision(session: Session, shipment: Shipment) -> BorderDecision | None:
    return session.scalar(
        sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id, BorderDecision.current)
    )


def decision_trail(session: Session, shipment: Shipment) -> list[BorderDecision]:
    """Every decision the shipment had, oldest first, with the rule version it was made under."""
    return list(session.scalars(
        sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id)
        .order_by(BorderDecision.decided_at, BorderDecision.id)
    ))


# -- agreements and rules change through the engine's lifecycle -------------------------------------

def agreement_transition(agreement: Agreement, to_status: str, on: date, reason_text: str | None) -> mr.Agreement:
    """The agreement as its lifecycle allows it to become (LifecycleError when it does not)."""
    return mr.transition(_engine_agreement(agreement), to_status, on, reason_text)


def revised_rule(rule: Rule, changes: dict[str, object]) -> mr.Rule:
    """The next version of a rule with the changes (LifecycleError when a change is not allowed)."""
    return mr.revise_rule(_engine_rule(rule), **changes)
