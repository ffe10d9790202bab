"""Suspensions: an exporter's, a packhouse's, or an origin state and commodity's waivers paused."""

from __future__ import annotations

import dataclasses
from datetime import date

from mr_agreements import decide
from mr_agreements.suspension import Suspension

from .mr_builders import IN_TIME, make_rule, make_shipment

SINCE = date(2027, 2, 20)


def suspended(**fields) -> Suspension:
    return Suspension(agreement="MR-2027", since=SINCE, reason="2 interceptions in 30 days", **fields)


def test_each_scope_suspends_only_what_it_names():
    shipment = make_shipment(exporter="ASU", packhouse="Empaque Los Cedros, Uruapan")
    rule = make_rule()
    assert decide(shipment, IN_TIME, [rule], seal="intact").waived
    for suspension, code in ((suspended(scope="exporter", exporter="ASU"), "suspended_exporter"),
                             (suspended(scope="packhouse", packhouse="empaque los cedros,  uruapan"),
                              "suspended_packhouse"),
                             (suspended(scope="origin", origin_state="MIC", commodity="avocado"), "suspended_origin")):
        decision = decide(dataclasses.replace(shipment, suspensions=(suspension,)), IN_TIME, [rule], seal="intact")
        assert decision.decision == "required"
        assert [r.code for r in decision.reasons] == [code]
        assert "2 interceptions in 30 days" in decision.reason_texts()[0]


def test_a_suspension_elsewhere_or_under_another_agreement_changes_nothing():
    shipment = make_shipment(exporter="ASU", packhouse="Empaque Los Cedros")
    others = (suspended(scope="exporter", exporter="OTHER"), suspended(scope="origin", origin_state="JAL",
                                                                      commodity="avocado"),
              dataclasses.replace(suspended(scope="exporter", exporter="ASU"), agreement="MR-OTHER"))
    assert decide(dataclasses.replace(shipment, suspensions=others), IN_TIME, [make_rule()], seal="intact").waived
