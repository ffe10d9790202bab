"""Border decisions: waive the border inspection under a rule, or require it and say why."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from mr_agreements import conditions as c
from mr_agreements import trusted_traders
from mr_agreements.gates import gates_passed
from mr_agreements.domain import REQUIRED, WAIVED, Agreement, Rule, Shipment
from mr_agreements.reasons import Reason, describe
from mr_agreements.suspension import not_suspended

Agreements = Iterable[Agreement] | Mapping[str, Agreement]


@dataclass(frozen=True)
class BorderDecision:
    """Waived under one rule version, or required with every reason people need to read."""

    decision: str  # WAIVED or REQUIRED
    rule: str | None = None
    rule_version: int | None = None
    reasons: tuple[Reason, ...] = ()

    @property
    def waived(self) -> bool:
        return self.decision == WAIVED

    def reason_texts(self) -> tuple[str, ...]:
        """The reasons in plain English, as the exchange format writes them."""
        return tuple(describe(reason) for reason in self.reasons)

    def to_exchange(self, request_id: str) -> dict[str, object]:
        """One entry of a schedule's border_decisions (exchange format version 1)."""
        if self.waived:
            return {"request": request_id, "decision": WAIVED, "rule": self.rule}
        return {"request": request_id, "decision": REQUIRED, "reasons": list(self.reason_texts())}


@dataclass(frozen=True)
class WaiverWindow:
    """When the inland inspection must end for some rule to waive the border inspection.

    An inspection ending at or after earliest_end and no later than cross_by is waived;
    earliest_end None means any end up to cross_by qualifies.
    """

    earliest_end: datetime | None
    rules: tuple[str, ...]


@dataclass(frozen=True)
class RuleAssessment:
    """For an exporter's pre-check: could this rule waive the shipment, and what is missing."""

    rule: str
    version: int
    agreement: str
    qualifies_now: bool
    missing: tuple[Reason, ...]
    earliest_end: datetime | None

    def missing_texts(self) -> tuple[str, ...]:
        return tuple(describe(reason) for reason in self.missing)


def decide(shipment: Shipment, inspection_end: datetime | None, rules: Iterable[Rule],
           agreements: Agreements = (), seal: str | None = None) -> BorderDecision:
    """Waive when at least one rule meets every condition, else require with all reasons.

    The named rule is the first satisfying one by rule id, newest version first, so it does not
    depend on the order the rules come in.
    """
    _require_offset("cross_by", shipment.cross_by)
    if shipment.arrived_at is not None:
        _require_offset("arrived_at", shipment.arrived_at)
    c.check_seal_state(seal)
    if inspection_end is None:
        return BorderDecision(REQUIRED, reasons=tuple(c.inland_inspection_done(None)))
    _require_offset("inspection_end", inspection_end)
    candidates = _rules_for_commodity(shipment, rules)
    if not candidates:
        return _no_rule_for(shipment)
    by_id = _agreement_index(agreements)
    reasons: list[Reason] = []
    for rule in candidates:
        failed = _static_reasons(rule, shipment, by_id, seal)
        failed += c.inspection_close_to_crossing(rule, shipment, inspection_end)
        if not failed:
            return BorderDecision(WAIVED, rule=rule.id, rule_version=rule.version)
        reasons.extend(failed)
    return BorderDecision(REQUIRED, reasons=tuple(reasons))


def waiver_window(shipment: Shipment, rules: Iterable[Rule],
                  agreements: Agreements = ()) -> WaiverWindow | None:
    """For the scheduler: the end times of the inland inspection that get the border waived.

    Every condition but timing is checked now, with the seal in planning mode; None means no
    end time at all would get this shipment waived.
    """
    _require_offset("cross_by", shipment.cross_by)
    by_id = _agreement_index(agreements)
    matching = [rule for rule in _rules_for_commodity(shipment, rules)
                if not _static_reasons(rule, shipment, by_id, seal=None)
                and _can_meet_timing(rule)]
    if not matching:
        return None
    ids = tuple(dict.fromkeys(rule.id for rule in matching))
    if any(rule.max_hours_before_crossing is None for rule in matching):
        return WaiverWindow(earliest_end=None, rules=ids)
    ends = [c.earliest_inspection_end(rule, shipment) for rule in matching]
    return WaiverWindow(earliest_end=min(ends), rules=ids)


def what_would_qualify(shipment: Shipment, rules: Iterable[Rule], agreements: Agreements = (),
                       inspection_end: datetime | None = None,
                       seal: str | None = None) -> tuple[RuleAssessment, ...]:
    """For every rule covering the commodity: does it qualify now, and what is missing.

    Without an inspection end, timing is left out of `missing` and told by earliest_end alone:
    qualifies_now then means "qualifies if the inspection ends at or after earliest_end".
    """
    _require_offset("cross_by", shipment.cross_by)
    if inspection_end is not None:
        _require_offset("inspection_end", inspection_end)
    c.check_seal_state(seal)
    by_id = _agreement_index(agreements)
    assessments = []
    for rule in _rules_for_commodity(shipment, rules):
        missing = _static_reasons(rule, shipment, by_id, seal)
        if inspection_end is not None:
            missing += c.inspection_close_to_crossing(rule, shipment, inspection_end)
        elif not _can_meet_timing(rule):
            missing += c.inspection_close_to_crossing(rule, shipment, shipment.cross_by)
        assessments.append(RuleAssessment(
            rule=rule.id, version=rule.version, agreement=rule.agreement,
            qualifies_now=not missing, missing=tuple(missing),
            earliest_end=c.earliest_inspection_end(rule, shipment)))
    return tuple(assessments)


def _static_reasons(rule: Rule, shipment: Shipment, agreements: Mapping[str, Agreement],
                    seal: str | None) -> list[Reason]:
    """Every condition of the rule except the commodity (already matched) and timing."""
    on = c.crossing_date(shipment)
    return [
        *c.rule_is_active(rule),
        *c.agreement_in_force(rule, agreements.get(rule.agreement), on),
        *c.rule_valid_on(rule, on),
        *c.origin_covered(rule, shipment),
        *c.port_covered(rule, shipment),
        *c.certifications_held(rule, shipment),
        *trusted_traders.recognised_status_held(rule, shipment, on),
        *trusted_traders.chain_in_good_standing(rule, shipment, on),
        *gates_passed(rule, on),
        *c.seal_protects(rule, shipment, seal),
        *not_suspended(rule, shipment),
    ]


def _can_meet_timing(rule: Rule) -> bool:
    # A negative hour limit would demand an inspection ending after the crossing deadline.
    limit = rule.max_hours_before_crossing
    return limit is None or limit >= 0


def _rules_for_commodity(shipment: Shipment, rules: Iterable[Rule]) -> list[Rule]:
    """The rules that cover the commodity, by id and newest version first: a fixed order."""
    covering = [rule for rule in rules if not c.commodity_covered(rule, shipment)]
    # repr breaks ties between malformed duplicates (same id and version) so that even then
    # the reasons come out in the same order whatever order the rules came in.
    return sorted(covering, key=lambda rule: (rule.id, -rule.version, repr(rule)))


def _no_rule_for(shipment: Shipment) -> BorderDecision:
    reason = Reason.of("no_rule_for_commodity", commodity=shipment.commodity)
    return BorderDecision(REQUIRED, reasons=(reason,))


def _agreement_index(agreements: Agreements) -> Mapping[str, Agreement]:
    if isinstance(agreements, Mapping):
        return agreements
    return {agreement.id: agreement for agreement in agreements}


def _require_offset(name: str, moment: datetime) -> None:
    # The exchange format makes a time without an offset an input error; comparing one with an
    # offset-aware time would fail later with a far less helpful message.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} {moment.isoformat()} has no UTC offset")
