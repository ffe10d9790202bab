"""Trusted-trader standing: CTPAT and OEA recognised alike, statuses, the logistics chain, milestone gates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mr_agreements import Arrangement, Certification, ChainLink, Gate, decide, describe, what_would_qualify

from .mr_builders import CROSS_BY, CROSS_DATE, IN_TIME, make_rule, make_shipment

CTPAT_OEA = Arrangement(id="CTPAT-OEA-2014", programs=("CTPAT", "OEA"), in_force_from=date(2014, 10, 17))
NO_EXPIRY = date.max


def recognised_rule(**changes):
    return make_rule(**{"requires_certifications": (), "requires_recognised_status": True,
                        "recognised_under": (CTPAT_OEA,), **changes})


def oea(**changes) -> Certification:
    return Certification(**{"program": "OEA", "valid_until": date(2028, 6, 30), **changes})


def codes(decision) -> list[str]:
    return [reason.code for reason in decision.reasons]


def test_a_valid_oea_without_ctpat_meets_a_rule_asking_for_recognised_status():
    decision = decide(make_shipment(certifications=(oea(),)), IN_TIME, [recognised_rule()])
    assert decision.waived and decision.rule == "MR-AVO-01"


def test_a_ctpat_member_without_expiry_meets_it_too():
    ctpat = Certification("CTPAT", NO_EXPIRY, date(2019, 5, 2), status="validated")
    assert decide(make_shipment(certifications=(ctpat,)), IN_TIME, [recognised_rule()]).waived


def test_a_suspended_oea_does_not_and_the_reason_says_so():
    suspended = oea(status="suspended", status_since=date(2027, 2, 20), status_reason="unreported change of premises")
    decision = decide(make_shipment(certifications=(suspended,)), IN_TIME, [recognised_rule()])
    assert not decision.waived and codes(decision) == ["certification_suspended"]
    assert describe(decision.reasons[0]) == (
        "MR-AVO-01: OEA status suspended on 2027-02-20: unreported change of premises")


def test_a_suspension_recorded_after_the_crossing_leaves_that_crossing_in_good_standing():
    later = oea(status="suspended", status_since=CROSS_DATE + timedelta(days=1), status_reason="audit")
    assert decide(make_shipment(certifications=(later,)), IN_TIME, [recognised_rule()]).waived
    on_the_day = oea(status="removed", status_since=CROSS_DATE, status_reason="fraud")
    assert codes(decide(make_shipment(certifications=(on_the_day,)), IN_TIME, [recognised_rule()])) == [
        "certification_removed"]


def test_without_any_recognised_program_the_reason_names_both():
    fast = Certification("FAST", date(2029, 1, 1))
    decision = decide(make_shipment(certifications=(fast,)), IN_TIME, [recognised_rule()])
    assert codes(decision) == ["recognised_status_missing"] and decision.reasons[0].param("programs") == "CTPAT, OEA"


def test_no_arrangement_in_force_on_the_crossing_date_recognises_nothing():
    future = Arrangement(id="LATER", programs=("CTPAT", "OEA"), in_force_from=CROSS_DATE + timedelta(days=1))
    decision = decide(make_shipment(certifications=(oea(),)), IN_TIME, [recognised_rule(recognised_under=(future,))])
    assert codes(decision) == ["no_recognition_arrangement"]


def test_a_rule_naming_a_program_is_not_met_by_a_suspended_certificate_of_it():
    suspended = oea(status="suspended", status_since=date(2027, 1, 5), status_reason="audit findings")
    assert codes(decide(make_shipment(certifications=(suspended,)), IN_TIME, [make_rule()])) == [
        "certification_suspended"]


def test_a_carriers_certificate_does_not_count_as_the_exporters():
    carrier_oea = oea(holder="carrier", holder_name="Transportes del Bajío", shipment="SHP-1")
    assert codes(decide(make_shipment(certifications=(carrier_oea,)), IN_TIME, [recognised_rule()])) == [
        "recognised_status_missing"]


CHAIN = (ChainLink("packhouse", ("SENASICA-PH",)), ChainLink("carrier", ("CTPAT", "OEA")),
         ChainLink("driver", ("FAST",)), ChainLink("importer", ("CTPAT", "OEA")), ChainLink("broker", ("CTPAT", "OEA")))


def link(holder: str, program: str, shipment: str = "SHP-1", **changes) -> Certification:
    return Certification(program=program, valid_until=NO_EXPIRY, holder=holder, holder_name=f"{holder} Co",
                         shipment=shipment, **changes)


def whole_chain(**skip) -> tuple[Certification, ...]:
    links = {"packhouse": link("packhouse", "SENASICA-PH"), "carrier": link("carrier", "CTPAT"),
             "driver": link("driver", "FAST"), "importer": link("importer", "CTPAT"), "broker": link("broker", "OEA")}
    return (oea(), *(c for name, c in links.items() if name not in skip))


def test_the_whole_chain_in_good_standing_is_waived():
    rule = recognised_rule(requires_whole_chain=True, chain=CHAIN)
    assert decide(make_shipment(certifications=whole_chain()), IN_TIME, [rule]).waived


def test_the_pre_check_says_which_link_is_missing():
    rule = recognised_rule(requires_whole_chain=True, chain=CHAIN)
    [assessment] = what_would_qualify(make_shipment(certifications=whole_chain(driver=True)), [rule])
    assert not assessment.qualifies_now
    assert [(r.code, r.param("link")) for r in assessment.missing] == [("chain_link_missing", "driver")]
    assert assessment.missing_texts() == ("MR-AVO-01: logistics chain: no driver holding FAST is named",)


def test_a_suspended_carrier_is_named_with_its_reason():
    rule = recognised_rule(requires_whole_chain=True, chain=CHAIN)
    suspended = link("carrier", "CTPAT", status="suspended", status_since=date(2027, 1, 2), status_reason="seal fraud")
    facts = make_shipment(certifications=(*whole_chain(carrier=True), suspended))
    decision = decide(facts, IN_TIME, [rule])
    assert codes(decision) == ["chain_link_suspended"]
    assert describe(decision.reasons[0]) == (
        "MR-AVO-01: logistics chain: carrier carrier Co: CTPAT status suspended on 2027-01-02: seal fraud")


def test_a_link_certificate_vouches_only_for_the_shipment_naming_it():
    rule = recognised_rule(requires_whole_chain=True, chain=CHAIN)
    others = tuple(c if c.holder == "exporter" else link(c.holder, c.program, shipment="SHP-2") for c in whole_chain())
    decision = decide(make_shipment(certifications=others), IN_TIME, [rule])
    assert codes(decision) == ["chain_link_missing"] * 5


@pytest.mark.parametrize(("gates", "expected"), [
    ((), []),
    ((Gate("Publish the protocol", CROSS_DATE),), []),
    ((Gate("Publish the protocol"),), ["gate_not_done"]),
    ((Gate("Publish the protocol", CROSS_DATE + timedelta(days=1)),), ["gate_done_after_crossing"]),
])
def test_a_rule_waives_only_once_its_gating_milestones_are_done(gates, expected):
    decision = decide(make_shipment(), IN_TIME, [make_rule(gates=gates)])
    assert codes(decision) == expected


def test_gate_reasons_read_in_plain_english():
    decision = decide(make_shipment(), CROSS_BY - timedelta(hours=1), [make_rule(gates=(Gate("Train CBP officers"),))])
    assert decision.reason_texts() == (
        'MR-AVO-01: rule waits for the Joint Work Plan milestone "Train CBP officers", not done yet',)
