"""The one adapter to mr_agreements: a request as a Shipment, when its waiver starts, its border decision."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from mr_agreements import decide, waiver_window
from mr_agreements.domain import Rule, Shipment
from scheduling.domain import Request, Scenario, ScheduledBorderDecision


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
    window = waiver_window(shipment_of(scenario, request), scenario.rules)
    if window is None:
        return None
    if window.earliest_end is None:
        return -10**9
    return clock.ceil_minute(window.earliest_end)


def border_decision(scenario: Scenario, request: Request, inland_end: datetime,
                    rules: Iterable[Rule] | None = None) -> ScheduledBorderDecision:
    """Rule 6: waived under the first matching rule, else required with the engine's reasons.

    `rules` judges under those rules alone (the validator checks a waiver's named rule that
    way); by default every rule of the scenario counts.
    """
    decision = decide(shipment_of(scenario, request), inland_end,
                      scenario.rules if rules is None else rules)
    if decision.waived:
        return ScheduledBorderDecision(request.id, "waived", rule=decision.rule)
    return ScheduledBorderDecision(request.id, "required", reasons=decision.reason_texts())
