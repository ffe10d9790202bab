"""Edge input is refused with 400/422 naming the problem, never a 500: far dates, deep JSON, lone surrogates."""

from __future__ import annotations

import pytest

FAR_DATES = [
    ("coordinator", "/api/v1/requests?to=9999-12-31"),
    ("exporter", "/api/v1/requests?to=9999-12-31"),
    ("exporter", "/exporter/?to=9999-12-31"),
    ("supervisor", "/api/v1/audit?date_to=9999-12-31"),
    ("admin", "/audit?to=9999-12-31"),
    ("supervisor", "/supervisor/?from=9999-12-01&to=9999-12-31"),
    ("supervisor", "/supervisor/?period=week&on=9999-12-31"),
    ("supervisor", "/api/v1/metrics/avoided?from=9999-12-01&to=9999-12-31"),
    ("supervisor", "/api/v1/metrics/avoided?on=9999-12-31"),
    ("coordinator", "/coordinator/queue?date_to=9999-12-31"),
    ("coordinator", "/coordinator/queue?date_from=0001-01-01&date_to=9999-12-31"),
]


@pytest.mark.parametrize("role, path", FAR_DATES)
def test_a_date_at_the_end_of_the_calendar_is_refused_not_a_500(client_as, role, path):
    response = client_as(role).get(path)
    assert response.status_code in (200, 400, 422), response.status_code


def test_the_api_names_the_far_date(client_as):
    response = client_as("coordinator").get("/api/v1/requests?to=9999-12-31")
    assert response.status_code == 422
    assert "to" in response.json["errors"]["query"]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [500, 100_000])
def test_deeply_nested_json_is_a_400_even_before_sign_in(client, depth):
    response = client.post("/api/v1/runs", data=_nested(depth), content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json["message"]


def test_a_lone_surrogate_in_json_is_a_400(client_as):
    response = client_as("coordinator").post("/api/v1/runs", data='{"horizon_start": "\\ud800"}',
                                             content_type="application/json")
    assert response.status_code == 400
    assert "Unicode" in response.json["message"]


def test_a_newline_in_next_is_ignored_not_a_500(client, users):
    response = client.post("/login?next=/%0a/evil.example", data={"username": "test-admin",
                                                                   "password": "jointinspect-demo"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("body", ["\r0", "inspector,day,start,end\r\nX,2027-03-01,07:00,\x0015:00\r\n", "a," + "x" * 140_000])
def test_a_shift_file_the_csv_module_cannot_read_is_a_422(client_as, body):
    response = client_as("coordinator").post("/api/v1/shifts/csv", data=body.encode(), content_type="text/csv")
    assert response.status_code in (400, 422), response.status_code
