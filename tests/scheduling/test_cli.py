"""The optimize and validate commands on the example scenario, and their errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from scheduling.cli import optimize_command, validate_command
from tests.scheduling.builders import EXAMPLE



def optimize(tmp_path, *extra):
    out = tmp_path / "schedule.json"
    result = CliRunner().invoke(optimize_command, ["--scenario", str(EXAMPLE), "--out", str(out),
                                                   "--time-limit", "3", *extra])
    return result, out


def test_optimize_writes_a_schedule_and_shows_progress(tmp_path):
    result, out = optimize(tmp_path)
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert document["format"] == "jointinspect-schedule/1"
    assert document["stats"]["requests"] == 10
    assert "heuristic" in result.stderr and "served" in result.stderr and "bound" in result.stderr


def test_validate_accepts_what_optimize_wrote(tmp_path):
    _, out = optimize(tmp_path)
    result = CliRunner().invoke(validate_command, ["--scenario", str(EXAMPLE), "--schedule", str(out)])
    assert result.exit_code == 0
    assert "valid" in result.stdout


def test_validate_lists_violations_and_exits_1(tmp_path):
    _, out = optimize(tmp_path)
    document = json.loads(out.read_text())
    inland = next(a for a in document["assignments"] if a["type"] == "joint_inland")
    inland["inspectors"] = inland["inspectors"][:1]
    out.write_text(json.dumps(document))
    result = CliRunner().invoke(validate_command, ["--scenario", str(EXAMPLE), "--schedule", str(out)])
    assert result.exit_code == 1
    assert inland["request"] in result.stdout


def test_a_version_2_plan_inspects_north_of_the_border_only_after_the_truck_crossed(tmp_path):
    _, out = optimize(tmp_path)
    document = json.loads(out.read_text())
    [north] = [a for a in document["assignments"] if a["site"] == "US-NOGALES-JIS"]
    request = next(r for r in json.loads(EXAMPLE.read_text())["requests"] if r["id"] == north["request"])
    assert north["start"] > request["arrive_port"]  # the same offset: strings compare as times
    assert not [a for a in document["assignments"] if a["request"] == north["request"] and a["type"] == "border"]
    assert {"request": north["request"], "decision": "joint_us_site", "rule": "MR-EX-TOMATO"} \
        in document["border_decisions"]


def test_validate_refuses_a_us_site_booked_before_the_port(tmp_path):
    _, out = optimize(tmp_path)
    document = json.loads(out.read_text())
    north = next(a for a in document["assignments"] if a["site"] == "US-NOGALES-JIS")
    north["start"], north["end"] = "2027-03-02T11:00:00-06:00", "2027-03-02T12:00:00-06:00"
    out.write_text(json.dumps(document))
    result = CliRunner().invoke(validate_command, ["--scenario", str(EXAMPLE), "--schedule", str(out)])
    assert result.exit_code == 1
    assert "north of the border" in result.stdout and "crosses at Nogales Mariposa" in result.stdout


def test_validate_refuses_an_inspection_before_the_load_could_arrive_from_its_packhouse(tmp_path):
    _, out = optimize(tmp_path)
    document = json.loads(out.read_text())
    scenario = json.loads(EXAMPLE.read_text())
    inland = next(a for a in document["assignments"] if a["type"] == "joint_inland" and a["site"] != "US-NOGALES-JIS")
    # the packhouse moves to the far north of Sonora: the load cannot be there by then
    next(r for r in scenario["requests"] if r["id"] == inland["request"])["origin"] = {"lat": 31.0, "lon": -112.0}
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps(scenario))
    result = CliRunner().invoke(validate_command, ["--scenario", str(moved), "--schedule", str(out)])
    assert result.exit_code == 1
    assert "drive from its packhouse" in result.stdout and inland["request"] in result.stdout


def test_optimize_with_a_previous_schedule_reports_what_moved(tmp_path):
    _, first = optimize(tmp_path)
    again = tmp_path / "again.json"
    result = CliRunner().invoke(optimize_command, ["--scenario", str(EXAMPLE), "--out", str(again),
                                                   "--time-limit", "2", "--previous", str(first)])
    assert result.exit_code == 0, result.output
    assert "kept" in result.stderr and "moved 0" in result.stderr


def test_invalid_scenario_names_field_and_entity_without_a_traceback(tmp_path):
    document = json.loads(EXAMPLE.read_text())
    document["requests"][0]["ready"] = "2027-03-01T08:00:00"  # no UTC offset
    request_id = document["requests"][0]["id"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    result = CliRunner().invoke(optimize_command, ["--scenario", str(bad), "--out", str(tmp_path / "o.json")])
    assert result.exit_code != 0
    assert "ready" in result.output and request_id in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(optimize_command, ["--scenario", str(tmp_path / "none.json"),
                                                   "--out", str(tmp_path / "o.json")])
    assert result.exit_code != 0
    assert "cannot read" in result.output
