"""Trusted-trader standing: certificates in good standing, recognised programs, the logistics chain."""

# CBP's CTPAT and Mexico's OEA recognise each other's validation (the arrangement of 17 October 2014):
# a rule that asks for "a trusted-trader status recognised by both administrations" is met by either
# program in good standing on the crossing date. A program has a status besides its dates: certified or
# validated is good standing; suspended and removed are not, from the day they were recorded.

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from mr_agreements.reasons import Reason

if TYPE_CHECKING:
    from mr_agreements.domain import Certification, Rule, Shipment

GOOD_STANDING = ("certified", "validated")
LAPSED = ("suspended", "removed")
CERTIFICATE_STATUSES = GOOD_STANDING + LAPSED
EXPORTER = "exporter"
# The links of a logistics chain beyond the exporter, in the order a load meets them.
CHAIN_LINKS = ("packhouse", "carrier", "driver", "importer", "broker")


@dataclass(frozen=True)
class Arrangement:
    """A mutual recognition arrangement: each administration recognises the other's program validation."""

    id: str
    programs: tuple[str, ...]
    in_force_from: date
    in_force_to: date | None = None

    def in_force(self, on: date) -> bool:
        return self.in_force_from <= on and (self.in_force_to is None or on <= self.in_force_to)


@dataclass(frozen=True)
class ChainLink:
    """One link of the logistics chain a rule asks for, and the programs that put it in good standing."""

    link: str
    programs: tuple[str, ...]


def vouches_for(certification: Certification, shipment: Shipment, holder: str) -> bool:
    """A certificate held by this link of this shipment: an exporter's vouches for all its shipments, a
    carrier's or driver's only for the shipments that name them."""
    if certification.holder != holder:
        return False
    return certification.shipment is None or certification.shipment == shipment.id


def in_good_standing(certification: Certification, on: date) -> bool:
    """Valid on the date and neither suspended nor removed by then."""
    if certification.valid_from is not None and on < certification.valid_from:
        return False
    if on > certification.valid_until:
        return False
    if certification.status in GOOD_STANDING:
        return True
    # A suspension recorded on a day leaves the days before it in good standing.
    return certification.status_since is not None and on < certification.status_since


def standing_reason(program: str, held: list[Certification], on: date) -> Reason | None:
    """Why none of these certificates of one program is in good standing on the date; None when one is."""
    if any(in_good_standing(c, on) for c in held):
        return None
    if not held:
        return Reason.of("certification_missing", program=program)
    lapsed = [c for c in held if c.status in LAPSED and (c.status_since is None or c.status_since <= on)]
    if lapsed:
        latest = max(lapsed, key=lambda c: c.status_since or on)
        return Reason.of(f"certification_{latest.status}", program=program, since=latest.status_since or on,
                         reason=latest.status_reason or "")
    expired = [c for c in held if c.valid_until < on]
    if expired:
        # Name the certificate that lasted longest: it is the one the exporter will recognise.
        return Reason.of("certification_expired", program=program, valid_until=max(c.valid_until for c in expired),
                         cross_date=on)
    starts = [c.valid_from for c in held if c.valid_from is not None and on < c.valid_from]
    if not starts:  # a status the engine does not know vouches for nothing
        return Reason.of("certification_missing", program=program)
    return Reason.of("certification_not_yet_valid", program=program, valid_from=min(starts), cross_date=on)


def recognised_programs(rule: Rule, on: date) -> tuple[str, ...]:
    """The programs the rule's arrangements in force on the date make count, in a fixed order."""
    found = {program for arrangement in rule.recognised_under if arrangement.in_force(on)
             for program in arrangement.programs}
    return tuple(sorted(found))


def recognised_status_held(rule: Rule, shipment: Shipment, on: date) -> list[Reason]:
    """A rule asking for a status recognised by both administrations: either program, in good standing."""
    if not rule.requires_recognised_status:
        return []
    programs = recognised_programs(rule, on)
    if not programs:
        return [Reason.of("no_recognition_arrangement", rule=rule.id, cross_date=on)]
    held = [c for c in shipment.certifications if vouches_for(c, shipment, EXPORTER) and c.program in programs]
    if any(in_good_standing(c, on) for c in held):
        return []
    if not held:
        return [Reason.of("recognised_status_missing", rule=rule.id, programs=", ".join(programs))]
    return [standing_reason(program, [c for c in held if c.program == program], on).for_rule(rule.id)
            for program in programs if any(c.program == program for c in held)]


def chain_in_good_standing(rule: Rule, shipment: Shipment, on: date) -> list[Reason]:
    """A rule asking for the whole logistics chain: every link named and in good standing; says which is not."""
    if not rule.requires_whole_chain:
        return []
    programs_of = {link.link: link.programs for link in rule.chain}
    reasons = []
    for link in CHAIN_LINKS:
        reason = _link_reason(link, programs_of.get(link, ()), shipment, on)
        if reason is not None:
            reasons.append(reason.for_rule(rule.id))
    return reasons


def _link_reason(link: str, programs: tuple[str, ...], shipment: Shipment, on: date) -> Reason | None:
    held = [c for c in shipment.certifications if vouches_for(c, shipment, link)
            and (not programs or c.program in programs)]
    if any(in_good_standing(c, on) for c in held):
        return None
    named = ", ".join(programs) or "any"
    if not held:
        return Reason.of("chain_link_missing", link=link, programs=named)
    party = held[0].holder_name or ""
    lapsed = [c for c in held if c.status in LAPSED and (c.status_since is None or c.status_since <= on)]
    if lapsed:
        latest = max(lapsed, key=lambda c: c.status_since or on)
        return Reason.of(f"chain_link_{latest.status}", link=link, party=party, program=latest.program,
                         since=latest.status_since or on, reason=latest.status_reason or "")
    return Reason.of("chain_link_not_in_good_standing", link=link, party=party, programs=named, cross_date=on)
