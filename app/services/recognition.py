"""The one door to the mutual-recognition rules engine: database rows in, border decisions out.

No other app module imports mr_agreements. Every place that decides whether a shipment's border
inspection is waived asks here: the exporter's pre-check, the optimizer's scenario (its rules and
certificates), the board's move check, publishing, the inspector's result, the officer's
verification, electronic seal events and the demo seeding. So they cannot disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

import mr_agreements as mr

from mr_agreements import safety, verification
from mr_agreements.suspension import Suspension, not_suspended

from ..models import (
    Agreement, BorderDecision, Exporter, Inspection, Rule, Seal, Shipment, Site, User, utcnow,
)
from ..models import Suspension as SuspensionRow
from ..models.decision import SELECTED_FOR_VERIFICATION
from .access.audit import record
from .agreements import register_facts, sampling

WAIVED, REQUIRED = mr.WAIVED, mr.REQUIRED
Decision = mr.BorderDecision
Reason = mr.Reason
RuleAssessment = mr.RuleAssessment
LifecycleError = mr.LifecycleError
AGREEMENT_TRANSITIONS = mr.ALLOWED_TRANSITIONS
# Is recognition safe: rates with their 95% intervals (Wilson) and their difference (Newcombe).
Rate, RateDifference = safety.Rate, safety.Difference
rate, rate_difference = safety.wilson, safety.difference
SEAL_PROBLEMS = ("broken", "missing", "mismatch", "removed")
# Statuses whose decision can still change: planned, inspected or sealed, not yet at the border.
OPEN_TO_DECIDE = ("scheduled", "inspected", "sealed")
# Rule 1b (exchange format version 2): the joint inspection at a site north of the border is the border
# inspection. Stored as a waived decision whose reason is this code, naming the site: it counts as a
# border inspection avoided wherever a waived one does (the tallies, the dashboard, the measures).
JOINT_US_SITE = "joint_us_site"


# -- the rules in force ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Rulebook:
    """The current rule versions and the agreements, read once and asked many times (a plan's shipments)."""

    rules: tuple[mr.Rule, ...]
    agreements: dict[str, mr.Agreement]


def rulebook(session: Session, at: datetime | None = None) -> Rulebook:
    """The rules in force now, or the versions that were in force at a past moment (a truck's arrival)."""
    context = register_facts.rule_context(session)
    rules = tuple(_engine_rule(rule, context) for rule in (current_rules(session) if at is None
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


def _engine_rule(rule: Rule, context: register_facts.RuleContext | None = None) -> mr.Rule:
    """The rule as the engine reads it; with the register's context, programs by their register code, the
    arrangements that recognise them, the programs of each link of a chain and the milestones gating it."""
    programs = tuple(context.program(p) if context else p for p in rule.requires_certifications)
    return mr.Rule(
        id=rule.code, agreement=rule.agreement.code, commodities=tuple(rule.commodities),
        origin_states=tuple(rule.origin_states), ports=tuple(rule.ports),
        requires_certifications=programs, requires_seal=rule.requires_seal,
        max_hours_before_crossing=rule.max_hours_before_crossing, valid_from=rule.valid_from,
        valid_to=rule.valid_to, active=rule.active, version=rule.version, verification_rate=rule.verification_rate,
        requires_recognised_status=rule.requires_recognised_status,
        requires_whole_chain=rule.requires_whole_chain, **(_register_fields(rule, context) if context else {}),
    )


def _register_fields(rule: Rule, context: register_facts.RuleContext) -> dict[str, object]:
    return {
        "recognised_under": tuple(mr.Arrangement(code, programs, start, end)
                                  for code, programs, start, end in context.arrangements),
        "chain": tuple(mr.ChainLink(link, programs) for link, programs in context.chain),
        "gates": tuple(mr.Gate(title, done_on) for title, done_on in context.gates.get(rule.code, ())),
    }


def _engine_agreement(agreement: Agreement) -> mr.Agreement:
    return mr.Agreement(
        id=agreement.code, status=agreement.status, effective_from=agreement.effective_from,
        effective_to=agreement.effective_to, status_since=agreement.status_since,
        status_reason=agreement.status_reason,
    )


def certifications_of(session: Session, exporter_id: int, shipment: Shipment | None = None,
                      parties: Iterable[tuple[str, int]] | None = None,
                      tag: str = "pre-check") -> tuple[mr.Certification, ...]:
    """An exporter's register entries as the engine (and the optimizer's scenario) reads them, with those of
    the logistics chain: of one shipment's named parties, of `parties` typed for an unsaved one (`tag`), or
    without either, of every shipment of the exporter still to plan, each vouching only for its shipment."""
    names = register_facts.aliases(session)
    facts = register_facts.exporter_certificates(session, exporter_id, names)
    if parties is not None:
        facts += register_facts.party_certificates(session, parties, names, tag)
    else:
        facts += register_facts.chain_certificates(session, names, exporter_id=exporter_id, shipment=shipment)
    return tuple(mr.Certification(**dataclasses.asdict(fact)) for fact in facts)


def planning_rules(session: Session) -> tuple[mr.Rule, ...]:
    """The rules for the optimizer's scenario, which carries no agreements: an agreement's standing is
    folded into its rules (not active: the rule plans as inactive; its effective dates bound the rule's),
    so the optimizer's own adapter decides as this door does."""
    book = rulebook(session)
    return tuple(_with_gates(_with_agreement(rule, book.agreements.get(rule.agreement))) for rule in book.rules)


def _with_gates(rule: mr.Rule) -> mr.Rule:
    """Gates all passed start the rule on the last one's day: a date the exchange format carries too."""
    if not rule.gates or any(gate.done_on is None for gate in rule.gates):
        return rule
    opened = max(gate.done_on for gate in rule.gates)
    return dataclasses.replace(rule, valid_from=max(rule.valid_from, opened) if rule.valid_from else opened)


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
    packhouse: str | None = None
    # The parties of its logistics chain, as (link, trade party id): its carrier, driver, importer...
    parties: tuple[tuple[str, int], ...] = ()


def _facts(session: Session, shipment: Shipment, sealable: bool | None = None,
           arrived: bool = False) -> mr.Shipment:
    """The facts of a stored shipment; cross_by keeps the offset it was written with. With `arrived`,
    the truck's recorded arrival too: what happened instead of what was declared."""
    return mr.Shipment(
        id=shipment.reference, commodity=shipment.commodity_code, origin_state=shipment.origin_state,
        port=shipment.port.code, cross_by=shipment.cross_by_as_written,
        sealable=shipment.sealable if sealable is None else sealable,
        certifications=certifications_of(session, shipment.exporter_id, shipment),
        arrived_at=shipment.arrived_at if arrived else None,
        exporter=shipment.exporter.code, packhouse=shipment.packhouse,
        suspensions=suspensions_of(session, shipment.exporter_id, shipment.packhouse, shipment.origin_state,
                                   shipment.commodity_code),
    )


def suspensions_of(session: Session, exporter_id: int, packhouse: str | None, origin_state: str,
                   commodity: str) -> tuple[Suspension, ...]:
    """The suspensions in force that could cover this exporter, packhouse or origin and commodity."""
    rows = session.scalars(
        sa.select(SuspensionRow).where(SuspensionRow.lifted_at.is_(None), sa.or_(
            SuspensionRow.exporter_id == exporter_id,
            sa.func.lower(SuspensionRow.packhouse) == (packhouse or "").lower(),
            sa.and_(SuspensionRow.origin_state == origin_state, SuspensionRow.commodity_code == commodity))))
    return tuple(Suspension(agreement=row.agreement.code, scope=row.scope, since=row.since.date(),
                            reason=row.reason, exporter=row.exporter.code if row.exporter else None,
                            packhouse=row.packhouse, origin_state=row.origin_state, commodity=row.commodity_code)
                 for row in rows)


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
                     book: Rulebook | None = None, site: Site | None = None) -> Decision:
    """What the rules would decide if the joint inspection ended at `inland_end` (a plan, a move):
    no seal is seen yet, so a sealable load counts as one that will be sealed. At a site north of the
    border, rule 1b decides."""
    book = book or rulebook(session)
    if site is not None and crosses_before(shipment, site):
        return joint_us_site_decision(session, shipment, site, book)
    return mr.decide(_facts(session, shipment), inland_end, book.rules, book.agreements)


def crosses_before(shipment: Shipment, site: Site) -> bool:
    """Rule 1b applies: a load with an origin (version 2) crosses its port under seal before a joint
    inspection at an inland site in the US. A request imported from version 1 keeps version 1's meaning."""
    return site.kind == "inland" and site.country == "US" and shipment.origin_lat is not None


def joint_us_site_decision(session: Session, shipment: Shipment, site: Site, book: Rulebook | None = None) -> Decision:
    """Rule 1b: the joint inspection north of the border replaces the port's when an active rule recognises
    the shipment on commodity, origin state, port, certificates and dates; seal and hours before crossing
    do not count, since nothing travels after it (as scheduling.waiver.us_site_decision)."""
    book = book or rulebook(session)
    facts = dataclasses.replace(_facts(session, shipment), sealable=True)
    untimed = [dataclasses.replace(rule, requires_seal=False, max_hours_before_crossing=None) for rule in book.rules]
    decision = mr.decide(facts, facts.cross_by, untimed, book.agreements)
    if not decision.waived:
        return decision
    return dataclasses.replace(decision, reasons=(app_reason(JOINT_US_SITE, site=site.code),))


def is_joint_us_site(reasons: Iterable[Reason] | Iterable[dict]) -> bool:
    """The decision is rule 1b's: the joint inspection north of the border was the border inspection."""
    return any((r.get("code") if isinstance(r, dict) else r.code) == JOINT_US_SITE for r in reasons or ())


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
        return planned_decision(session, shipment, inspection.end, book, inspection.site)
    if inspection.result != "pass":
        return not_vouched_for()
    if crosses_before(shipment, inspection.site):
        return joint_us_site_decision(session, shipment, inspection.site, book)
    seal = seal_state(session, shipment)
    facts = _facts(session, shipment, sealable=False if seal is None else None, arrived=True)
    return mr.decide(facts, inspection.end, book.rules, book.agreements, seal=seal)


def not_vouched_for() -> Decision:
    """A failed or held inland inspection vouches for nothing: as if there had been none."""
    return mr.BorderDecision(mr.REQUIRED, reasons=(mr.Reason.of("no_inland_inspection"),))


def precheck(session: Session, shipment: UnsavedShipment) -> tuple[RuleAssessment, ...]:
    """For an exporter about to request: which rules could waive this shipment and what is missing."""
    book = rulebook(session)
    exporter = session.get(Exporter, shipment.exporter_id)
    facts = mr.Shipment(
        id="pre-check", commodity=shipment.commodity, origin_state=shipment.origin_state, port=shipment.port,
        cross_by=shipment.cross_by, sealable=shipment.sealable,
        certifications=certifications_of(session, shipment.exporter_id, parties=shipment.parties),
        exporter=exporter.code if exporter else None, packhouse=shipment.packhouse,
        suspensions=suspensions_of(session, shipment.exporter_id, shipment.packhouse, shipment.origin_state,
                                   shipment.commodity),
    )
    return mr.what_would_qualify(facts, book.rules, book.agreements)


def precheck_stored(session: Session, shipment: Shipment) -> tuple[RuleAssessment, ...]:
    """The pre-check of a stored shipment, with the parties its chain names: which rules could waive it."""
    book = rulebook(session)
    return mr.what_would_qualify(_facts(session, shipment), book.rules, book.agreements)


def rule_covers(rule: Rule, commodity: str, origin_state: str, port: str, on: date) -> bool:
    """An active rule version valid on the day, covering the commodity, origin and port: a shipment it matched
    (a measure's "eligible"), whatever its certificates, seal and timing."""
    engine_rule = _engine_rule(rule)
    facts = mr.Shipment(id="eligible", commodity=commodity, origin_state=origin_state, port=port,
                        cross_by=datetime.combine(on, datetime.min.time(), timezone.utc))
    return mr.matches(engine_rule, facts)


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
    at = at or utcnow()
    # A joint inspection north of the border is the border inspection: nothing is left to verify.
    drawn = None if is_joint_us_site(decision.reasons) else (
        _draw(session, shipment, rule, at) if waived else _drawn(session, shipment))
    for row in session.scalars(sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id,
                                                               BorderDecision.current)).all():
        row.current = False
    row = BorderDecision(
        request_id=shipment.id, decision=WAIVED if waived else REQUIRED, rule_id=rule.id if rule else None,
        rule_code=decision.rule if waived else None, rule_version=decision.rule_version if waived else None,
        reasons=reasons, basis=basis, decided_at=at, decided_by_id=getattr(actor, "id", None), current=True,
    )
    if drawn is not None:
        row.verification, row.verification_probability = drawn.selected, drawn.probability
        row.verification_draw, row.verification_basis = drawn.draw, drawn.basis
    session.add(row)
    session.flush()
    record(session, actor, f"border_decision.{row.decision}", shipment,
           after={"basis": basis, "rule": row.rule_code, "rule_version": row.rule_version, "reasons": reasons})
    return row


def _draw(session: Session, shipment: Shipment, rule: Rule, at: datetime) -> sampling.Selection:
    """A waived load drawn for a verification inspection under its rule's rate, raised by its risk now;
    drawn once, the first time it is waived."""
    earlier = _drawn(session, shipment)
    if earlier is not None:
        return earlier
    basis = verification.basis(rule.verification_rate, sampling.risk_factors(session, shipment, at))
    chosen, value = verification.selected(sampling.secret(session), shipment.reference, basis)
    return sampling.Selection(chosen, basis.probability, value, basis.as_dict())


def _drawn(session: Session, shipment: Shipment) -> sampling.Selection | None:
    """A load drawn before keeps its draw on every later decision."""
    earlier = sampling.drawn_before(session, shipment)
    if earlier is None:
        return None
    return sampling.Selection(earlier.verification, earlier.verification_probability, earlier.verification_draw,
                              earlier.verification_basis or {})


def border_required_ahead(session: Session, shipments: Sequence[Shipment], at: datetime) -> dict[int, str]:
    """For the optimizer: the loads whose border inspection will be done although the rules could waive
    it, and why in the engine's English: recognition suspended for them, or drawn for a verification
    inspection. Their port inspection is booked with CBP (scheduling's Request.border_required).

    A load drawn before keeps its draw. One not drawn yet gets the draw it would get if waived now, under
    the first current rule covering its commodity, origin and port; publishing draws again under the rule
    that waives it, and the plan check refuses a plan the two disagree on (two rules of different rates).
    """
    result: dict[int, str] = {}
    book = rulebook(session)
    in_force = session.scalars(sa.select(SuspensionRow).where(SuspensionRow.lifted_at.is_(None))).all()
    for shipment in shipments:
        reason = _suspended_reason(session, shipment, book, in_force)
        if reason is not None:
            result[shipment.id] = reason
    drawn = _earlier_draws(session, [s.id for s in shipments if s.id not in result])
    undrawn = [s for s in shipments if s.id not in result and s.id not in drawn]
    rules = [rule for rule in current_rules(session) if rule.active]
    picture = sampling.risk_picture(session, undrawn, at)
    secret = sampling.secret(session)
    verifies = mr.describe(mr.Reason.of(SELECTED_FOR_VERIFICATION))
    for shipment in shipments:
        if shipment.id in result:
            continue
        if shipment.id in drawn:
            chosen = drawn[shipment.id]
        else:
            rule = next((r for r in rules if rule_covers(r, shipment.commodity_code, shipment.origin_state,
                                                          shipment.port.code, shipment.cross_by_as_written.date())),
                        None)
            if rule is None:
                continue
            chance = verification.basis(rule.verification_rate, picture.factors(shipment))
            chosen, _ = verification.selected(secret, shipment.reference, chance)
        if chosen:
            result[shipment.id] = verifies
    return result


def _suspended_reason(session: Session, shipment: Shipment, book: Rulebook,
                      in_force: Sequence[SuspensionRow]) -> str | None:
    """The engine's reason when a suspension in force is all that stands between the load and a waiver."""
    if not any(_touches(row, shipment) for row in in_force):
        return None
    facts = _facts(session, shipment)
    if mr.waiver_window(facts, book.rules, book.agreements) is not None:
        return None  # another agreement's rule still recognises it
    free = dataclasses.replace(facts, suspensions=())
    window = mr.waiver_window(free, book.rules, book.agreements)
    if window is None:
        return None  # the rules would not waive it anyway
    rule = next(r for r in book.rules if r.id == window.rules[0])
    reasons = not_suspended(rule, facts)
    return mr.describe(reasons[0]) if reasons else None


def _touches(row: SuspensionRow, shipment: Shipment) -> bool:
    if row.scope == "exporter":
        return row.exporter_id == shipment.exporter_id
    if row.scope == "packhouse":
        return (row.packhouse or "").casefold() == (shipment.packhouse or "").casefold()
    return (row.origin_state, row.commodity_code) == (shipment.origin_state, shipment.commodity_code)


def _earlier_draws(session: Session, shipment_ids: Sequence[int]) -> dict[int, bool]:
    """Whether each load drawn before was selected (its first drawing decision holds for good)."""
    first = (sa.select(BorderDecision.request_id, sa.func.min(BorderDecision.id).label("id"))
             .where(BorderDecision.request_id.in_(shipment_ids), BorderDecision.verification_probability.is_not(None))
             .group_by(BorderDecision.request_id).subquery())
    rows = session.execute(sa.select(BorderDecision.request_id, BorderDecision.verification)
                           .join(first, first.c.id == BorderDecision.id))
    return {request_id: bool(selected) for request_id, selected in rows}


def selected_for_verification(session: Session, shipment: Shipment) -> bool:
    """Drawn for a verification inspection: its border inspection is done although the rules waive it."""
    earlier = sampling.drawn_before(session, shipment)
    return earlier is not None and earlier.verification


def decide_again(session: Session, actor: User | None, shipment: Shipment) -> BorderDecision | None:
    """A planned or inspected shipment's current decision taken again on what changed (its chain, a
    suspension started or lifted); stored only when the answer or its rule changes."""
    current = current_decision(session, shipment)
    if current is None:
        return None
    decision = recorded_decision(session, shipment)
    if (decision.decision, decision.rule, decision.rule_version, [r.as_dict() for r in decision.reasons]) == (
            current.decision, current.rule_code, current.rule_version, current.reasons):
        return None
    basis = "plan" if shipment.status == "scheduled" else "inspection"
    return store_decision(session, shipment, decision, basis=basis, actor=actor)


def decide_again_under(session: Session, actor: User | None, suspension: SuspensionRow) -> int:
    """Every shipment not yet at the border that a suspension covers is decided again: a suspension takes
    effect at once, and a lift gives the waiver back to the loads still on their way. Returns how many
    decisions changed."""
    query = sa.select(Shipment).where(Shipment.status.in_(OPEN_TO_DECIDE))
    if suspension.scope == "exporter":
        query = query.where(Shipment.exporter_id == suspension.exporter_id)
    elif suspension.scope == "packhouse":
        query = query.where(sa.func.lower(Shipment.packhouse) == (suspension.packhouse or "").lower())
    else:
        query = query.where(Shipment.origin_state == suspension.origin_state,
                            Shipment.commodity_code == suspension.commodity_code)
    return sum(decide_again(session, actor, shipment) is not None for shipment in session.scalars(query))


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
