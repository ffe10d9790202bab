"""decide(): which rule is named, which reasons are given, and what input it refuses."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from mr_agreements import REQUIRED, decide

from .mr_builders import CROSS_BY, CROSS_DATE, IN_TIME, make_agreement, make_rule, make_shipment


def test_waived_decision_names_rule_and_version():
    result = decide(make_shipment(), IN_TIME, [make_rule(version=3)])
    assert result.waived
    assert (result.rule, result.rule_version) == ("MR-AVO-01", 3)
    assert result.to_exchange("R1") == {"request": "R1", "decision": "waived", "rule": "MR-AVO-01"}


def test_required_decision_in_exchange_format():
    result = decide(make_shipment(commodity="tomato"), IN_TIME, [make_rule()])
    assert not result.waived
    assert result.to_exchange("R2") == {
        "request": "R2", "decision": "required",
        "reasons": ["no active rule covers commodity tomato"],
    }


def test_no_rules_at_all_reads_as_no_rule_for_commodity():
    assert decide(make_shipment(), IN_TIME, []).reason_texts() == (
        "no active rule covers commodity avocado",)


def test_reasons_of_every_rule_for_the_commodity_each_name_their_rule():
    rules = [
        make_rule(id="MR-AVO-02", ports=("US-NOGALES",)),
        make_rule(id="MR-AVO-01", max_hours_before_crossing=24),
        make_rule(id="MR-TOM-01", commodities=("tomato",), active=False),
    ]
    result = decide(make_shipment(), CROSS_BY - timedelta(hours=30), rules)
    assert result.reason_texts() == (
        "MR-AVO-01: inspection ended 30 h before crossing; rule allows 24 h",
        "MR-AVO-02: port US-PHARR is not covered; rule covers US-NOGALES",
    )
    assert [reason.rule for reason in result.reasons] == ["MR-AVO-01", "MR-AVO-02"]


def test_one_rule_lists_all_its_failing_conditions():
    result = decide(make_shipment(port="US-LAREDO", origin_state="SIN", sealable=False),
                    CROSS_BY - timedelta(hours=50), [make_rule()])
    assert [reason.code for reason in result.reasons] == [
        "origin_not_covered", "port_not_covered", "seal_not_possible", "inspection_too_early"]


def test_inactive_rule_only_for_commodity_is_named_not_hidden():
    result = decide(make_shipment(), IN_TIME, [make_rule(active=False)])
    assert result.reason_texts() == ("MR-AVO-01: rule is inactive",)


def test_first_satisfying_rule_by_id_is_named_whatever_the_order():
    rules = [make_rule(id="MR-AVO-09"), make_rule(id="MR-AVO-01"), make_rule(id="MR-AVO-05")]
    assert decide(make_shipment(), IN_TIME, rules).rule == "MR-AVO-01"
    assert decide(make_shipment(), IN_TIME, rules[::-1]).rule == "MR-AVO-01"


def test_a_satisfying_rule_waives_even_when_others_fail():
    rules = [make_rule(id="MR-AVO-01", active=False), make_rule(id="MR-AVO-02")]
    result = decide(make_shipment(), IN_TIME, rules)
    assert (result.decision, result.rule, result.reasons) == ("waived", "MR-AVO-02", ())


def test_newest_satisfying_version_is_named():
    rules = [make_rule(version=1), make_rule(version=2)]
    assert decide(make_shipment(), IN_TIME, rules).rule_version == 2


def test_old_version_still_waives_crossings_in_its_own_validity_window():
    rules = [make_rule(version=1, valid_to=date(2027, 3, 31)),
             make_rule(version=2, valid_from=date(2027, 4, 1))]
    result = decide(make_shipment(), IN_TIME, rules)
    assert (result.rule, result.rule_version) == ("MR-AVO-01", 1)


def test_agreements_accepted_as_mapping():
    draft = make_agreement(status="draft")
    result = decide(make_shipment(), IN_TIME, [make_rule()], {"MR-2027": draft})
    assert result.reason_texts() == ("MR-AVO-01: agreement MR-2027 is still a draft, not in force",)


def test_each_rule_is_judged_under_its_own_agreement():
    rules = [make_rule(id="MR-AVO-01", agreement="OLD"), make_rule(id="MR-AVO-02", agreement="NEW")]
    agreements = [make_agreement(id="OLD", status="expired", status_since=date(2027, 1, 31)),
                  make_agreement(id="NEW")]
    result = decide(make_shipment(), IN_TIME, rules, agreements)
    assert (result.decision, result.rule) == ("waived", "MR-AVO-02")


def test_no_inspection_is_required_whatever_the_rules():
    result = decide(make_shipment(), None, [make_rule()])
    assert result.decision == "required"
    assert [reason.code for reason in result.reasons] == ["no_inland_inspection"]


@pytest.mark.parametrize("field", ["cross_by", "inspection_end"])
def test_time_without_offset_is_refused(field):
    naive = datetime(2027, 3, 3, 12, 0)
    shipment = make_shipment(cross_by=naive) if field == "cross_by" else make_shipment()
    end = naive if field == "inspection_end" else IN_TIME
    with pytest.raises(ValueError, match=f"{field} .* has no UTC offset"):
        decide(shipment, end, [make_rule()])


def test_unknown_seal_state_is_refused():
    with pytest.raises(ValueError, match="unknown seal state 'cracked'"):
        decide(make_shipment(), IN_TIME, [make_rule()], seal="cracked")


def test_the_actual_arrival_counts_once_the_truck_is_at_the_port():
    end = CROSS_BY - timedelta(hours=10)
    on_time = make_shipment(arrived_at=end + timedelta(hours=47))
    assert decide(on_time, end, [make_rule()], seal="intact").waived
    late = make_shipment(arrived_at=end + timedelta(hours=144))
    decision = decide(late, end, [make_rule()], seal="intact")
    assert decision.decision == REQUIRED
    assert decision.reason_texts() == ("MR-AVO-01: arrived 144 h after the joint inspection; rule allows 48 h",)


def test_the_rule_in_force_on_the_arrival_date_decides():
    end = CROSS_BY - timedelta(hours=10)
    # The declared crossing is inside the rule's validity; the truck came after it ended.
    rule = make_rule(valid_to=CROSS_DATE, max_hours_before_crossing=None)
    late = make_shipment(arrived_at=CROSS_BY + timedelta(days=2))
    assert decide(make_shipment(), end, [rule], seal="intact").waived
    decision = decide(late, end, [rule], seal="intact")
    assert [reason.code for reason in decision.reasons] == ["rule_no_longer_valid"]
