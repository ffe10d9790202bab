"""The audit log: supervisors and administrators read it, filter it, page through it; nobody edits it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from app.models import AuditEntry, utcnow


@pytest.fixture
def entries(db_session, users):
    now = utcnow()
    made = [
        AuditEntry(occurred_at=now - timedelta(days=3), actor_id=users["coordinator"].id, action="request.scheduled",
                   entity_type="Shipment", entity_id="7", before={"status": "requested"},
                   after={"status": "scheduled"}),
        AuditEntry(occurred_at=now, actor_id=users["admin"].id, action="token.created", entity_type="ApiToken",
                   entity_id="1", after={"name": "<script>alert('x')</script>"}),
    ]
    db_session.add_all(made)
    db_session.commit()
    return made


@pytest.mark.parametrize("role,status", [("supervisor", 200), ("admin", 200), ("coordinator", 403),
                                         ("exporter", 403), ("inspector", 403), ("officer", 403)])
def test_who_reads_the_audit_page(client_as, role, status):
    assert client_as(role).get("/audit").status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/audit").status_code == 302
    assert client.get("/api/v1/audit").status_code == 401


def test_filter_by_entity_actor_and_date(client_as, entries):
    page = client_as("supervisor")
    shown = page.get("/audit?entity_type=Shipment").get_data(as_text=True)
    assert "request.scheduled" in shown and "token.created" not in shown
    shown = page.get("/audit?actor=test-admin").get_data(as_text=True)
    assert "token.created" in shown and "request.scheduled" not in shown
    today = utcnow().date().isoformat()
    shown = page.get(f"/audit?from={today}&to={today}").get_data(as_text=True)
    assert "token.created" in shown and "request.scheduled" not in shown
    shown = page.get("/audit?from=not-a-date").get_data(as_text=True)
    assert "Enter a date such as 2027-03-01." in shown and "token.created" in shown


def test_markup_in_entries_is_shown_as_text(client_as, entries):
    shown = client_as("admin").get("/audit").get_data(as_text=True)
    assert "<script>alert" not in shown
    assert "&lt;script&gt;alert" in shown


def test_pages_of_fifty(client_as, db_session, users):
    db_session.add_all(AuditEntry(actor_id=users["admin"].id, action="test.step", entity_type="Thing", entity_id=str(i))
                       for i in range(60))
    db_session.commit()
    page = client_as("admin")
    first = page.get("/audit?entity_type=Thing").get_data(as_text=True)
    assert "Page 1 of 2 (60 entries)" in first and 'rel="next"' in first
    second = page.get("/audit?entity_type=Thing&page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and 'rel="prev"' in second and "entity_type=Thing" in second


def test_the_api_reads_with_the_same_filters(client_as, entries):
    api = client_as("supervisor")
    everything = api.get("/api/v1/audit").json
    assert everything["total"] == 2 and everything["page"] == 1
    assert everything["items"][0]["action"] == "token.created"
    assert everything["items"][0]["actor"] == "test-admin"
    filtered = api.get("/api/v1/audit?entity_type=Shipment&entity_id=7").json
    assert [item["after"] for item in filtered["items"]] == [{"status": "scheduled"}]
    assert api.get("/api/v1/audit?page_size=0").status_code == 422
    assert api.get("/api/v1/audit?colour=red").status_code == 422
    assert client_as("coordinator").get("/api/v1/audit").status_code == 403


def test_there_is_no_way_to_edit_it(app, client_as, db_session, entries):
    editing = [rule for rule in app.url_map.iter_rules() if "audit" in rule.rule
               and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    assert editing == []
    api = client_as("admin")
    assert api.delete("/api/v1/audit").status_code == 405
    with pytest.raises(DatabaseError):
        with db_session.begin_nested():
            db_session.execute(sa.update(AuditEntry).values(action="rewritten"))
    with pytest.raises(DatabaseError):
        with db_session.begin_nested():
            db_session.execute(sa.delete(AuditEntry))
