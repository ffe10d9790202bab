"""The request workflow: create with times at the port, refuse bad input by field, change, cancel, list, pre-check."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, Inspection, Shipment, InspectorBooking
from app.services.shipments.records import (
    InvalidRequest, RequestConflict, RequestFilters, cancel_request, create_request, list_requests, update_request,
)
from app.services.shipments.precheck import precheck_for
from tests.factories import (force_status, 
    count, make_agreement, make_booking, make_certification, make_commodity, make_inspection, make_inspector,
    make_shipment, make_shipment_data, make_rule, make_site, make_user,
)

NOW = datetime(2027, 2, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(app, db_session, users):
    """An avocado exporter, Pharr (Central time) and an inland site, inside a request context for Babel."""
    with app.test_request_context():
        make_commodity(db_session, "avocado")
        make_commodity(db_session, "berries")
        port = make_site(db_session, kind="port", code="US-PHARR", name="Pharr", timezone="America/Chicago", state="TX")
        inland = make_site(db_session, code="MX-URUAPAN", name="Uruapan")
        yield {"session": db_session, "exporter": users["exporter"], "port": port, "inland": inland}


def test_create_converts_port_local_times_to_utc_and_keeps_the_offset(world):
    session, exporter = world["session"], world["exporter"]
    created = create_request(session, exporter, make_shipment_data(world["port"], sites=["MX-URUAPAN"]), NOW)
    # 18:00 Central Standard Time (UTC-6) on 5 March is midnight UTC on the 6th.
    assert created.cross_by == datetime(2027, 3, 6, 0, 0, tzinfo=timezone.utc)
    assert created.cross_by_offset_minutes == -360
    assert created.ready == datetime(2027, 3, 3, 14, 0, tzinfo=timezone.utc)
    assert created.exporter_id == exporter.exporter_id
    assert created.status == "requested"
    assert created.reference.startswith("JI-2027-")
    assert (created.inspection_minutes, created.border_inspection_minutes, created.priority) == (90, 45, 3)
    assert [s.code for s in created.sites] == ["MX-URUAPAN"]
    audit = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "request.created"))
    assert audit.entity_id == str(created.id)


def test_references_count_up_and_perishables_default_to_priority_4(world):
    session, exporter = world["session"], world["exporter"]
    first = create_request(session, exporter, make_shipment_data(world["port"]), NOW)
    second = create_request(session, exporter, make_shipment_data(world["port"], commodity="berries"), NOW)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1
    assert second.priority == 4


def test_an_explicit_offset_is_kept_as_written(world):
    data = make_shipment_data(world["port"], cross_by="2027-03-05T23:30:00-05:00")
    created = create_request(world["session"], world["exporter"], data, NOW)
    assert created.cross_by_offset_minutes == -300
    assert created.cross_by_as_written.isoformat() == "2027-03-05T23:30:00-05:00"


@pytest.mark.parametrize("changes, field", [
    ({"cross_by": "2027-03-03T07:00"}, "cross_by"),
    ({"arrive_port": "2027-03-03T07:00"}, "arrive_port"),
    ({"arrive_port": "2027-03-06T07:00"}, "arrive_port"),
    ({"port": "US-NOWHERE"}, "port"),
    ({"port": "MX-URUAPAN"}, "port"),
    ({"quantity": "0"}, "quantity"),
    ({"quantity_unit": "tons"}, "quantity_unit"),
    ({"origin_state": "XX"}, "origin_state"),
    ({"commodity": "durian"}, "commodity"),
    ({"packhouse": ""}, "packhouse"),
    ({"ready": "next tuesday"}, "ready"),
    ({"priority": "9"}, "priority"),
    ({"sites": ["US-PHARR"]}, "sites"),
    ({"cross_by": "2027-01-05T18:00", "ready": "2027-01-04T08:00", "arrive_port": "2027-01-05T08:00"}, "cross_by"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_created(world, changes, field):
    session = world["session"]
    with pytest.raises(InvalidRequest) as refused:
        create_request(session, world["exporter"], make_shipment_data(world["port"], **changes), NOW)
    assert field in refused.value.errors
    assert count(session, Shipment) == 0


def test_a_site_that_does_not_inspect_the_commodity_is_refused(world):
    session = world["session"]
    make_site(session, code="MX-IRAPUATO", inspects_any=False, commodities=[make_commodity(session, "berries")])
    with pytest.raises(InvalidRequest) as refused:
        create_request(session, world["exporter"], make_shipment_data(world["port"], sites=["MX-IRAPUATO"]), NOW)
    assert "MX-IRAPUATO does not inspect avocado" in refused.value.errors["sites"]


def test_a_closed_port_is_refused(world):
    world["port"].active, world["port"].closed_reason = False, "bridge repairs"
    with pytest.raises(InvalidRequest) as refused:
        create_request(world["session"], world["exporter"], make_shipment_data(world["port"]), NOW)
    assert "closed" in refused.value.errors["port"]


def test_staff_cannot_create_requests(world, users):
    with pytest.raises(Exception, match="Only exporters"):
        create_request(world["session"], users["coordinator"], make_shipment_data(world["port"]), NOW)


def test_update_changes_fields_and_moves_the_version(world):
    session, exporter = world["session"], world["exporter"]
    created = create_request(session, exporter, make_shipment_data(world["port"]), NOW)
    version = created.version_id
    update_request(session, exporter, created, {"packhouse": "Empaque Nuevo", "sites": ["MX-URUAPAN"]}, version, NOW)
    assert created.packhouse == "Empaque Nuevo"
    assert created.version_id == version + 1
    assert created.cross_by == datetime(2027, 3, 6, 0, 0, tzinfo=timezone.utc)  # untouched fields keep their value


def test_update_with_a_stale_version_is_a_conflict(world):
    session, exporter = world["session"], world["exporter"]
    created = create_request(session, exporter, make_shipment_data(world["port"]), NOW)
    with pytest.raises(RequestConflict) as conflict:
        update_request(session, exporter, created, {"packhouse": "X"}, created.version_id - 1, NOW)
    assert conflict.value.field == "version_id"


def test_only_requested_shipments_can_be_changed(world):
    session, exporter = world["session"], world["exporter"]
    created = create_request(session, exporter, make_shipment_data(world["port"]), NOW)
    force_status(created, "scheduled")
    session.flush()
    with pytest.raises(RequestConflict):
        update_request(session, exporter, created, {"packhouse": "X"}, created.version_id, NOW)


def test_cancelling_a_scheduled_shipment_releases_its_inspections(world):
    session, exporter = world["session"], world["exporter"]
    created = create_request(session, exporter, make_shipment_data(world["port"]), NOW)
    force_status(created, "scheduled")
    session.flush()
    inspection = make_inspection(session, created, created.ready, status="scheduled", result=None, site=world["inland"])
    make_booking(session, inspection, make_inspector(session, home_site=world["inland"]))
    cancel_request(session, exporter, created, created.version_id, "buyer cancelled")
    assert created.status == "cancelled" and created.status_reason == "buyer cancelled"
    assert session.get(Inspection, inspection.id).status == "cancelled"
    assert session.scalars(sa.select(InspectorBooking.active)).all() == [False]


def test_a_shipment_past_scheduling_cannot_be_cancelled(world):
    session, exporter = world["session"], world["exporter"]
    shipped = make_shipment(session, exporter=exporter.exporter, status="inspected")
    with pytest.raises(RequestConflict):
        cancel_request(session, exporter, shipped, shipped.version_id)


def test_another_companys_request_cannot_be_changed_through_the_service(world):
    session = world["session"]
    other = make_shipment(session, port=world["port"])
    with pytest.raises(LookupError):
        cancel_request(session, world["exporter"], other, other.version_id)


def test_list_is_scoped_filtered_and_paginated(world, users):
    session, exporter = world["session"], world["exporter"]
    start = datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)
    for day in range(5):
        make_shipment(session, exporter=exporter.exporter, port=world["port"], ready=start + timedelta(days=day),
                     reference=f"OWN-{day}", status="requested" if day % 2 == 0 else "cancelled")
    make_shipment(session, port=world["port"], reference="OTHER-1", ready=start)
    page = list_requests(session, exporter, RequestFilters(page_size=2))
    assert (page.total, page.pages, [r.reference for r in page.items]) == (5, 3, ["OWN-4", "OWN-3"])
    assert [r.reference for r in list_requests(session, exporter, RequestFilters(page=3, page_size=2)).items] == ["OWN-0"]
    requested = list_requests(session, exporter, RequestFilters(status="requested"))
    assert [r.reference for r in requested.items] == ["OWN-4", "OWN-2", "OWN-0"]
    dated = list_requests(session, exporter, RequestFilters(date_from=date(2027, 3, 2), date_to=date(2027, 3, 3)))
    assert [r.reference for r in dated.items] == ["OWN-2", "OWN-1"]
    assert list_requests(session, users["coordinator"], RequestFilters()).total == 6
    assert list_requests(session, users["inspector"], RequestFilters()).total == 0


@pytest.fixture
def avocado_rule(world):
    session = world["session"]
    agreement = make_agreement(session, code="MR-APHIS-SENASICA")
    return make_rule(session, agreement, code="MR-AVO-01", commodities=["avocado"], origin_states=["MIC"],
                     ports=["US-PHARR"], requires_certifications=["OEA"], max_hours_before_crossing=48)


def test_precheck_says_waived_under_the_rule_with_the_earliest_end_at_the_port(world, avocado_rule):
    session, exporter = world["session"], world["exporter"]
    make_certification(session, exporter.exporter, "OEA", valid_until=date(2028, 1, 1))
    result = precheck_for(session, exporter.exporter_id, make_shipment_data(world["port"]))
    assert result.waivable
    # Cross by 18:00 CST on 5 March, at most 48 h after the inspection ends: it must end after 18:00 on 3 March.
    assert result.summary == (
        "This shipment will be waived at Pharr under rule MR-AVO-01 if the joint inspection ends after "
        "18:00 CST on Mar 3, 2027.")
    assert count(session, Shipment) == 0


def test_precheck_lists_an_expired_certificate_and_an_uncovered_port(world, avocado_rule):
    session, exporter = world["session"], world["exporter"]
    make_certification(session, exporter.exporter, "OEA", valid_until=date(2027, 2, 28))
    other_port = make_site(session, kind="port", code="US-NOGALES", name="Nogales", timezone="America/Phoenix")
    result = precheck_for(session, exporter.exporter_id, make_shipment_data(other_port))
    assert not result.waivable
    (line,) = result.lines
    assert {m["code"] for m in line.missing} == {"certification_expired", "port_not_covered"}
    texts = " | ".join(m["text"] for m in line.missing)
    assert "OEA certificate expires 2027-02-28, before the crossing date 2027-03-05" in texts
    assert "port US-NOGALES is not covered" in texts


def test_cross_by_late_evening_in_mexico_keeps_its_date_as_written(world, avocado_rule):
    """23:30 on 2 March in Mexico City is already 3 March in UTC; the certificate is judged on 2 March."""
    session, exporter = world["session"], world["exporter"]
    avocado_rule.ports = []
    make_certification(session, exporter.exporter, "OEA", valid_until=date(2027, 3, 2))
    port = make_site(session, kind="port", code="MX-COLOMBIA", name="Colombia", country="MX",
                     timezone="America/Mexico_City")
    data = make_shipment_data(port, ready="2027-03-01T08:00", arrive_port="2027-03-02T08:00",
                             cross_by="2027-03-02T23:30")
    created = create_request(session, exporter, data, NOW)
    assert created.cross_by == datetime(2027, 3, 3, 5, 30, tzinfo=timezone.utc)
    assert created.cross_by_as_written.date() == date(2027, 3, 2)
    assert precheck_for(session, exporter.exporter_id, data).waivable


def test_a_second_exporter_does_not_share_the_first_ones_certificate(world, avocado_rule):
    session = world["session"]
    make_certification(session, world["exporter"].exporter, "OEA")
    other = make_user(session, role="exporter")
    result = precheck_for(session, other.exporter_id, make_shipment_data(world["port"]))
    assert [m["code"] for m in result.lines[0].missing] == ["certification_missing"]


def test_a_new_request_leaves_from_the_centre_of_its_state_and_follows_a_change_of_state(world):
    """No packhouse places are recorded: the optimizer times the trip from the state's centre."""
    session, exporter = world["session"], world["exporter"]
    created = create_request(session, exporter, make_shipment_data(world["port"], origin_state="MIC"), NOW)
    assert (created.origin_lat, created.origin_lon) == (19.21, -101.88)
    changed = update_request(session, exporter, created, {"origin_state": "JAL"}, created.version_id, NOW)
    assert (changed.origin_lat, changed.origin_lon) == (20.57, -103.68)
