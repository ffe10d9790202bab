"""The one door to the rules engine decides as the optimizer's own adapter does, on the same shipments."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from app.services import recognition
from app.services.planning.scenario import build_scenario
from scheduling.waiver import border_decision
from tests.factories import (
    make_agreement, make_certification, make_commodity, make_exporter, make_inspection, make_party,
    make_party_certification, make_register, make_rule, make_shipment, make_site, name_parties,
)

READY = datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)
HORIZON = (READY - timedelta(days=1), READY + timedelta(days=6))


@pytest.fixture
def shipments(db_session):
    """Shipments that rules waive, require, or judge differently by agreement standing and timing."""
    avocado, tomato, berries = (make_commodity(db_session, code) for code in ("avocado", "tomato", "berries"))
    port = make_site(db_session, kind="port", code="US-PORT", timezone="America/Chicago", state="TX")
    in_force = make_agreement(db_session, code="MR-ON")
    suspended = make_agreement(db_session, code="MR-OFF", status="suspended", status_reason="pest finds")
    future = make_agreement(db_session, code="MR-LATER", effective_from=date(2027, 6, 1))
    make_rule(db_session, in_force, code="MR-AVO", commodities=["avocado"], max_hours_before_crossing=24,
              requires_seal=True, origin_states=["MIC"])
    make_rule(db_session, suspended, code="MR-TOM", commodities=["tomato"])
    make_rule(db_session, future, code="MR-BER", commodities=["berries"])
    make_rule(db_session, in_force, code="MR-BER-OEA", commodities=["berries"], requires_certifications=["OEA"])
    exporter = make_exporter(db_session)
    cases = []
    for commodity, origin, sealable in ((avocado, "MIC", True), (avocado, "JAL", True), (avocado, "MIC", False),
                                        (tomato, "SIN", True), (berries, "MIC", True)):
        cases.append(make_shipment(db_session, exporter=exporter, commodity=commodity, origin_state=origin,
                                   port=port, sealable=sealable, ready=READY))
    return cases


def test_the_door_and_the_optimizer_decide_alike(db_session, shipments):
    scenario, _ids = build_scenario(db_session, *HORIZON)
    requests = {request.id: request for request in scenario.requests}
    outcomes = []
    for hours_before_crossing in (2, 20, 30):
        for shipment in shipments:
            end = shipment.cross_by - timedelta(hours=hours_before_crossing)
            door = recognition.planned_decision(db_session, shipment, end)
            optimizer = border_decision(scenario, requests[shipment.reference], end)
            assert (door.decision, door.rule) == (optimizer.decision, optimizer.rule), shipment.reference
            outcomes.append((hours_before_crossing, shipment.commodity_code, door.decision))
    # The cases tell waived from required, by commodity, origin, seal, agreement standing and timing.
    assert (2, "avocado", "waived") in outcomes and (30, "avocado", "required") in outcomes
    assert {decision for _h, commodity, decision in outcomes if commodity != "avocado"} == {"required"}


def test_what_was_recorded_decides_after_the_inspection(db_session, shipments):
    sealable_avocado = shipments[0]
    make_inspection(db_session, sealable_avocado, start=sealable_avocado.cross_by - timedelta(hours=10))
    # Passed without a seal: a rule that needs one cannot waive it any more.
    decision = recognition.recorded_decision(db_session, sealable_avocado)
    assert decision.decision == "required"
    assert [reason.code for reason in decision.reasons] == ["seal_not_possible"]


@pytest.fixture
def register_shipments(db_session):
    """Shipments under rules asking for recognised trusted-trader status or the whole chain, by exporters whose
    register entries differ: OEA only, CTPAT without expiry, OEA suspended, C-TPAT as the rule spells it."""
    make_register(db_session)
    tomato = make_commodity(db_session, "tomato")
    port = make_site(db_session, kind="port", code="US-NOG", timezone="America/Phoenix", state="AZ")
    agreement = make_agreement(db_session, code="MR-REG")
    make_rule(db_session, agreement, code="MR-TOM-RECOGNISED", commodities=["tomato"], ports=["US-NOG"],
              requires_recognised_status=True)
    make_rule(db_session, agreement, code="MR-TOM-SPELLED", commodities=["tomato"], ports=["US-NOG"],
              requires_certifications=["C-TPAT"], origin_states=["SON"])
    make_rule(db_session, agreement, code="MR-TOM-CHAIN", commodities=["tomato"], ports=["US-NOG"],
              origin_states=["BCN"], requires_recognised_status=True, requires_whole_chain=True)
    oea_only, ctpat, suspended = (make_exporter(db_session) for _ in range(3))
    make_certification(db_session, oea_only, "OEA")
    make_certification(db_session, ctpat, "CTPAT", valid_until=None, status="validated", tier="III")
    make_certification(db_session, suspended, "OEA", status="suspended", status_since=date(2027, 2, 1),
                       status_reason="unreported change of premises")
    cases = {}
    for name, exporter, origin in (("oea", oea_only, "SIN"), ("ctpat", ctpat, "SIN"), ("suspended", suspended, "SIN"),
                                   ("spelled", ctpat, "SON"), ("chain", oea_only, "BCN"),
                                   ("broken-chain", oea_only, "BCN")):
        cases[name] = make_shipment(db_session, exporter=exporter, commodity=tomato, origin_state=origin, port=port,
                                    ready=READY)
    links = {kind: make_party(db_session, kind) for kind in ("packhouse", "carrier", "driver", "importer", "broker")}
    for kind, party in links.items():
        program = {"packhouse": "SENASICA-PH", "driver": "FAST", "importer": "CTPAT"}.get(kind, "OEA")
        make_party_certification(db_session, party, program)
    name_parties(db_session, cases["chain"], **links)
    name_parties(db_session, cases["broken-chain"], **{k: v for k, v in links.items() if k != "driver"})
    return cases


def test_the_door_and_the_optimizer_read_the_register_alike(db_session, register_shipments):
    scenario, _ids = build_scenario(db_session, *HORIZON)
    requests = {request.id: request for request in scenario.requests}
    decided = {}
    for name, shipment in register_shipments.items():
        end = shipment.cross_by - timedelta(hours=2)
        door = recognition.planned_decision(db_session, shipment, end)
        optimizer = border_decision(scenario, requests[shipment.reference], end)
        assert (door.decision, door.rule) == (optimizer.decision, optimizer.rule), name
        decided[name] = (door.decision, door.rule, [r.code for r in door.reasons])
    assert decided["oea"][:2] == ("waived", "MR-TOM-RECOGNISED")
    assert decided["ctpat"][:2] == ("waived", "MR-TOM-RECOGNISED")
    assert decided["suspended"][0] == "required" and "certification_suspended" in decided["suspended"][2]
    assert decided["spelled"][:2] == ("waived", "MR-TOM-RECOGNISED")  # and MR-TOM-SPELLED would too
    assert decided["chain"][:2] == ("waived", "MR-TOM-CHAIN")
    assert decided["broken-chain"][0] == "waived" and decided["broken-chain"][1] == "MR-TOM-RECOGNISED"


def test_a_rule_spelling_c_tpat_is_met_by_ctpat(db_session, register_shipments):
    shipment = register_shipments["spelled"]
    facts = recognition.precheck(db_session, recognition.UnsavedShipment(
        exporter_id=shipment.exporter_id, commodity="tomato", origin_state="SON", port="US-NOG",
        cross_by=shipment.cross_by_as_written))
    assert {a.rule: a.qualifies_now for a in facts}["MR-TOM-SPELLED"]


def test_the_pre_check_says_why_a_suspended_oea_is_not_recognised(db_session, register_shipments):
    shipment = register_shipments["suspended"]
    assessments = recognition.precheck(db_session, recognition.UnsavedShipment(
        exporter_id=shipment.exporter_id, commodity="tomato", origin_state="SIN", port="US-NOG",
        cross_by=shipment.cross_by_as_written))
    recognised = next(a for a in assessments if a.rule == "MR-TOM-RECOGNISED")
    assert recognised.missing_texts() == (
        "MR-TOM-RECOGNISED: OEA status suspended on 2027-02-01: unreported change of premises",)


def test_the_pre_check_names_the_missing_link_of_the_chain(db_session, register_shipments):
    shipment = register_shipments["broken-chain"]
    chain = next(a for a in recognition.precheck_stored(db_session, shipment) if a.rule == "MR-TOM-CHAIN")
    assert [(r.code, r.param("link")) for r in chain.missing] == [("chain_link_missing", "driver")]
