"""The one adapter to mr_agreements: a request's Shipment, the minute its waiver starts, its border decision."""

from __future__ import annotations

from dataclasses import replace

from scheduling.domain import Origin
from scheduling.waiver import border_decision, shipment_of, us_site_decision, waive_from_minute
from scheduling.minutes import Clock
from tests.scheduling.builders import at, make_north_site, make_request, make_rule, make_scenario

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


DRAWN = "selected at random for a verification inspection"


def test_a_load_inspected_whatever_the_rules_say_is_never_waived():
    drawn = make_request("R1", cross_by=at(3, "12:00"), border_required=DRAWN)
    scenario = make_scenario([drawn], rules=[make_rule()])
    assert waive_from_minute(scenario, drawn, Clock(scenario)) is None
    decision = border_decision(scenario, drawn, at(2, "12:00"))
    assert (decision.decision, decision.rule, decision.reasons) == ("required", None, (DRAWN,))
    too_early = border_decision(scenario, drawn, at(2, "11:59"))
    assert too_early.reasons and DRAWN not in too_early.reasons  # required by the rules themselves


def test_a_drawn_load_is_not_recognised_at_a_joint_site_north_of_the_border():
    drawn = make_request("R1", border_required=DRAWN, packhouse=Origin(19.4, -102.0))
    scenario = make_scenario([drawn], rules=[make_rule()],
                             sites=[*make_scenario([]).sites, make_north_site()])
    assert us_site_decision(scenario, drawn).decision == "required"
    assert us_site_decision(scenario, replace(drawn, border_required=None)).decision == "joint_us_site"
