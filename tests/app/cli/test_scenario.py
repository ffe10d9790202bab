"""Scenario files in and out of the database through the command line."""

from __future__ import annotations

import json
from dataclasses import replace

import sqlalchemy as sa

from app.models import Shipment, Site
from scheduling.exchange import load_scenario, load_scenario_file
from tests.factories import force_status

from tests.scheduling.builders import EXAMPLE  # noqa: E402


def test_import_then_export_gives_back_the_same_scenario(runner, db_session, tmp_path):
    result = runner.invoke(args=["scenario", "import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "requests: 10 created" in result.output
    out = tmp_path / "out.json"
    result = runner.invoke(args=["scenario", "export", "--start", "2027-03-01", "--days", "7", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["format"] == "jointinspect-scenario/2"
    original, exported = load_scenario_file(EXAMPLE), load_scenario_file(out)
    assert {r.id: r for r in exported.requests} == {r.id: r for r in original.requests}
    horizon = original.horizon
    # A list of qualifications has no order: the database keeps them as a set and writes them sorted.
    in_horizon = {i.id: replace(i, shifts=tuple(s for s in i.shifts if s.end > horizon.start and s.start < horizon.end),
                                commodities=tuple(sorted(i.commodities)))
                  for i in original.inspectors}
    assert {i.id: i for i in exported.inspectors} == in_horizon
    assert exported.rules == original.rules
    assert {s.id: s.country for s in exported.sites} == {s.id: s.country for s in original.sites}


def test_importing_twice_updates_instead_of_duplicating(runner, db_session):
    runner.invoke(args=["scenario", "import", str(EXAMPLE)])
    result = runner.invoke(args=["scenario", "import", str(EXAMPLE)])
    assert "requests: 0 created, 10 updated" in result.output
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Shipment)) == 10


def test_an_invalid_scenario_imports_nothing_and_names_the_problem(runner, db_session, tmp_path):
    data = json.loads(EXAMPLE.read_text())
    data["requests"][0]["cross_by"] = "2027-03-02T10:00:00"  # no offset
    data["sites"][0]["bays"] = 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    result = runner.invoke(args=["scenario", "import", str(bad)])
    assert result.exit_code != 0
    assert "cross_by" in result.output and "bays" in result.output
    assert "Traceback" not in result.output
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Site)) == 0


def test_a_request_that_is_already_inspected_is_not_replaced(runner, db_session):
    runner.invoke(args=["scenario", "import", str(EXAMPLE)])
    first_id = load_scenario(json.loads(EXAMPLE.read_text())).requests[0].id
    request = db_session.scalar(sa.select(Shipment).where(Shipment.reference == first_id))
    force_status(request, "inspected")
    db_session.commit()
    result = runner.invoke(args=["scenario", "import", str(EXAMPLE)])
    assert result.exit_code != 0
    assert "nothing imported" in result.output and "already inspected" in result.output
