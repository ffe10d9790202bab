"""The agreement pages: who may see and change what, and forms that refuse bad input politely."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.models import Agreement, ChangeProposal, Milestone, Rule, utcnow
from tests.factories import count, make_agreement, make_commodity, make_measure, make_milestone, make_rule

ROLES = ("exporter", "coordinator", "inspector", "officer", "supervisor", "admin")
READERS = {"coordinator", "supervisor", "admin"}
WRITERS = {"coordinator", "admin"}


@pytest.fixture
def agreement(db_session):
    agreement = make_agreement(db_session, code="MR-PAGE", title="Page agreement")
    make_commodity(db_session, "avocado")
    make_rule(db_session, agreement, code="MR-PAGE-01", max_hours_before_crossing=48, change_note="Pilot")
    today = utcnow().date()
    make_milestone(db_session, agreement, title="Install seal readers", due_on=today - timedelta(days=3),
                   status="in_progress")
    make_milestone(db_session, agreement, title="Quarterly report", due_on=today + timedelta(days=30))
    make_measure(db_session, agreement, "waived_share", name="Share waived", target=60)
    db_session.commit()
    return agreement


@pytest.mark.parametrize("path", ["/agreements/", "/agreements/MR-PAGE"])
@pytest.mark.parametrize("role", ROLES)
def test_role_page_matrix(client_as, agreement, path, role):
    assert client_as(role).get(path).status_code == (200 if role in READERS else 403), f"{role} on {path}"


@pytest.mark.parametrize("path", ["/agreements/MR-PAGE/status/suspended", "/agreements/MR-PAGE/rules/new",
                                  "/agreements/MR-PAGE/rules/MR-PAGE-01/versions/new"])
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_and_admins_open_change_forms(client_as, agreement, path, role):
    assert client_as(role).get(path).status_code == (200 if role in WRITERS else 403), f"{role} on {path}"


@pytest.mark.parametrize("path", ["/agreements/", "/agreements/MR-PAGE/status/suspended",
                                  "/agreements/MR-PAGE/rules/new", "/agreements/MR-PAGE/milestones"])
def test_supervisors_read_but_cannot_change(client_as, agreement, db_session, path):
    response = client_as("supervisor").post(path, data={"code": "MR-SUP", "title": "x", "on": "2027-01-01",
                                                        "reason": "x", "due_on": "2027-01-01"})
    assert response.status_code == 403
    assert db_session.scalar(sa.select(Agreement.status).where(Agreement.code == "MR-PAGE")) == "active"


def test_anonymous_visitors_are_sent_to_sign_in(client, agreement):
    response = client.get("/agreements/MR-PAGE")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_unknown_agreement_is_not_found(client_as, agreement):
    assert client_as("supervisor").get("/agreements/MR-NONE").status_code == 404


def test_detail_shows_rules_work_plan_and_measures(client_as, agreement):
    page = client_as("supervisor").get("/agreements/MR-PAGE").get_data(as_text=True)
    assert "MR-PAGE-01" in page and "Pilot" in page
    overdue_row = page[page.index("Install seal readers") - 200:page.index("Install seal readers") + 400]
    assert "Overdue" in overdue_row  # a word, not colour alone
    quarterly = page[page.index("Quarterly report"):page.index("Quarterly report") + 400]
    assert "Overdue" not in quarterly
    assert "Share waived" in page and "no data yet" in page
    assert "Suspend" not in page  # supervisors get no lifecycle buttons


def approve_pending(client, db_session) -> None:
    """The other party's approver approves every change waiting for them."""
    for proposal in db_session.scalars(sa.select(ChangeProposal).where(ChangeProposal.status == "pending")).all():
        response = client.post(f"/agreements/approvals/{proposal.id}/approve", data={})
        assert response.status_code == 302, response.get_data(as_text=True)
    db_session.expire_all()


def test_coordinator_suspends_with_a_reason_after_confirming(client_as, agreement, db_session, approver_client):
    client = client_as("coordinator")
    detail = client.get("/agreements/MR-PAGE").get_data(as_text=True)
    assert "/agreements/MR-PAGE/status/suspended" in detail
    refused = client.post("/agreements/MR-PAGE/status/suspended", data={"on": "2027-02-11", "reason": "  ",
                                                                       "version_id": "1"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="reason-error"' in page and "Say why the agreement is suspended." in page
    assert 'aria-describedby="reason-hint reason-error"' in page
    assert 'value="2027-02-11"' in page  # what was typed stays
    assert db_session.scalar(sa.select(Agreement.status).where(Agreement.code == "MR-PAGE")) == "active"
    done = client.post("/agreements/MR-PAGE/status/suspended",
                       data={"on": "2027-02-11", "reason": "security incident in Uruapan", "version_id": "1"})
    assert done.status_code == 302
    # Proposed for APHIS by the coordinator; in effect only once SENASICA approves.
    assert db_session.scalar(sa.select(Agreement.status).where(Agreement.code == "MR-PAGE")) == "active"
    assert "waiting for SENASICA" in client.get("/agreements/MR-PAGE").get_data(as_text=True)
    approve_pending(approver_client("SENASICA"), db_session)
    page = client.get("/agreements/MR-PAGE").get_data(as_text=True)
    assert "since 2027-02-11" in page and "security incident in Uruapan" in page
    assert "Reactivate" in page


def test_forbidden_transition_and_stale_page_are_refused(client_as, agreement, db_session):
    client = client_as("coordinator")
    refused = client.post("/agreements/MR-PAGE/status/draft", data={"on": "2027-02-11", "version_id": "1"})
    assert refused.status_code == 422 and "cannot become" in refused.get_data(as_text=True)
    stale = client.post("/agreements/MR-PAGE/status/expired", data={"on": "2027-02-11", "version_id": "0"})
    assert stale.status_code == 422 and "reload" in stale.get_data(as_text=True)
    assert db_session.scalar(sa.select(Agreement.status).where(Agreement.code == "MR-PAGE")) == "active"


def test_create_agreement_form_keeps_what_was_typed(client_as, agreement, db_session):
    client = client_as("coordinator")
    before = count(db_session, Agreement)
    refused = client.post("/agreements/", data={"code": "bad code", "title": "Berries 2028"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="code-error"' in page and 'value="Berries 2028"' in page
    assert count(db_session, Agreement) == before
    created = client.post("/agreements/", data={"code": "MR-BER-2028", "title": "Berries 2028",
                                                "parties": "APHIS-SENASICA"})
    assert created.status_code == 302 and created.headers["Location"].endswith("/agreements/MR-BER-2028")


def _rule_form(**overrides):
    data = {"commodities": "avocado", "origin_states": "MIC, JAL", "ports": "", "requires_certifications": "",
            "requires_seal": "y", "max_hours_before_crossing": "36", "valid_from": "2024-09-01", "valid_to": "",
            "active": "y", "change_note": "Now 36 h and Jalisco", "based_on_version": "1"}
    data.update(overrides)
    return data


def test_new_rule_version_form_refuses_then_saves(client_as, agreement, db_session, approver_client):
    client = client_as("coordinator")
    url = "/agreements/MR-PAGE/rules/MR-PAGE-01/versions/new"
    form = client.get(url).get_data(as_text=True)
    assert 'value="avocado"' in form and 'value="48.0"' in form  # starts from the current version
    refused = client.post(url, data=_rule_form(commodities="avocado, durian"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="commodities-error"' in page and "durian" in page
    assert 'value="avocado, durian"' in page and "Now 36 h and Jalisco" in page
    assert count(db_session, Rule) == 1
    bad_date = client.post(url, data=_rule_form(valid_from="03/01/2025"))
    assert bad_date.status_code == 422 and 'id="valid_from-error"' in bad_date.get_data(as_text=True)
    too_many = client.post(url, data=_rule_form(verification_percent="150"))
    assert too_many.status_code == 422 and 'id="verification_percent-error"' in too_many.get_data(as_text=True)
    saved = client.post(url, data=_rule_form(verification_percent="5"))
    assert saved.status_code == 302
    assert count(db_session, Rule) == 1  # proposed, not yet in effect
    approve_pending(approver_client("SENASICA"), db_session)
    versions = db_session.scalars(sa.select(Rule).where(Rule.code == "MR-PAGE-01").order_by(Rule.version)).all()
    assert [(r.version, r.max_hours_before_crossing, r.superseded_at is None) for r in versions] == [
        (1, 48.0, False), (2, 36.0, True)]
    assert versions[-1].verification_rate == 0.05  # typed in percent, kept as a share
    page = client.get("/agreements/MR-PAGE").get_data(as_text=True)
    assert "Now 36 h and Jalisco" in page and "Most hours before crossing: 48.0 → 36.0" in page
    assert "Test coordinator" in page  # by whom


def test_new_rule_form(client_as, agreement, db_session, approver_client):
    client = client_as("coordinator")
    refused = client.post("/agreements/MR-PAGE/rules/new", data=_rule_form(code="MR-PAGE-01"))
    assert refused.status_code == 422 and 'id="code-error"' in refused.get_data(as_text=True)
    saved = client.post("/agreements/MR-PAGE/rules/new", data=_rule_form(code="MR-PAGE-02",
                                                                         requires_recognised_status="y"))
    assert saved.status_code == 302
    assert db_session.scalar(sa.select(Rule.version).where(Rule.code == "MR-PAGE-02")) is None
    approve_pending(approver_client("SENASICA"), db_session)
    assert db_session.scalar(sa.select(Rule.requires_recognised_status).where(Rule.code == "MR-PAGE-02"))
    assert db_session.scalar(sa.select(Rule.version).where(Rule.code == "MR-PAGE-02")) == 1


def test_milestone_status_update_and_refusal(client_as, agreement, db_session, approver_client):
    client = client_as("coordinator")
    milestone = db_session.scalar(sa.select(Milestone).where(Milestone.title == "Install seal readers"))
    url = f"/agreements/MR-PAGE/milestones/{milestone.id}"
    future = (utcnow().date() + timedelta(days=2)).isoformat()
    refused = client.post(url, data={f"m{milestone.id}-status": "done", f"m{milestone.id}-completed_on": future})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and f'id="m{milestone.id}-completed_on-error"' in page
    assert f'value="{future}"' in page
    done = client.post(url, data={f"m{milestone.id}-status": "done", f"m{milestone.id}-completed_on": "",
                                  f"m{milestone.id}-gates": "mr-page-01"})
    assert done.status_code == 302
    db_session.refresh(milestone)
    assert milestone.status == "in_progress" and milestone.gated_rules == ["MR-PAGE-01"]
    approve_pending(approver_client("SENASICA"), db_session)
    milestone = db_session.get(Milestone, milestone.id)
    assert (milestone.status, milestone.completed_on) == ("done", utcnow().date())


def test_new_milestone_form(client_as, agreement, db_session):
    client = client_as("coordinator")
    refused = client.post("/agreements/MR-PAGE/milestones", data={"title": "Open McAllen", "owner_agency": "APHIS",
                                                                  "due_on": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="due_on-error"' in page and 'value="Open McAllen"' in page
    saved = client.post("/agreements/MR-PAGE/milestones", data={"title": "Open McAllen", "owner_agency": "APHIS",
                                                                "due_on": "2027-06-01"})
    assert saved.status_code == 302
    assert db_session.scalar(sa.select(Milestone.due_on).where(Milestone.title == "Open McAllen")) == date(2027, 6, 1)


def test_pages_speak_spanish(client_as, agreement, db_session, users):
    users["supervisor"].language = "es"
    db_session.commit()
    page = client_as("supervisor").get("/agreements/MR-PAGE").get_data(as_text=True)
    assert 'lang="es"' in page
    assert "Plan de Trabajo Conjunto" in page and "<strong>Vencido</strong>" in page
