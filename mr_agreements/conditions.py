"""The conditions of a recognition rule, one function each; an empty list means satisfied."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from mr_agreements import trusted_traders
from mr_agreements.domain import Agreement, Rule, Shipment
from mr_agreements.reasons import Reason

# Seal states as a border officer records them; None stands for planning (no seal seen yet).
SEAL_OK_STATES = ("applied", "intact")
# "removed" is one of the app's seal statuses: a seal taken off before the border check
# protects nothing.
SEAL_FAILED_STATES = ("broken", "missing", "mismatch", "removed")
SEAL_STATES = SEAL_OK_STATES + SEAL_FAILED_STATES


def crossing_date(shipment: Shipment) -> date:
    """The date of the crossing: of the actual arrival once there is one, else of cross_by; each in
    cross_by's own offset, as written (23:30-06:00 on 3 March is 3 March)."""
    if shipment.arrived_at is not None:
        return shipment.arrived_at.astimezone(shipment.cross_by.tzinfo).date()
    return shipment.cross_by.date()


def rule_is_active(rule: Rule) -> list[Reason]:
    """An inactive rule waives nothing."""
    return [] if rule.active else [Reason.of("rule_inactive", rule=rule.id)]


def agreement_in_force(rule: Rule, agreement: Agreement | None, on: date) -> list[Reason]:
    """The rule's agreement must be active, and effective on the crossing date.

    An agreement the caller did not pass is taken as active. A suspension or expiry stops
    waivers whatever its date: one agreement record cannot tell what the status was before,
    so the engine errs on the side of inspecting.
    """
    if agreement is None:
        return []
    found = _status_reasons(agreement) + _effective_dates_reasons(agreement, on)
    return [reason.for_rule(rule.id) for reason in found]


def _status_reasons(agreement: Agreement) -> list[Reason]:
    status, since = agreement.status, agreement.status_since
    if status == "active":
        return []
    if status == "draft":
        return [Reason.of("agreement_draft", agreement=agreement.id)]
    if status == "suspended" and since is not None and agreement.status_reason:
        return [Reason.of("agreement_suspended", agreement=agreement.id, since=since,
                          reason=agreement.status_reason)]
    if status == "expired" and since is not None:
        return [Reason.of("agreement_expired", agreement=agreement.id, since=since)]
    return [Reason.of("agreement_not_active", agreement=agreement.id, status=status)]


def _effective_dates_reasons(agreement: Agreement, on: date) -> list[Reason]:
    if agreement.effective_from is not None and on < agreement.effective_from:
        return [Reason.of("agreement_not_yet_effective", agreement=agreement.id,
                          effective_from=agreement.effective_from, cross_date=on)]
    if agreement.effective_to is not None and on > agreement.effective_to:
        return [Reason.of("agreement_ended", agreement=agreement.id,
                          effective_to=agreement.effective_to, cross_date=on)]
    return []


def rule_valid_on(rule: Rule, on: date) -> list[Reason]:
    """The crossing date must lie in valid_from..valid_to, both ends included; no end = open."""
    if rule.valid_from is not None and on < rule.valid_from:
        return [Reason.of("rule_not_yet_valid", rule=rule.id, valid_from=rule.valid_from,
                          cross_date=on)]
    if rule.valid_to is not None and on > rule.valid_to:
        return [Reason.of("rule_no_longer_valid", rule=rule.id, valid_to=rule.valid_to,
                          cross_date=on)]
    return []


def commodity_covered(rule: Rule, shipment: Shipment) -> list[Reason]:
    """The shipment's commodity must be one the rule names."""
    if shipment.commodity in rule.commodities:
        return []
    return [Reason.of("commodity_not_covered", rule=rule.id, commodity=shipment.commodity)]


def origin_covered(rule: Rule, shipment: Shipment) -> list[Reason]:
    """The origin state must be one the rule names; a rule naming none covers every state."""
    if not rule.origin_states or shipment.origin_state in rule.origin_states:
        return []
    return [Reason.of("origin_not_covered", rule=rule.id, origin_state=shipment.origin_state,
                      allowed=", ".join(rule.origin_states))]


def port_covered(rule: Rule, shipment: Shipment) -> list[Reason]:
    """The crossing port must be one the rule names; a rule naming none covers every port."""
    if not rule.ports or shipment.port in rule.ports:
        return []
    return [Reason.of("port_not_covered", rule=rule.id, port=shipment.port,
                      allowed=", ".join(rule.ports))]


def matches(rule: Rule, shipment: Shipment) -> bool:
    """The rule covers the shipment: active, valid on the crossing date, for its commodity, origin and port.
    Whether it would waive it depends on the rest (certificates, seal, timing); a measure's "eligible"."""
    on = crossing_date(shipment)
    return not (rule_is_active(rule) or rule_valid_on(rule, on) or commodity_covered(rule, shipment)
                or origin_covered(rule, shipment) or port_covered(rule, shipment))


def certifications_held(rule: Rule, shipment: Shipment) -> list[Reason]:
    """Each required program must be held by the exporter, in good standing on the crossing date."""
    on = crossing_date(shipment)
    reasons = []
    for program in rule.requires_certifications:
        held = [c for c in shipment.certifications
                if c.program == program and trusted_traders.vouches_for(c, shipment, trusted_traders.EXPORTER)]
        reason = trusted_traders.standing_reason(program, held, on)
        if reason is not None:
            reasons.append(reason.for_rule(rule.id))
    return reasons


def check_seal_state(seal: str | None) -> None:
    """Refuse a seal state the engine does not know rather than guess what it means."""
    if seal is not None and seal not in SEAL_STATES:
        raise ValueError(f"unknown seal state {seal!r}; expected one of {', '.join(SEAL_STATES)}")


def seal_protects(rule: Rule, shipment: Shipment, seal: str | None) -> list[Reason]:
    """A rule requiring a seal needs a sealable load when planning, an intact seal at the border."""
    check_seal_state(seal)
    if not rule.requires_seal:
        return []
    if seal is None:
        return [] if shipment.sealable else [Reason.of("seal_not_possible", rule=rule.id)]
    if seal in SEAL_OK_STATES:
        return []
    return [Reason.of(f"seal_{seal}", rule=rule.id)]


def inspection_close_to_crossing(rule: Rule, shipment: Shipment,
                                 inspection_end: datetime) -> list[Reason]:
    """The inland inspection must end no more than max_hours_before_crossing before cross_by,
    and not after cross_by (an inspection after the deadline cannot vouch for the crossing).

    Once the truck has arrived, the hours count to its actual arrival instead: a seal intact after
    a week on the road vouches for less than the rule asks.
    """
    if shipment.arrived_at is not None:
        return arrived_close_to_inspection(rule, shipment.arrived_at, inspection_end)
    gap = shipment.cross_by - inspection_end
    if gap < timedelta(0):
        return [Reason.of("inspection_after_crossing", rule=rule.id,
                          inspection_end=inspection_end, cross_by=shipment.cross_by)]
    limit = rule.max_hours_before_crossing
    if limit is None or gap <= timedelta(hours=limit):
        return []
    return [Reason.of("inspection_too_early", rule=rule.id, hours_before=_hours(gap),
                      max_hours=_plain_number(limit))]


def arrived_close_to_inspection(rule: Rule, arrived_at: datetime, inspection_end: datetime) -> list[Reason]:
    """The truck must reach the port within max_hours_before_crossing of the joint inspection's end."""
    gap = max(arrived_at - inspection_end, timedelta(0))
    limit = rule.max_hours_before_crossing
    if limit is None or gap <= timedelta(hours=limit):
        return []
    return [Reason.of("arrived_too_late", rule=rule.id, hours_after=_hours(gap), max_hours=_plain_number(limit))]


def earliest_inspection_end(rule: Rule, shipment: Shipment) -> datetime | None:
    """The earliest end of the inland inspection this rule's hour limit accepts; None = any."""
    if rule.max_hours_before_crossing is None:
        return None
    return shipment.cross_by - timedelta(hours=rule.max_hours_before_crossing)


def inland_inspection_done(inspection_end: datetime | None) -> list[Reason]:
    """Without a joint inland inspection no rule can waive the border inspection."""
    return [Reason.of("no_inland_inspection")] if inspection_end is None else []


def _hours(gap: timedelta) -> int | float:
    # Round up to the whole minute so a gap just over the limit never reads as the limit itself.
    minutes = math.ceil(gap.total_seconds() / 60)
    return _plain_number(round(minutes / 60, 2))


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)
