"""Reason codes: stable, simple parameters, and readable English for every one of them."""

from __future__ import annotations

import json
import string
from datetime import date

import pytest

from mr_agreements import REASON_CODES, REASON_TEMPLATES, Reason, describe


def test_reason_keeps_dates_as_iso_strings_and_reads_in_english():
    reason = Reason.of("certification_expired", rule="MR-AVO-01", program="OEA",
                       valid_until=date(2027, 3, 2), cross_date=date(2027, 3, 3))
    assert reason.param("valid_until") == "2027-03-02"
    assert describe(reason) == (
        "MR-AVO-01: OEA certificate expires 2027-03-02, before the crossing date 2027-03-03")


def test_reason_without_rule_has_no_prefix():
    assert describe(Reason.of("no_rule_for_commodity", commodity="tomato")) == (
        "no active rule covers commodity tomato")


def test_as_dict_is_json_ready():
    reason = Reason.of("inspection_too_early", rule="MR-AVO-01", hours_before=61, max_hours=48)
    data = reason.as_dict()
    assert data == {"code": "inspection_too_early", "rule": "MR-AVO-01",
                    "params": {"hours_before": 61, "max_hours": 48}}
    assert json.loads(json.dumps(data)) == data


def test_reason_round_trips_through_storage():
    reason = Reason.of("agreement_suspended", rule="MR-AVO-01", agreement="MR-2027",
                       since=date(2027, 2, 11), reason="security incident in Uruapan")
    stored = json.loads(json.dumps(reason.as_dict()))
    assert Reason.from_dict(stored) == reason
    assert describe(Reason.from_dict(stored)) == (
        "MR-AVO-01: agreement MR-2027 suspended on 2027-02-11: security incident in Uruapan")


def test_equal_reasons_compare_equal_whatever_the_parameter_order():
    assert Reason.of("port_not_covered", port="A", allowed="B") == Reason.of(
        "port_not_covered", allowed="B", port="A")


def test_unknown_code_is_refused():
    with pytest.raises(ValueError, match="unknown reason code 'nope'"):
        Reason.of("nope")


def test_complex_parameter_is_refused():
    with pytest.raises(TypeError):
        Reason.of("port_not_covered", port=["A"], allowed="B")


@pytest.mark.parametrize("code", REASON_CODES)
def test_every_code_reads_as_plain_words(code):
    names = [field for _, field, _, _ in string.Formatter().parse(REASON_TEMPLATES[code]) if field]
    reason = Reason.of(code, rule="MR-X", **{name: "VALUE" for name in names})
    text = describe(reason)
    assert text.startswith("MR-X: ")
    assert "{" not in text and code not in text


def test_stored_reason_with_missing_parameter_still_describes_itself():
    # A reason read back from an old audit row must never crash a page.
    reason = Reason(code="port_not_covered", params=(("port", "US-PHARR"),), rule="MR-AVO-01")
    assert describe(reason) == "MR-AVO-01: port_not_covered (port=US-PHARR)"
