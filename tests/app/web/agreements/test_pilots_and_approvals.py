"""Pilot and approval pages: gates proposed by a coordinator, decided by both agencies; who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.models import ChangeProposal, GateReview, Pilot, PilotCriterion, utcnow
from tests.factories import make_agreement, make_commodity, make_measure, make_rule, make_site

ROLES = ("exporter", "coordinator", "inspector", "officer", "supervisor", "admin")
READERS = {"coordinator", "supervisor", "admin"}


@pytest.fixture
def pilot(db_session):
    make_commodity(db_session, "berries")
    make_site(db_session, kind="port", code="US-OTAY-W")
    agreement = make_agreement(db_session, code="MR-PW")
    make_rule(db_session, agreement, code="MR-PW-01", commodities=["berries"], ports=["US-OTAY-W"])
    measure = make_measure(db_session, agreement, "seal_exception_rate", name="Seal exceptions", target=2,
                           direction="at_most", unit="%")
    pilot = Pilot(code="PIL-W", agreement=agreement, corridor="Tijuana–Otay Mesa", name_en="Berry chain",
                  name_es="Cadena de berries", ports=["US-OTAY-W"], sites=[], sectors=["agribusiness", "aerospace"],
                  starts_on=utcnow().date() - timedelta(days=90), phase=1, status="running")
    pilot.criteria.append(PilotCriterion(measure=measure, threshold=1))
    pilot.gates.append(GateReview(phase=1, due_on=utcnow().date() - timedelta(days=1), status="scheduled",
                                  next_phase=[{"rule": "MR-PW-01", "changes": {"active": False}}]))
    db_session.add(pilot)
    db_session.commit()
    return pilot


@pytest.mark.parametrize("path", ["/agreements/pilots", "/agreements/pilots/PIL-W", "/agreements/approvals"])
@pytest.mark.parametrize("role", ROLES)
def test_role_page_matrix(client_as, pilot, path, role):
    assert client_as(role).get(path).status_code == (200 if role in READERS else 403), f"{role} on {path}"


def test_the_pilot_page_shows_its_corridor_criteria_and_gate(client_as, pilot):
    page = client_as("supervisor").get("/agreements/pilots/PIL-W").get_data(as_text=True)
    assert "Tijuana–Otay Mesa" in page and "US-OTAY-W" in page and "Aerospace" in page
    assert "Seal exceptions" in page and "at most 1 %" in page and "not measured" in page
    assert "Propose the decision" not in page  # supervisors read; coordinators propose


def test_a_gate_passes_only_when_both_agencies_approve(client_as, pilot, db_session, approver_client):
    coordinator = client_as("coordinator")
    gate = pilot.gates[0]
    refused = coordinator.post(f"/agreements/pilots/PIL-W/gates/{gate.id}", data={"decision": "extend"})
    assert refused.status_code == 422 and 'id="notes-error"' in refused.get_data(as_text=True)
    proposed = coordinator.post(f"/agreements/pilots/PIL-W/gates/{gate.id}", data={"decision": "pass",
                                                                                   "notes": "no exception"})
    assert proposed.status_code == 302
    db_session.expire_all()
    assert db_session.get(GateReview, gate.id).status == "proposed" and db_session.get(Pilot, pilot.id).phase == 1
    proposal = db_session.scalar(sa.select(ChangeProposal).where(ChangeProposal.kind == "gate_decision"))
    # The same agency cannot give the second approval; SENASICA's approver makes it effective.
    same_side = approver_client("APHIS").post(f"/agreements/approvals/{proposal.id}/approve", data={})
    assert same_side.status_code == 422 and "SENASICA" in same_side.get_data(as_text=True)
    page = approver_client("SENASICA").get("/agreements/approvals").get_data(as_text=True)
    assert "Approve for SENASICA" in page and "waiting" in page
    approved = approver_client("SENASICA").post(f"/agreements/approvals/{proposal.id}/approve", data={})
    assert approved.status_code == 302
    db_session.expire_all()
    assert db_session.get(GateReview, gate.id).status == "passed" and db_session.get(Pilot, pilot.id).phase == 2
    trail = approver_client("SENASICA").get("/agreements/approvals?status=effective").get_data(as_text=True)
    assert "APHIS: Test coordinator" in trail and "SENASICA: Test supervisor" in trail


def test_the_pilots_speak_spanish(client_as, pilot, db_session, users):
    users["supervisor"].language = "es"
    db_session.commit()
    page = client_as("supervisor").get("/agreements/pilots/PIL-W").get_data(as_text=True)
    assert "Criterios de éxito" in page and "Cadena de berries" in page and "Aeroespacial" in page
