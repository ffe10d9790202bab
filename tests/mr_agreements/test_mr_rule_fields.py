"""Every rule field and its boundaries, one row each: the decision and the reason people read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mr_agreements import decide

from .mr_builders import (
    CROSS_BY, IN_TIME, at, make_agreement, make_certification, make_rule, make_shipment,
)

WAIVE = None  # expected text for a row that must be waived under MR-AVO-01


def row(case_id, expected, *, rule=None, shipment=None, agreement=None, seal=None, end=IN_TIME):
    return pytest.param(rule or {}, shipment or {}, agreement, seal, end, expected, id=case_id)


def certs(*certifications):
    return {"certifications": tuple(certifications)}


CERTIFICATES = [
    row("cert-expires-on-crossing-date", WAIVE,
        shipment=certs(make_certification(valid_until=date(2027, 3, 3)))),
    row("cert-expires-day-before", "MR-AVO-01: OEA certificate expires 2027-03-02, "
        "before the crossing date 2027-03-03",
        shipment=certs(make_certification(valid_until=date(2027, 3, 2)))),
    row("cert-date-as-written-not-utc", "MR-AVO-01: OEA certificate expires 2027-03-03, "
        "before the crossing date 2027-03-04",
        shipment={"cross_by": at("2027-03-04T05:30:00+00:00"),
                  **certs(make_certification(valid_until=date(2027, 3, 3)))}),
    row("cert-missing", "MR-AVO-01: exporter holds no OEA certificate",
        shipment=certs(make_certification(program="CTPAT"))),
    row("cert-not-yet-valid", "MR-AVO-01: OEA certificate is valid only from 2027-03-04, "
        "after the crossing date 2027-03-03",
        shipment=certs(make_certification(valid_from=date(2027, 3, 4)))),
    row("cert-valid-from-crossing-date", WAIVE,
        shipment=certs(make_certification(valid_from=date(2027, 3, 3)))),
    row("cert-one-of-two-valid", WAIVE,
        shipment=certs(make_certification(valid_until=date(2027, 1, 1)), make_certification())),
    row("cert-second-program-missing", "MR-AVO-01: exporter holds no CTPAT certificate",
        rule={"requires_certifications": ("OEA", "CTPAT")}),
    row("cert-none-required", WAIVE, rule={"requires_certifications": ()}, shipment=certs()),
]

RULE_STATE = [
    row("rule-inactive", "MR-AVO-01: rule is inactive", rule={"active": False}),
    row("rule-valid-from-on-crossing-date", WAIVE, rule={"valid_from": date(2027, 3, 3)}),
    row("rule-valid-from-day-after", "MR-AVO-01: rule is valid from 2027-03-04, "
        "after the crossing date 2027-03-03", rule={"valid_from": date(2027, 3, 4)}),
    row("rule-valid-from-utc-date-of-late-evening-crossing", "MR-AVO-01: rule is valid from "
        "2027-03-04, after the crossing date 2027-03-03", rule={"valid_from": date(2027, 3, 4)},
        end=CROSS_BY - timedelta(minutes=1)),
    row("rule-valid-to-on-crossing-date", WAIVE, rule={"valid_to": date(2027, 3, 3)}),
    row("rule-valid-to-day-before", "MR-AVO-01: rule was valid until 2027-03-02, "
        "before the crossing date 2027-03-03", rule={"valid_to": date(2027, 3, 2)}),
    row("rule-valid-to-open", WAIVE, rule={"valid_to": None}),
    row("rule-no-dates", WAIVE, rule={"valid_from": None, "valid_to": None}),
]

AGREEMENTS = [
    row("agreement-active", WAIVE, agreement=make_agreement()),
    row("agreement-draft", "MR-AVO-01: agreement MR-2027 is still a draft, not in force",
        agreement=make_agreement(status="draft")),
    row("agreement-suspended", "MR-AVO-01: agreement MR-2027 suspended on 2027-02-11: "
        "security incident in Uruapan",
        agreement=make_agreement(status="suspended", status_since=date(2027, 2, 11),
                                 status_reason="security incident in Uruapan")),
    row("agreement-suspended-on-crossing-date", "MR-AVO-01: agreement MR-2027 suspended on "
        "2027-03-03: site closed",
        agreement=make_agreement(status="suspended", status_since=date(2027, 3, 3),
                                 status_reason="site closed")),
    row("agreement-suspension-dated-after-crossing-still-stops-waivers", "MR-AVO-01: agreement "
        "MR-2027 suspended on 2027-03-04: site closed",
        agreement=make_agreement(status="suspended", status_since=date(2027, 3, 4),
                                 status_reason="site closed")),
    row("agreement-suspended-undated", "MR-AVO-01: agreement MR-2027 is suspended, not active",
        agreement=make_agreement(status="suspended")),
    row("agreement-expired", "MR-AVO-01: agreement MR-2027 expired on 2027-03-01",
        agreement=make_agreement(status="expired", status_since=date(2027, 3, 1))),
    row("agreement-not-yet-effective", "MR-AVO-01: agreement MR-2027 takes effect on "
        "2027-03-04, after the crossing date 2027-03-03",
        agreement=make_agreement(effective_from=date(2027, 3, 4))),
    row("agreement-effective-from-crossing-date", WAIVE,
        agreement=make_agreement(effective_from=date(2027, 3, 3))),
    row("agreement-ended", "MR-AVO-01: agreement MR-2027 ended on 2027-03-02, "
        "before the crossing date 2027-03-03",
        agreement=make_agreement(effective_to=date(2027, 3, 2))),
    row("agreement-effective-to-crossing-date", WAIVE,
        agreement=make_agreement(effective_to=date(2027, 3, 3))),
    row("agreement-unknown-to-caller", WAIVE,
        agreement=make_agreement(id="OTHER", status="draft")),
]

PLACE = [
    row("commodity-not-covered", "no active rule covers commodity tomato",
        shipment={"commodity": "tomato"}),
    row("commodity-one-of-several", WAIVE, rule={"commodities": ("lime", "avocado")}),
    row("origin-not-covered", "MR-AVO-01: origin state SIN is not covered; rule covers MIC, JAL",
        shipment={"origin_state": "SIN"}),
    row("origin-listed", WAIVE, shipment={"origin_state": "JAL"}),
    row("origin-any", WAIVE, rule={"origin_states": ()}, shipment={"origin_state": "SIN"}),
    row("port-not-covered", "MR-AVO-01: port US-NOGALES is not covered; rule covers US-PHARR",
        shipment={"port": "US-NOGALES"}),
    row("port-any", WAIVE, rule={"ports": ()}, shipment={"port": "US-NOGALES"}),
]

SEALS = [
    row("seal-planning-sealable", WAIVE),
    row("seal-planning-not-sealable", "MR-AVO-01: shipment cannot be sealed; rule requires a "
        "high-security seal", shipment={"sealable": False}),
    row("seal-not-required-not-sealable", WAIVE, rule={"requires_seal": False},
        shipment={"sealable": False}),
    row("seal-applied", WAIVE, seal="applied"),
    row("seal-intact", WAIVE, seal="intact"),
    row("seal-intact-though-marked-unsealable", WAIVE, seal="intact",
        shipment={"sealable": False}),
    row("seal-broken", "MR-AVO-01: seal found broken at the border; rule requires an intact "
        "seal", seal="broken"),
    row("seal-missing", "MR-AVO-01: seal missing at the border; rule requires an intact seal",
        seal="missing"),
    row("seal-mismatch", "MR-AVO-01: seal number does not match the seal applied; rule requires "
        "an intact seal", seal="mismatch"),
    row("seal-removed", "MR-AVO-01: seal removed before the border check; rule requires an "
        "intact seal", seal="removed"),
    row("seal-broken-not-required", WAIVE, rule={"requires_seal": False}, seal="broken"),
]

TIMING = [
    row("hours-exactly-at-limit", WAIVE, end=CROSS_BY - timedelta(hours=48)),
    row("hours-one-minute-over", "MR-AVO-01: inspection ended 48.02 h before crossing; rule "
        "allows 48 h", end=CROSS_BY - timedelta(hours=48, minutes=1)),
    row("hours-61", "MR-AVO-01: inspection ended 61 h before crossing; rule allows 48 h",
        end=CROSS_BY - timedelta(hours=61)),
    row("hours-no-limit", WAIVE, rule={"max_hours_before_crossing": None},
        end=CROSS_BY - timedelta(days=12)),
    row("hours-fractional-limit-at-limit", WAIVE, rule={"max_hours_before_crossing": 1.5},
        end=CROSS_BY - timedelta(minutes=90)),
    row("hours-fractional-limit-over", "MR-AVO-01: inspection ended 1.52 h before crossing; "
        "rule allows 1.5 h", rule={"max_hours_before_crossing": 1.5},
        end=CROSS_BY - timedelta(minutes=91)),
    row("hours-zero-limit-ending-at-deadline", WAIVE, rule={"max_hours_before_crossing": 0},
        end=CROSS_BY),
    row("hours-instants-compared-across-offsets", WAIVE, end=at("2027-03-02T05:30:00+00:00")),
    row("hours-instants-across-offsets-over", "MR-AVO-01: inspection ended 48.02 h before "
        "crossing; rule allows 48 h", end=at("2027-03-02T05:29:00+00:00")),
    row("inspection-ends-at-deadline", WAIVE, end=CROSS_BY),
    row("inspection-ends-after-deadline", "MR-AVO-01: inspection ended at "
        "2027-03-03T23:31:00-06:00, after the crossing deadline 2027-03-03T23:30:00-06:00",
        end=CROSS_BY + timedelta(minutes=1)),
    row("no-inland-inspection", "no joint inland inspection, so the border inspection is "
        "required", end=None),
]


@pytest.mark.parametrize(
    ("rule_changes", "shipment_changes", "agreement", "seal", "end", "expected"),
    CERTIFICATES + RULE_STATE + AGREEMENTS + PLACE + SEALS + TIMING,
)
def test_border_decision(rule_changes, shipment_changes, agreement, seal, end, expected):
    agreements = [agreement] if agreement else []
    result = decide(make_shipment(**shipment_changes), end, [make_rule(**rule_changes)],
                    agreements, seal=seal)
    if expected is WAIVE:
        assert (result.decision, result.rule, result.reasons) == ("waived", "MR-AVO-01", ())
    else:
        assert (result.decision, result.rule) == ("required", None)
        assert result.reason_texts() == (expected,)
