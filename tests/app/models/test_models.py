"""The database itself keeps the invariants that must never break."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, DBAPIError

from app.models import AuditEntry, Exporter, Inspection, InspectorBooking, Seal, Shift, User
from tests.factories import make_exporter, make_inspector, make_shipment, make_site, make_user

T0 = datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)


def _refused(session, *objects) -> None:
    with pytest.raises((IntegrityError, DBAPIError)):
        with session.begin_nested():
            session.add_all(objects)
            session.flush()


def test_a_site_needs_at_least_one_bay(db_session):
    site = make_site(db_session)
    site.bays = 0
    with pytest.raises(IntegrityError):
        with db_session.begin_nested():
            db_session.flush()


def test_a_shift_must_end_after_it_starts(db_session):
    inspector = make_inspector(db_session)
    _refused(db_session, Shift(inspector_id=inspector.id, start=T0, end=T0))


def test_an_exporter_user_belongs_to_a_company(db_session):
    _refused(db_session, User(username="x", display_name="x", password_hash="h", role="exporter"))


def test_an_unknown_role_is_refused(db_session):
    _refused(db_session, User(username="y", display_name="y", password_hash="h", role="superuser"))


def test_usernames_are_unique(db_session):
    make_user(db_session, role="admin", username="same")
    _refused(db_session, User(username="same", display_name="z", password_hash="h", role="admin"))


def test_priority_is_between_1_and_5(db_session):
    with pytest.raises(IntegrityError):
        with db_session.begin_nested():
            make_shipment(db_session, priority=6)


def test_seal_numbers_are_unique(db_session):
    request = make_shipment(db_session)
    site = make_site(db_session)
    inspection = Inspection(request=request, kind="joint_inland", site=site, start=T0, end=T0 + timedelta(hours=1))
    db_session.add(inspection)
    db_session.add(Seal(number="MXSEAL0001", request_id=request.id, inspection=inspection))
    db_session.flush()
    _refused(db_session, Seal(number="MXSEAL0001", request_id=request.id, inspection=inspection))


def test_times_come_back_in_utc(db_session):
    local = datetime(2027, 3, 1, 8, 0, tzinfo=timezone(timedelta(hours=-6)))
    request = make_shipment(db_session, ready=local)
    db_session.expire(request)
    assert request.ready == local
    assert request.ready.utcoffset() == timedelta(0)


def test_a_naive_time_is_refused(db_session):
    with pytest.raises(Exception, match="naive datetime"):
        make_shipment(db_session, ready=datetime(2027, 3, 1, 8, 0))


def test_the_audit_log_refuses_edits_and_deletes(db_session):
    entry = AuditEntry(action="test", entity_type="Thing", entity_id="1", after={"a": 1})
    db_session.add(entry)
    db_session.flush()
    for statement in (
        sa.update(AuditEntry).where(AuditEntry.id == entry.id).values(action="forged"),
        sa.delete(AuditEntry).where(AuditEntry.id == entry.id),
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            with db_session.begin_nested():
                db_session.execute(statement)


def test_postgresql_refuses_to_book_one_inspector_twice_at_once(db_session):
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite publishing serialises instead")
    inspector = make_inspector(db_session)
    site = make_site(db_session)
    first = Inspection(request=make_shipment(db_session), kind="joint_inland", site=site, start=T0, end=T0 + timedelta(hours=2))
    second = Inspection(request=make_shipment(db_session), kind="joint_inland", site=site,
                        start=T0 + timedelta(hours=1), end=T0 + timedelta(hours=3))
    first.bookings.append(InspectorBooking(inspector=inspector, start=first.start, end=first.end))
    db_session.add(first)
    db_session.flush()
    second.bookings.append(InspectorBooking(inspector=inspector, start=second.start, end=second.end))
    _refused(db_session, second)
    # Back to back is fine: a booking ends as the next begins.
    third = Inspection(request=make_shipment(db_session), kind="joint_inland", site=site,
                       start=T0 + timedelta(hours=2), end=T0 + timedelta(hours=3))
    third.bookings.append(InspectorBooking(inspector=inspector, start=third.start, end=third.end))
    db_session.add(third)
    db_session.flush()


def test_exporter_tax_ids_are_unique(db_session):
    make_exporter(db_session, tax_id="AAA010101AAA")
    _refused(db_session, Exporter(code="DUP", legal_name="Dup", tax_id="AAA010101AAA", country="MX"))
