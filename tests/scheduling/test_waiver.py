"""The one adapter to mr_agreements: a request's Shipment, the minute its waiver starts, its border decision."""

from __future__ import annotations

from scheduling.waiver import border_decision, shipment_of, waive_from_minute
from scheduling.minutes import Clock
from tests.scheduling.builders import at, make_request, make_rule, make_scenario

# The rule waives only inspections ending within 24 h of crossing: R1 crosses by day 3 12:00.
SCENARIO = make_scenario([make_request("R1", cross_by=at(3, "12:00"))], rules=[make_rule()])
REQUEST = SCENARIO.requests[0]


def test_the_shipment_carries_the_exporters_certifications():
    shipment = shipment_of(SCENARIO, REQUEST)
    assert (shipment.id, shipment.port, shipment.cross_by) == ("R1", "PHARR", at(3, "12:00"))
    assert [c.program for c in shipment.certifications] == ["OEA", "CTPAT"]


def test_the_waiver_starts_at_the_first_minute_late_enough():
    clock = Clock(SCENARIO)
    assert waive_from_minute(SCENARIO, REQUEST, clock) == clock.minute(at(2, "12:00"))
    assert waive_from_minute(make_scenario([REQUEST]), REQUEST, clock) is None


def test_an_inland_end_late_enough_is_waived_under_the_rule():
    decision = border_decision(SCENARIO, REQUEST, at(2, "12:00"))
    assert (decision.request, decision.decision, decision.rule) == ("R1", "waived", "MR-1")


def test_too_early_an_end_requires_the_border_inspection_with_reasons():
    decision = border_decision(SCENARIO, REQUEST, at(2, "11:59"))
    assert decision.decision == "required" and decision.rule is None and decision.reasons


def test_the_decision_can_be_judged_under_some_rules_only():
    assert border_decision(SCENARIO, REQUEST, at(2, "12:00"), rules=()).decision == "required"
    other = make_rule("MR-2")
    assert border_decision(SCENARIO, REQUEST, at(2, "12:00"), rules=[other]).rule == "MR-2"
