"""Scenario export and import through the API, as through the CLI: all or nothing, every problem listed."""

from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest
import sqlalchemy as sa

from app.models import Inspector, Shipment, Site
from scheduling.exchange import load_scenario
from tests.factories import make_exporter, make_shipment

from tests.scheduling.builders import EXAMPLE  # noqa: E402
URL = "/api/v1/exchange/scenario"
HORIZON = {"start": "2027-03-01T00:00:00-06:00", "end": "2027-03-08T00:00:00-06:00"}


@pytest.fixture
def document() -> dict:
    return json.loads(EXAMPLE.read_text())


def _count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_import_then_export_gives_back_the_scenario(client_as, db_session, document):
    client = client_as("coordinator")
    imported = client.post(URL, json=document)
    assert imported.status_code == 200, imported.json
    assert imported.json["created"]["requests"] == 10 and imported.json["updated"] == {}
    exported = client.get(URL, query_string=HORIZON)
    assert exported.status_code == 200 and exported.json["format"] == "jointinspect-scenario/2"
    original, back = load_scenario(document), load_scenario(exported.json)
    assert {r.id: r for r in back.requests} == {r.id: r for r in original.requests}
    horizon = original.horizon
    # A list of qualifications has no order: the database keeps them as a set and writes them sorted.
    in_horizon = {i.id: replace(i, shifts=tuple(s for s in i.shifts if s.end > horizon.start and s.start < horizon.end),
                                commodities=tuple(sorted(i.commodities)))
                  for i in original.inspectors}
    assert {i.id: i for i in back.inspectors} == in_horizon
    assert back.rules == original.rules
    assert {s.id: s.country for s in back.sites} == {s.id: s.country for s in original.sites}


def test_importing_twice_updates(client_as, db_session, document):
    client = client_as("admin")
    client.post(URL, json=document)
    again = client.post(URL, json=document)
    assert again.status_code == 200 and again.json["created"] == {} and again.json["updated"]["requests"] == 10
    assert _count(db_session, Shipment) == 10


def test_every_problem_is_listed_by_path_and_nothing_imported(client_as, db_session, document):
    broken = copy.deepcopy(document)
    broken["sites"][0]["lat"] = "north"
    broken["requests"][0]["ready"] = "2027-03-05T15:45:00"
    del broken["inspectors"][0]["agency"]
    response = client_as("coordinator").post(URL, json=broken)
    assert response.status_code == 422
    problems = response.json["errors"]["json"]
    assert len(problems) >= 3, problems
    assert any("lat" in path for path in problems) and any("ready" in path for path in problems)
    assert any("agency" in path for path in problems)
    assert all(isinstance(messages, list) and messages for messages in problems.values())
    assert _count(db_session, Inspector) == 0


def test_not_a_document(client_as, db_session):
    client = client_as("coordinator")
    listed = client.post(URL, json=[1, 2])
    assert listed.status_code == 422 and "(document)" in listed.json["errors"]["json"]
    text = client.post(URL, data="not json", content_type="application/json")
    assert text.status_code == 422
    wrong = client.post(URL, json={"format": "jointinspect-schedule/1"})
    assert wrong.status_code == 422 and "format" in wrong.json["errors"]["json"]


def test_a_refused_import_leaves_nothing_behind(client_as, db_session, document):
    reference = document["requests"][-1]["id"]
    make_shipment(db_session, exporter=make_exporter(db_session), reference=reference, status="cancelled")
    db_session.commit()
    sites_before = _count(db_session, Site)
    response = client_as("coordinator").post(URL, json=document)
    assert response.status_code == 422, response.json
    assert reference in response.json["message"] and "requests" in response.json["errors"]["json"]
    db_session.expire_all()
    assert _count(db_session, Site) == sites_before and _count(db_session, Inspector) == 0
    assert _count(db_session, Shipment) == 1


def test_import_is_idempotent_with_a_key(client_as, db_session, document):
    client = client_as("coordinator")
    headers = {"Idempotency-Key": "scenario-import-1"}
    first = client.post(URL, json=document, headers=headers)
    replayed = client.post(URL, json=document, headers=headers)
    assert first.status_code == replayed.status_code == 200
    assert replayed.headers.get("Idempotent-Replayed") == "true" and replayed.json == first.json
    other = copy.deepcopy(document)
    other["requests"] = other["requests"][:1]
    assert client.post(URL, json=other, headers=headers).status_code == 422


def test_export_horizon_is_checked(client_as, db_session):
    client = client_as("coordinator")
    naive = client.get(URL, query_string={"start": "2027-03-01T00:00:00", "end": "2027-03-08T00:00:00Z"})
    assert naive.status_code == 422 and "start" in naive.json["errors"]["query"]
    too_long = client.get(URL, query_string={"start": "2027-03-01T00:00:00Z", "end": "2027-04-02T00:00:00Z"})
    assert too_long.status_code == 422 and "end" in too_long.json["errors"]["query"]
    backwards = client.get(URL, query_string={"start": "2027-03-08T00:00:00Z", "end": "2027-03-01T00:00:00Z"})
    assert backwards.status_code == 422 and "end" in backwards.json["errors"]["query"]
    assert client.get(URL, query_string={**HORIZON, "extra": "1"}).status_code == 422


def test_only_planners_exchange(client_as, db_session, document):
    for role in ("exporter", "supervisor", "inspector", "officer"):
        client = client_as(role)
        assert client.get(URL, query_string=HORIZON).status_code == 403, role
        assert client.post(URL, json=document).status_code == 403, role
    assert _count(db_session, Inspector) == 0


def test_a_version_1_document_keeps_its_meaning_and_is_exported_as_it_came(client_as, db_session):
    """Version 1 has no origins: the requests are stored without one (planned as version 1 planned them)."""
    from tests.scheduling.builders import EXAMPLE_V1

    client = client_as("coordinator")
    document = json.loads(EXAMPLE_V1.read_text())
    assert client.post(URL, json=document).status_code == 200
    stored = db_session.scalars(sa.select(Shipment)).all()
    assert stored and all(s.origin_lat is None and s.origin_lon is None for s in stored)
    horizon = {"start": document["horizon"]["start"], "end": document["horizon"]["end"]}
    exported = client.get(URL, query_string=horizon)
    assert exported.status_code == 200 and exported.json["format"] == "jointinspect-scenario/1"
    assert {r.id: r for r in load_scenario(exported.json).requests} == {
        r.id: r for r in load_scenario(document).requests}


def test_beside_version_2_requests_a_version_1_request_is_exported_from_its_state_centre(client_as, db_session,
                                                                                         document):
    client = client_as("coordinator")
    assert client.post(URL, json=document).status_code == 200
    old = db_session.scalar(sa.select(Shipment).order_by(Shipment.reference).limit(1))
    old.origin_lat = old.origin_lon = None  # as a version 1 import leaves it
    db_session.flush()
    exported = client.get(URL, query_string=HORIZON)
    assert exported.status_code == 200 and exported.json["format"] == "jointinspect-scenario/2"
    written = next(r for r in exported.json["requests"] if r["id"] == old.reference)
    centres = json.loads((EXAMPLE.parents[3] / "seed_data" / "state_centres.json").read_text())["centres"]
    assert [written["origin"]["lat"], written["origin"]["lon"]] == centres[old.origin_state]
