"""Writing exchange documents: exactly the spec's shape, and what is written reads back unchanged."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduling.domain import ScheduledBorderDecision
from scheduling.exchange import (dump_json, load_scenario, load_scenario_file, load_schedule_file,
                                 scenario_to_dict, schedule_to_dict)
from tests.scheduling.builders import EXAMPLE_V1


def test_scenario_round_trips_through_dict_and_file(example, tmp_path):
    example["travel_minutes"] = {"MX-URUAPAN": {"MX-CDGUZMAN": 95, "US-PHARR": 1100}}
    example["requests"][1]["sites"] = ["MX-CULIACAN"]
    example["exporters"][0]["certifications"][0]["valid_from"] = "2024-01-01"
    example["requests"][2]["border_required"] = "selected at random for a verification inspection"
    scenario = load_scenario(example)
    assert scenario.requests[2].border_required.startswith("selected")
    document = scenario_to_dict(scenario)
    assert load_scenario(document) == scenario
    assert document["requests"][0]["ready"] == example["requests"][0]["ready"]
    dump_json(document, tmp_path / "copy.json")
    assert load_scenario_file(tmp_path / "copy.json") == scenario


def test_scenarios_are_written_as_version_2_with_each_origin(example):
    document = scenario_to_dict(load_scenario(example))
    assert document["format"] == "jointinspect-scenario/2"
    assert document["requests"][0]["origin"] == example["requests"][0]["origin"]


def test_a_scenario_without_origins_is_written_as_version_1_and_keeps_its_meaning():
    scenario = load_scenario_file(EXAMPLE_V1)
    document = scenario_to_dict(scenario)
    assert document["format"] == "jointinspect-scenario/1"
    assert "origin" not in document["requests"][0]
    assert load_scenario(document) == scenario


def test_a_scenario_where_only_some_requests_have_an_origin_is_refused(example):
    scenario = load_scenario(example)
    requests = (replace(scenario.requests[0], origin=None), *scenario.requests[1:])
    with pytest.raises(ValueError, match="REQ-00004 has none"):
        scenario_to_dict(replace(scenario, requests=requests))


def test_a_joint_us_site_decision_names_its_rule_and_reads_back(schedule, tmp_path):
    decision = ScheduledBorderDecision("REQ-00019", "joint_us_site", rule="MR-EX-TOMATO")
    schedule = replace(schedule, border_decisions=(*schedule.border_decisions, decision))
    document = schedule_to_dict(schedule)
    assert document["border_decisions"][-1] == {"request": "REQ-00019", "decision": "joint_us_site",
                                                "rule": "MR-EX-TOMATO"}
    dump_json(document, tmp_path / "out.json")
    assert load_schedule_file(tmp_path / "out.json").border_decisions[-1] == decision


def test_schedule_document_has_exactly_the_spec_shape(schedule):
    document = schedule_to_dict(schedule)
    assert document["format"] == "jointinspect-schedule/1"
    assert document["assignments"][0]["pinned"] is True and "pinned" not in document["assignments"][1]
    assert set(document["assignments"][1]) == {"request", "type", "site", "start", "end", "inspectors"}
    assert document["assignments"][0]["start"] == "2027-03-01T10:00:00-06:00"
    assert document["border_decisions"] == [
        {"request": "REQ-00010", "decision": "waived", "rule": "MR-EX-AVOCADO"},
        {"request": "REQ-00013", "decision": "required", "reasons": ["exporter holds no OEA certificate"]},
    ]
    assert document["unscheduled"] == [{"request": "REQ-00004", "reason": "no qualified SENASICA inspector free"}]
    stats = document["stats"]
    assert list(stats)[:7] == ["status", "objective", "bound", "wall_seconds", "requests", "served",
                               "border_inspections_avoided"]
    assert (stats["status"], stats["objective"], stats["served"], stats["border_inspections_avoided"],
            stats["requests"]) == ("FEASIBLE", 8, 2, 1, 3)


def test_schedule_round_trips(schedule, tmp_path):
    dump_json(schedule_to_dict(schedule), tmp_path / "out.json")
    loaded = load_schedule_file(tmp_path / "out.json")
    assert loaded == schedule and loaded.stats["objective"] == 8
