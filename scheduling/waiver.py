"""The one adapter to mr_agreements: a request as a Shipment, when its waiver starts, its border decision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from mr_agreements import decide, waiver_window
from mr_agreements.domain import Rule, Shipment
from scheduling.domain import JOINT_US_SITE, REQUIRED, WAIVED, Request, Scenario, ScheduledBorderDecision


def shipment_of(scenario: Scenario, request: Request) -> Shipment:
    """The facts the rules engine looks at for one request."""
    exporter = scenario.exporter(request.exporter)
    return Shipment(id=request.id, commodity=request.commodity, origin_state=request.origin_state,
                    port=request.port, cross_by=request.cross_by, sealable=request.sealable,
                    certifications=exporter.certifications if exporter else ())


def waive_from_minute(scenario: Scenario, request: Request, clock) -> int | None:
    """Minute at or after which an inland end gets the border waived; None when nothing can.

    The rules engine checks every condition except timing now, so one threshold per request
    decides the waiver (the "late enough" literal of the model).
    """
    if request.border_required:
        return None
    window = waiver_window(shipment_of(scenario, request), scenario.rules)
    if window is None:
        return None
    if window.earliest_end is None:
        return -10**9
    return clock.ceil_minute(window.earliest_end)


def border_decision(scenario: Scenario, request: Request, inland_end: datetime,
                    rules: Iterable[Rule] | None = None, site: str | None = None) -> ScheduledBorderDecision:
    """Rule 6: waived under the first matching rule, else required with the engine's reasons. A request
    the rules would waive but whose border inspection is done all the same is required for its own reason.

    At a site north of the border (version 2, rule 1b) the decision is joint_us_site under the
    first rule that recognises the shipment, else required. `rules` judges under those rules
    alone (the validator checks a decision's named rule that way); by default every rule counts.
    """
    rules = scenario.rules if rules is None else tuple(rules)
    if site is not None and request.crosses_before(scenario.site(site)):
        return us_site_decision(scenario, request, rules)
    decision = decide(shipment_of(scenario, request), inland_end, rules)
    if not decision.waived:
        return ScheduledBorderDecision(request.id, REQUIRED, reasons=decision.reason_texts())
    if request.border_required:
        return ScheduledBorderDecision(request.id, REQUIRED, reasons=(request.border_required,))
    return ScheduledBorderDecision(request.id, WAIVED, rule=decision.rule)


def us_site_decision(scenario: Scenario, request: Request,
                     rules: Iterable[Rule] | None = None) -> ScheduledBorderDecision:
    """Rule 1b: a joint inspection north of the border replaces the port's when an active rule
    matches on commodity, origin state, port, certifications and dates; seal and timing do not
    count, since nothing travels after it. A request whose border inspection is required whatever
    the rules say (`border_required`) is inspected at its port, by CBP."""
    shipment = replace(shipment_of(scenario, request), sealable=True)
    untimed = [replace(rule, requires_seal=False, max_hours_before_crossing=None)
               for rule in (scenario.rules if rules is None else rules)]
    decision = decide(shipment, shipment.cross_by, untimed)
    if not decision.waived:
        return ScheduledBorderDecision(request.id, REQUIRED, reasons=decision.reason_texts())
    if request.border_required:
        return ScheduledBorderDecision(request.id, REQUIRED, reasons=(request.border_required,))
    return ScheduledBorderDecision(request.id, JOINT_US_SITE, rule=decision.rule)
