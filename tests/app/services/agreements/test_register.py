"""The trusted-trader register: statuses recorded by hand, by API or by file, checked against each program, audited."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, Certification
from app.services.agreements import register
from app.services.agreements.register_csv import ImportRefused, import_statuses
from app.services.errors import WorkflowError
from tests.factories import count, make_exporter, make_party, make_register, make_user


@pytest.fixture
def keeper(db_session):
    make_register(db_session)
    return make_user(db_session, role="coordinator")


def oea(holder: str, **changes):
    return {"program": "OEA", "holder": holder, "certificate_id": "OEA-MX-2027-000001", "status": "certified",
            "valid_from": date(2026, 1, 1), "valid_until": date(2028, 1, 1)} | changes


def test_recording_a_status_creates_then_changes_it_by_certificate_id_and_audits_both(db_session, keeper):
    exporter = make_exporter(db_session, code="EXP-REG")
    created = register.record_status(db_session, keeper, oea("exp-reg"))
    assert created.outcome == "created" and created.entry.exporter_id == exporter.id
    assert register.record_status(db_session, keeper, oea("EXP-REG")).outcome == "unchanged"
    suspended = register.record_status(db_session, keeper, oea("EXP-REG", status="suspended",
                                                                status_since=date(2027, 3, 1),
                                                                status_reason="premises changed"), source="api")
    assert suspended.outcome == "updated" and suspended.entry.status == "suspended"
    entries = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.entity_type == "Certification")
                                 .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["register.status_recorded", "register.status_changed"]
    assert entries[1].before["status"] == "certified" and entries[1].after["status"] == "suspended"
    assert entries[1].after["source"] == "api"
    assert not register.in_good_standing(suspended.entry, date(2027, 3, 1))
    assert register.in_good_standing(suspended.entry, date(2027, 2, 28))


def test_a_program_is_named_by_any_of_its_spellings(db_session, keeper):
    make_exporter(db_session, code="EXP-CTPAT")
    entry = register.record_status(db_session, keeper, {"program": "c-tpat", "holder": "EXP-CTPAT",
                                                        "certificate_id": "CTPAT-1", "status": "validated"}).entry
    assert entry.program == "CTPAT" and entry.valid_until is None


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"program": "ISO-9001"}, "program", "CTPAT, FAST, OEA"),
    ({"holder": "nobody"}, "holder", "NOBODY"),
    ({"valid_until": None}, "valid_until", "period"),
    ({"status": "lapsed"}, "status", "suspended"),
    ({"status": "suspended"}, "status_since", "why"),
    ({"status": "removed", "status_since": date(2027, 1, 1)}, "status_reason", "why"),
    ({"tier": "II"}, "tier", "tiers"),
    ({"valid_until": date(2025, 1, 1)}, "valid_until", "before"),
    ({"certificate_id": ""}, "certificate_id", "required"),
])
def test_refusals_name_the_field_and_record_nothing(db_session, keeper, changes, field, words):
    make_exporter(db_session, code="EXP-BAD")
    before = count(db_session, Certification)
    with pytest.raises(WorkflowError) as refused:
        register.record_status(db_session, keeper, oea("EXP-BAD") | changes)
    assert refused.value.field == field and words in refused.value.message
    assert count(db_session, Certification) == before


def test_ctpat_has_no_expiry_and_fast_certifies_only_drivers(db_session, keeper):
    make_exporter(db_session, code="EXP-NOEXP")
    with pytest.raises(WorkflowError) as refused:
        register.record_status(db_session, keeper, {"program": "CTPAT", "holder": "EXP-NOEXP",
                                                    "certificate_id": "C-1", "valid_until": date(2030, 1, 1)})
    assert refused.value.field == "valid_until" and "no expiry" in refused.value.message
    with pytest.raises(WorkflowError) as wrong_holder:
        register.record_status(db_session, keeper, {"program": "FAST", "holder": "EXP-NOEXP",
                                                    "certificate_id": "F-1", "valid_until": date(2030, 1, 1)})
    assert wrong_holder.value.field == "holder"
    driver = make_party(db_session, "driver", code="DRV-1")
    fast = register.record_status(db_session, keeper, {"program": "FAST", "holder": driver.code,
                                                       "certificate_id": "F-1", "valid_until": date(2030, 1, 1)})
    assert fast.entry.party_id == driver.id


def test_parties_are_registered_once_by_kind_and_identifier(db_session, keeper):
    register.create_party(db_session, keeper, code="car-1", kind="carrier", name="Transportes", country="MX",
                          identifier="tfnw")
    with pytest.raises(WorkflowError) as again:
        register.create_party(db_session, keeper, code="CAR-2", kind="carrier", name="Otro", country="MX",
                              identifier="TFNW")
    assert again.value.field == "identifier"
    with pytest.raises(WorkflowError) as kind:
        register.create_party(db_session, keeper, code="X-1", kind="shipper", name="X", country="MX", identifier="1")
    assert kind.value.field == "kind"


HEADER = "program,holder,certificate_id,status,tier,valid_from,valid_until,status_since,status_reason\n"


def test_a_register_file_is_recorded_whole(db_session, keeper):
    make_exporter(db_session, code="EXP-CSV")
    text = (HEADER + "OEA,EXP-CSV,OEA-9,certified,,2026-01-01,2028-01-01,,\n"
            + "CTPAT,EXP-CSV,CTPAT-9,validated,,2025-01-01,,,\n")
    assert import_statuses(db_session, keeper, text).as_dict() == {"created": 2, "updated": 0, "unchanged": 0}
    again = HEADER + "OEA,EXP-CSV,OEA-9,suspended,,2026-01-01,2028-01-01,2027-03-02,audit findings\n"
    assert import_statuses(db_session, keeper, again).as_dict() == {"created": 0, "updated": 1, "unchanged": 0}


def test_a_file_with_a_wrong_line_records_nothing_and_names_every_fault(db_session, keeper):
    make_exporter(db_session, code="EXP-CSV2")
    before = count(db_session, Certification)
    text = (HEADER + "OEA,EXP-CSV2,OEA-10,certified,,2026-01-01,2028-01-01,,\n"
            + "OEA,EXP-CSV2,OEA-11,certified,,2026-01-01,someday,,\n"
            + "NEEC,NOBODY,OEA-12,certified,,2026-01-01,2028-01-01,,\n")
    with pytest.raises(ImportRefused) as refused:
        import_statuses(db_session, keeper, text)
    assert [(p["line"], p["field"]) for p in refused.value.problems] == [(3, "valid_until"), (4, "holder")]
    assert count(db_session, Certification) == before
    with pytest.raises(WorkflowError) as columns:
        import_statuses(db_session, keeper, "program,holder\nOEA,X\n")
    assert columns.value.field == "file" and "certificate_id" in columns.value.message
