"""The per-company request counts behind every list's "page N of M" stay equal to the requests."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.models import Shipment, RequestCount
from app.services.shipments.records import RequestFilters, list_requests
from tests.factories import make_exporter, make_shipment, make_user, force_status


def counted(session) -> dict[tuple[int, str], int]:
    session.flush()
    rows = session.execute(sa.select(RequestCount.exporter_id, RequestCount.status, RequestCount.requests))
    return {(exporter, status): n for exporter, status, n in rows if n}


def recount(session) -> dict[tuple[int, str], int]:
    rows = session.execute(sa.select(Shipment.exporter_id, Shipment.status, sa.func.count())
                           .group_by(Shipment.exporter_id, Shipment.status))
    return {(exporter, status): n for exporter, status, n in rows}


def test_creating_moving_and_deleting_requests_keeps_the_counts_exact(db_session):
    first, second = make_exporter(db_session), make_exporter(db_session)
    requests = [make_shipment(db_session, first) for _ in range(3)] + [make_shipment(db_session, second)]
    assert counted(db_session)[(first.id, "requested")] == 3
    force_status(requests[0], "scheduled")
    requests[1].exporter = second
    db_session.flush()
    assert counted(db_session)[(first.id, "requested")] == 1
    assert counted(db_session)[(first.id, "scheduled")] == 1
    assert counted(db_session)[(second.id, "requested")] == 2
    db_session.delete(requests[3])
    assert counted(db_session) == recount(db_session)


@pytest.mark.parametrize("filters", [
    RequestFilters(), RequestFilters(status="scheduled"), RequestFilters(status="released"),
    RequestFilters(date_from=date(2020, 1, 1)), RequestFilters(page=2, page_size=2),
])
def test_list_totals_match_the_rows_for_the_company_and_for_staff(db_session, filters):
    exporter, other = make_exporter(db_session), make_exporter(db_session)
    mine = [make_shipment(db_session, exporter) for _ in range(5)] + [make_shipment(db_session, other)]
    force_status(mine[0], "scheduled")
    force_status(mine[1], "scheduled")
    db_session.flush()
    for user in (make_user(db_session, "exporter", exporter=exporter), make_user(db_session, "coordinator")):
        page = list_requests(db_session, user, filters)
        query = sa.select(sa.func.count()).select_from(Shipment)
        if user.role == "exporter":
            query = query.where(Shipment.exporter_id == exporter.id)
        if filters.status:
            query = query.where(Shipment.status == filters.status)
        assert page.total == db_session.scalar(query)
