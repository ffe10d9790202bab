"""The coordinator's queue: requests for a horizon filtered by status, port, commodity and dates, by pages."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from tests.factories import make_commodity, make_shipment, make_site


@pytest.fixture
def queue(db_session, users):
    avocado, mango = make_commodity(db_session, "avocado"), make_commodity(db_session, "mango")
    pharr = make_site(db_session, kind="port", name="Pharr", code="Q-PHARR", timezone="America/Chicago")
    nogales = make_site(db_session, kind="port", name="Nogales", code="Q-NOGALES", timezone="America/Phoenix")
    march = datetime(2027, 3, 1, 14, tzinfo=timezone.utc)
    made = {
        "Q-AVO-PHARR": make_shipment(db_session, reference="Q-AVO-PHARR", commodity=avocado, port=pharr, ready=march),
        "Q-MANGO-NOG": make_shipment(db_session, reference="Q-MANGO-NOG", commodity=mango, port=nogales, ready=march),
        "Q-SCHEDULED": make_shipment(db_session, reference="Q-SCHEDULED", commodity=avocado, port=pharr, ready=march,
                                    status="scheduled"),
        "Q-CANCELLED": make_shipment(db_session, reference="Q-CANCELLED", commodity=avocado, port=pharr, ready=march,
                                    status="cancelled"),
        "Q-LATER": make_shipment(db_session, reference="Q-LATER", commodity=avocado, port=pharr,
                                ready=march + timedelta(days=10)),
    }
    db_session.commit()
    return {"pharr": pharr, "nogales": nogales, **made}


def listed(response) -> set[str]:
    assert response.status_code == 200
    return set(re.findall(r"<td>(Q-[A-Z-]+)</td>", response.get_data(as_text=True)))


def test_the_queue_lists_open_requests_by_default(client_as, queue):
    assert listed(client_as("coordinator").get("/coordinator/queue")) == {
        "Q-AVO-PHARR", "Q-MANGO-NOG", "Q-SCHEDULED", "Q-LATER"}


@pytest.mark.parametrize("args, expected", [
    ({"status": "requested"}, {"Q-AVO-PHARR", "Q-MANGO-NOG", "Q-LATER"}),
    ({"status": "scheduled"}, {"Q-SCHEDULED"}),
    ({"status": "all"}, {"Q-AVO-PHARR", "Q-MANGO-NOG", "Q-SCHEDULED", "Q-CANCELLED", "Q-LATER"}),
    ({"commodity": "mango"}, {"Q-MANGO-NOG"}),
    ({"date_from": "2027-03-01", "date_to": "2027-03-03"}, {"Q-AVO-PHARR", "Q-MANGO-NOG", "Q-SCHEDULED"}),
    ({"date_from": "2027-03-08"}, {"Q-LATER"}),
])
def test_queue_filters(client_as, queue, args, expected):
    assert listed(client_as("coordinator").get("/coordinator/queue", query_string=args)) == expected


def test_queue_filters_by_port(client_as, queue):
    response = client_as("coordinator").get("/coordinator/queue", query_string={"port": queue["nogales"].id})
    assert listed(response) == {"Q-MANGO-NOG"}


def test_a_bad_date_is_named_and_ignored(client_as, queue):
    response = client_as("coordinator").get("/coordinator/queue?date_from=yesterday")
    assert 'id="date_from-error"' in response.get_data(as_text=True)
    assert "Q-LATER" in listed(response)


def test_the_queue_pages_through_many_requests(client_as, db_session, queue):
    for n in range(55):
        make_shipment(db_session, reference=f"Q-BULK-{n:03d}", port=queue["pharr"],
                     ready=datetime(2027, 4, 1, tzinfo=timezone.utc) + timedelta(hours=n))
    db_session.commit()
    client = client_as("coordinator")
    first = client.get("/coordinator/queue?date_from=2027-04-01").get_data(as_text=True)
    assert 'id="queue-total">55<' in first and "page 1 of 2" in first
    assert first.count("Q-BULK-") == 50
    second = client.get("/coordinator/queue?date_from=2027-04-01&page=2").get_data(as_text=True)
    assert second.count("Q-BULK-") == 5 and "Q-BULK-054" in second and "Q-BULK-000" not in second
    assert "date_from=2027-04-01" in first.split('rel="next" href="', 1)[1].split('"', 1)[0]
