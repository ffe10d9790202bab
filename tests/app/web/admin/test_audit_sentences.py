"""Issue 17: the audit log reads as sentences in the reader's language, the stored change one click away."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from app.models import AuditEntry
from app.web.admin.audit_sentences import FAMILIES, SENTENCES


@pytest.fixture
def published(db_session, users):
    """Ana Ruiz, coordinator, published run 12 at 16:14 UTC on 3 December 2026 (10:14 in Central time)."""
    users["coordinator"].display_name = "Ana Ruiz"
    db_session.add_all([
        AuditEntry(occurred_at=datetime(2026, 12, 3, 16, 14, tzinfo=timezone.utc), actor_id=users["coordinator"].id,
                   action="schedule_run.published", entity_type="ScheduleRun", entity_id="12",
                   before={"published_at": None}, after={"published_at": "2026-12-03T16:14:00+00:00"}),
        AuditEntry(occurred_at=datetime(2026, 12, 3, 15, 0, tzinfo=timezone.utc), actor_id=users["officer"].id,
                   action="request.at_border", entity_type="Shipment", entity_id="7",
                   before={"status": "sealed"}, after={"status": "at_border"}),
        AuditEntry(occurred_at=datetime(2026, 12, 3, 14, 0, tzinfo=timezone.utc), actor_id=None,
                   action="widget.frobbed", entity_type="Widget", entity_id="3", after={"x": 1}),
    ])
    db_session.commit()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_each_entry_is_a_sentence_in_english(client_as, published):
    html = client_as("admin").get("/audit").get_data(as_text=True)
    text = _text(html)
    assert "Ana Ruiz (Coordinator) published run 12 — 3 Dec 2026 10:14 CST" in text
    assert "Test officer (Border officer) moved shipment 7 to “at border” — 3 Dec 2026 09:00 CST" in text
    # An action without a sentence of its own: the generic one, with the action's code beside it.
    assert "The system changed widget 3 ( widget.frobbed )" in text


def test_each_entry_is_a_sentence_in_spanish(client_as, published):
    client = client_as("supervisor")
    client.post("/language", data={"language": "es"})
    text = _text(client.get("/audit").get_data(as_text=True))
    assert "Ana Ruiz (Coordinador) publicó la corrida 12 — 3 dic 2026 10:14 CST" in text
    assert "Test officer (Oficial fronterizo) pasó el embarque 7 a «en la frontera» — 3 dic 2026 09:00 CST" in text
    assert "El sistema modificó: widget 3" in text
    assert "Detalles del cambio" in text


def test_the_stored_change_is_one_click_away(client_as, published):
    html = client_as("admin").get("/audit").get_data(as_text=True)
    details = re.findall(r"<details>(.*?)</details>", html, re.S)
    assert len(details) == 3
    assert "schedule_run.published" in details[0]
    assert "&#34;published_at&#34;: null" in details[0] or '"published_at": null' in details[0]
    assert "2026-12-03T16:14:00+00:00" in details[0]


def test_the_record_filter_names_kinds_in_the_readers_language(client_as, published):
    client = client_as("admin")
    client.post("/language", data={"language": "es"})
    html = client.get("/audit").get_data(as_text=True)
    assert '<option value="ScheduleRun" >Corrida del plan</option>' in html
    assert '<option value="Shipment" >Embarque</option>' in html


def test_every_action_the_app_records_has_a_sentence():
    """Each action written by app/ has its own sentence or belongs to a family of statuses."""
    import pathlib

    source = "\n".join(p.read_text() for p in pathlib.Path("app").rglob("*.py"))
    written = set(re.findall(r'"([a-z_]+\.[a-z_]+)"', " ".join(re.findall(r"record\([^)]*\)", source, re.S))))
    written = {a for a in written if a.split(".")[0] not in ("app", "os", "sa", "db")}
    families = set(FAMILIES) | {"seal_event"}
    missing = sorted(a for a in written if a not in SENTENCES and a.split(".")[0] not in families)
    assert missing == []



def test_the_date_filter_counts_days_in_the_zone_the_times_are_shown_in(client_as, db_session, users):
    """23:30 in Mexico City on 3 December is 05:30 UTC on the 4th: it belongs to the 3rd, as its sentence says."""
    db_session.add(AuditEntry(occurred_at=datetime(2026, 12, 4, 5, 30, tzinfo=timezone.utc),
                              actor_id=users["officer"].id, action="request.at_border", entity_type="Shipment",
                              entity_id="8", before={"status": "sealed"}, after={"status": "at_border"}))
    db_session.commit()
    admin = client_as("admin")
    third = _text(admin.get("/audit?from=2026-12-03&to=2026-12-03").get_data(as_text=True))
    assert "shipment 8" in third and "3 Dec 2026 23:30 CST" in third
    assert "Days in America/Mexico_City" in third
    fourth = _text(admin.get("/audit?from=2026-12-04&to=2026-12-04").get_data(as_text=True))
    assert "shipment 8" not in fourth
