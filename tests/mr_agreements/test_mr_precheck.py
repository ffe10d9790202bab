"""waiver_window() for the scheduler and what_would_qualify() for an exporter's pre-check."""

from __future__ import annotations

from datetime import date, timedelta


from mr_agreements import WaiverWindow, decide, waiver_window, what_would_qualify

from .mr_builders import CROSS_BY, IN_TIME, make_agreement, make_rule, make_shipment


def test_window_opens_at_the_largest_hour_limit_among_matching_rules():
    rules = [make_rule(id="MR-AVO-01", max_hours_before_crossing=24),
             make_rule(id="MR-AVO-02", max_hours_before_crossing=72),
             make_rule(id="MR-AVO-03", max_hours_before_crossing=96, ports=("US-NOGALES",))]
    assert waiver_window(make_shipment(), rules) == WaiverWindow(
        earliest_end=CROSS_BY - timedelta(hours=72), rules=("MR-AVO-01", "MR-AVO-02"))


def test_window_is_open_ended_when_a_matching_rule_has_no_hour_limit():
    rules = [make_rule(id="MR-AVO-01"), make_rule(id="MR-AVO-02", max_hours_before_crossing=None)]
    window = waiver_window(make_shipment(), rules)
    assert window == WaiverWindow(earliest_end=None, rules=("MR-AVO-01", "MR-AVO-02"))


def test_no_window_when_no_rule_can_ever_waive():
    shipment = make_shipment(sealable=False)
    assert waiver_window(shipment, [make_rule()]) is None
    assert waiver_window(make_shipment(commodity="tomato"), [make_rule()]) is None
    suspended = make_agreement(status="suspended", status_since=date(2027, 2, 1), status_reason="x")
    assert waiver_window(make_shipment(), [make_rule()], [suspended]) is None


def test_window_names_each_rule_once_across_versions():
    rules = [make_rule(version=1), make_rule(version=2)]
    assert waiver_window(make_shipment(), rules).rules == ("MR-AVO-01",)


def test_precheck_says_what_is_missing_for_each_rule_of_the_commodity():
    rules = [make_rule(id="MR-AVO-01", requires_certifications=("OEA", "CTPAT")),
             make_rule(id="MR-AVO-02", ports=("US-NOGALES",)),
             make_rule(id="MR-AVO-03"),
             make_rule(id="MR-TOM-01", commodities=("tomato",))]
    found = {a.rule: a for a in what_would_qualify(make_shipment(), rules)}
    assert sorted(found) == ["MR-AVO-01", "MR-AVO-02", "MR-AVO-03"]
    assert found["MR-AVO-01"].missing_texts() == ("MR-AVO-01: exporter holds no CTPAT certificate",)
    assert found["MR-AVO-02"].missing_texts() == (
        "MR-AVO-02: port US-PHARR is not covered; rule covers US-NOGALES",)
    assert found["MR-AVO-03"].qualifies_now
    assert found["MR-AVO-03"].earliest_end == CROSS_BY - timedelta(hours=48)


def test_precheck_with_an_inspection_end_also_judges_timing():
    early = CROSS_BY - timedelta(hours=61)
    (assessment,) = what_would_qualify(make_shipment(), [make_rule()], inspection_end=early)
    assert not assessment.qualifies_now
    assert assessment.missing_texts() == (
        "MR-AVO-01: inspection ended 61 h before crossing; rule allows 48 h",)


def test_precheck_agrees_with_decide_given_an_inspection_end():
    rules = [make_rule(id="MR-AVO-01", valid_to=date(2027, 2, 1)), make_rule(id="MR-AVO-02")]
    assessments = what_would_qualify(make_shipment(), rules, inspection_end=IN_TIME)
    assert [a.qualifies_now for a in assessments] == [False, True]
    assert decide(make_shipment(), IN_TIME, rules).rule == "MR-AVO-02"


def test_precheck_reports_agreement_status_and_seal():
    agreement = make_agreement(status="draft")
    (assessment,) = what_would_qualify(make_shipment(sealable=False), [make_rule()], [agreement])
    assert [r.code for r in assessment.missing] == ["agreement_draft", "seal_not_possible"]
    assert assessment.agreement == "MR-2027"


def test_precheck_of_an_unknown_commodity_is_empty():
    assert what_would_qualify(make_shipment(commodity="tomato"), [make_rule()]) == ()
