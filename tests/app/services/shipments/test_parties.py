"""A shipment's logistics chain: named from the register, checked by kind, decided again when it changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.models import AuditEntry, ShipmentParty
from app.services import recognition
from app.services.errors import WorkflowError
from app.services.shipments.parties import parties_of, set_parties
from tests.factories import (
    count, make_agreement, make_certification, make_inspection, make_party, make_party_certification, make_register,
    make_rule, make_shipment, make_site, force_status,
)

READY = datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def chain(db_session):
    make_register(db_session)
    return {kind: make_party(db_session, kind, code=f"{kind.upper()}-T") for kind in
            ("packhouse", "carrier", "driver", "importer", "broker")}


def test_parties_are_named_by_code_and_must_be_of_their_link(db_session, chain, users):
    shipment = make_shipment(db_session)
    set_parties(db_session, users["exporter"], shipment, {"carrier": "carrier-t", "driver": "DRIVER-T"})
    assert {link: p.code for link, p in parties_of(db_session, shipment).items()} == {
        "carrier": "CARRIER-T", "driver": "DRIVER-T"}
    with pytest.raises(WorkflowError) as refused:
        set_parties(db_session, users["exporter"], shipment, {"importer": "CARRIER-T"})
    assert refused.value.field == "importer"
    set_parties(db_session, users["exporter"], shipment, {"driver": None})
    assert set(parties_of(db_session, shipment)) == {"carrier"}
    assert count(db_session, ShipmentParty) == 1
    assert db_session.query(AuditEntry).filter(AuditEntry.action == "shipment.parties").count() == 2


def test_the_chain_is_fixed_once_at_the_border(db_session, chain, users):
    shipment = make_shipment(db_session, status="at_border")
    with pytest.raises(WorkflowError) as refused:
        set_parties(db_session, users["exporter"], shipment, {"carrier": "CARRIER-T"})
    assert refused.value.field == "status"


def test_a_planned_shipment_is_decided_again_when_its_chain_changes(db_session, chain, users):
    port = make_site(db_session, kind="port", timezone="America/Chicago", state="TX")
    agreement = make_agreement(db_session)
    make_rule(db_session, agreement, code="MR-CHAIN", requires_recognised_status=True, requires_whole_chain=True)
    shipment = make_shipment(db_session, port=port, ready=READY, status="scheduled")
    make_certification(db_session, shipment.exporter, "OEA")
    programs = {"packhouse": "SENASICA-PH", "driver": "FAST"}
    for kind, party in chain.items():
        make_party_certification(db_session, party, programs.get(kind, "CTPAT"), valid_until=READY.date() + timedelta(days=900))
    make_inspection(db_session, shipment, start=shipment.cross_by - timedelta(hours=4), status="scheduled", result=None)
    recognition.store_decision(db_session, shipment, recognition.recorded_decision(db_session, shipment), basis="plan")
    assert recognition.current_decision(db_session, shipment).decision == "required"
    set_parties(db_session, users["exporter"], shipment, {kind: party.code for kind, party in chain.items()})
    current = recognition.current_decision(db_session, shipment)
    assert (current.decision, current.rule_code, current.basis) == ("waived", "MR-CHAIN", "plan")
    set_parties(db_session, users["exporter"], shipment, {"broker": None})
    current = recognition.current_decision(db_session, shipment)
    assert current.decision == "required"
    assert [(r["code"], r["params"]["link"]) for r in current.reasons] == [("chain_link_missing", "broker")]
    force_status(shipment, "scheduled")
