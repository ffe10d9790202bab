"""Reading a scenario document: the example loads, every kind of bad input is named, defaults apply."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from scheduling.domain import Origin
from scheduling.exchange import Problem, ScenarioError, load_scenario, load_scenario_file
from tests.scheduling.builders import EXAMPLE, EXAMPLE_V1


def problems_of(data: dict) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)
    return caught.value.problems


def test_the_example_scenario_loads():
    scenario = load_scenario_file(EXAMPLE)
    assert [s.id for s in scenario.sites][:2] == ["US-NOGALES", "US-PHARR"]
    assert len(scenario.requests) == 10 and len(scenario.inspectors) == 13 and len(scenario.rules) == 2
    request = scenario.requests[0]
    assert request.sealable is True and request.sites is None
    # the offset is kept as written, and arrive_port keeps its seconds
    assert request.arrive_port.isoformat() == "2027-03-05T15:47:30-06:00"
    assert request.origin == Origin(29.0892, -111.011)
    assert scenario.site("US-NOGALES-JIS").north_of_border
    assert scenario.rules[0].valid_to is None and scenario.rules[0].active is True
    assert scenario.rules[0].valid_from == date(2027, 1, 1)


def test_a_version_1_document_keeps_version_1s_meaning():
    scenario = load_scenario_file(EXAMPLE_V1)
    assert all(r.origin is None for r in scenario.requests)
    # an origin in a version 1 document is not part of version 1: it is not read
    document = json.loads(EXAMPLE_V1.read_text(encoding="utf-8"))
    document["requests"][0]["origin"] = {"lat": 19.4, "lon": -102.1}
    assert load_scenario(document).requests[0].origin is None


def test_version_2_needs_every_requests_origin(example):
    del example["requests"][1]["origin"]
    example["requests"][2]["origin"] = {"lat": 95, "lon": -102.1}
    example["requests"][3]["origin"] = "Culiacan"
    problems = {p.path: p.message for p in problems_of(example)}
    assert problems == {
        "requests[1] (REQ-00009).origin": "is missing",
        "requests[2] (REQ-00010).origin.lat": "must be a number from -90 to 90, got 95",
        "requests[3] (REQ-00012).origin": "must be an object, got a string",
    }


def _set(path: str, value):
    """A change to a document: set the value at a dotted path (list indexes as numbers)."""
    def change(data: dict) -> None:
        *parents, last = path.split(".")
        target = data
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is _DELETE:
            del target[int(last) if isinstance(target, list) else last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return change


_DELETE = object()

# name: (change, expected problem path, words the message must contain)
BAD_INPUTS = {
    "wrong_format": (_set("format", "jointinspect-scenario/3"), "format", "'jointinspect-scenario/2'"),
    "time_without_offset": (_set("requests.2.cross_by", "2027-03-01T08:00"), "requests[2] (REQ-00010).cross_by",
                            "time has no UTC offset: '2027-03-01T08:00'"),
    "not_a_time": (_set("requests.2.ready", "tomorrow"), "requests[2] (REQ-00010).ready", "not an ISO 8601 time"),
    "duplicate_site_id": (_set("sites.1.id", "US-NOGALES"), "sites[1] (US-NOGALES).id", "duplicate site id"),
    "duplicate_request_id": (_set("requests.1.id", "REQ-00004"), "requests[1] (REQ-00004).id", "duplicate request id"),
    "unknown_port": (_set("requests.0.port", "US-NOWHERE"), "requests[0] (REQ-00004).port", "no site has id 'US-NOWHERE'"),
    "port_of_wrong_kind": (_set("requests.0.port", "MX-URUAPAN"), "requests[0] (REQ-00004).port", "not 'port'"),
    "request_site_is_a_port": (_set("requests.0.sites", ["US-PHARR"]), "requests[0] (REQ-00004).sites", "not 'inland'"),
    "unknown_exporter": (_set("requests.0.exporter", "EXP-999"), "requests[0] (REQ-00004).exporter", "EXP-999"),
    "unknown_home_site": (_set("inspectors.0.home_site", "MX-X"), "inspectors[0] (APHIS-0001).home_site", "MX-X"),
    "bad_timezone": (_set("sites.0.timezone", "America/Nogales_Sonora"), "sites[0] (US-NOGALES).timezone", "IANA"),
    "bad_hhmm": (_set("sites.0.hours.0.open", "6:00"), "sites[0] (US-NOGALES).hours[0].open", "HH:MM"),
    "hour_25": (_set("sites.0.hours.0.close", "25:00"), "sites[0] (US-NOGALES).hours[0].close", "HH:MM"),
    "open_24": (_set("sites.0.hours.0.open", "24:00"), "sites[0] (US-NOGALES).hours[0].open", "HH:MM"),
    "close_before_open": (_set("sites.0.hours.0.close", "05:00"), "sites[0] (US-NOGALES).hours[0].close", "after open"),
    "bad_day": (_set("sites.0.hours.0.days", ["monday"]), "sites[0] (US-NOGALES).hours[0].days", "'monday'"),
    "priority_0": (_set("requests.0.priority", 0), "requests[0] (REQ-00004).priority", "from 1 to 5"),
    "priority_6": (_set("requests.0.priority", 6), "requests[0] (REQ-00004).priority", "from 1 to 5"),
    "priority_as_text": (_set("requests.0.priority", "3"), "requests[0] (REQ-00004).priority", "whole number"),
    "bays_0": (_set("sites.0.bays", 0), "sites[0] (US-NOGALES).bays", ">= 1"),
    "negative_minutes": (_set("requests.0.inspection_minutes", -45), "requests[0] (REQ-00004).inspection_minutes",
                         "positive whole number of minutes"),
    "fractional_minutes": (_set("requests.0.border_inspection_minutes", 30.5),
                           "requests[0] (REQ-00004).border_inspection_minutes", "whole number"),
    "boolean_minutes": (_set("requests.0.inspection_minutes", True), "requests[0] (REQ-00004).inspection_minutes",
                        "whole number"),
    "zero_daily_cap": (_set("inspectors.0.max_minutes_per_day", 0), "inspectors[0] (APHIS-0001).max_minutes_per_day",
                       ">= 1"),
    "bad_kind": (_set("sites.0.kind", "border"), "sites[0] (US-NOGALES).kind", "inland, port"),
    "bad_country": (_set("sites.0.country", "CA"), "sites[0] (US-NOGALES).country", "US, MX"),
    "bad_agency": (_set("inspectors.0.agency", "USDA"), "inspectors[0] (APHIS-0001).agency", "APHIS, SENASICA, CBP"),
    "shift_ends_before_start": (_set("inspectors.0.shifts.0.end", "2027-03-01T05:00:00-06:00"),
                                "inspectors[0] (APHIS-0001).shifts[0].end", "after start"),
    "ready_after_cross_by": (_set("requests.0.ready", "2027-03-08T00:00:00-06:00"),
                             "requests[0] (REQ-00004).cross_by", "before ready"),
    "sealable_not_bool": (_set("requests.0.sealable", "yes"), "requests[0] (REQ-00004).sealable", "true or false"),
    "missing_commodity": (_set("requests.0.commodity", _DELETE), "requests[0] (REQ-00004).commodity", "missing"),
    "rule_without_commodities": (_set("rules.0.commodities", []), "rules[0] (MR-EX-AVOCADO).commodities", "empty"),
    "rule_bad_date": (_set("rules.0.valid_from", "2027-3-1"), "rules[0] (MR-EX-AVOCADO).valid_from", "YYYY-MM-DD"),
    "rule_negative_hours": (_set("rules.0.max_hours_before_crossing", -1),
                            "rules[0] (MR-EX-AVOCADO).max_hours_before_crossing", ">= 0"),
    "rule_ends_before_start": (_set("rules.1.valid_to", "2026-12-31"), "rules[1] (MR-EX-TOMATO).valid_to",
                               "before valid_from"),
    "certification_bad_date": (_set("exporters.0.certifications.0.valid_until", "31/12/2026"),
                               "exporters[0] (EXP-001).certifications[0].valid_until", "YYYY-MM-DD"),
    "horizon_backwards": (_set("horizon.end", "2027-02-01T00:00:00-06:00"), "horizon.end", "after start"),
    "travel_unknown_site": (_set("travel_minutes", {"US-NOGALES": {"MX-NOPE": 30}}),
                            "travel_minutes.US-NOGALES.MX-NOPE", "no site has id 'MX-NOPE'"),
    "travel_negative": (_set("travel_minutes", {"US-NOGALES": {"US-PHARR": -5}}),
                        "travel_minutes.US-NOGALES.US-PHARR", ">= 0"),
    "sites_not_a_list": (_set("sites", {}), "sites", "must be a list"),
    "request_not_an_object": (_set("requests.0", "REQ-1"), "requests[0]", "must be an object"),
}


@pytest.mark.parametrize(("change", "path", "words"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_each_kind_of_bad_input_names_the_field_and_entity(example, change, path, words):
    change(example)
    problems = problems_of(example)
    matching = [p for p in problems if p.path == path]
    assert matching, problems
    assert any(words in p.message for p in matching), matching


def test_all_problems_are_collected_and_listed_one_per_line(example):
    example["requests"][0]["priority"] = 0
    example["requests"][3]["cross_by"] = "2027-03-06T17:50"
    example["sites"][2]["bays"] = 0
    with pytest.raises(ScenarioError) as caught:
        load_scenario(example)
    lines = str(caught.value).splitlines()
    assert lines == [
        "sites[2] (MX-URUAPAN).bays: must be a whole number >= 1, got 0",
        "requests[0] (REQ-00004).priority: must be a whole number from 1 to 5, got 0",
        "requests[3] (REQ-00012).cross_by: time has no UTC offset: '2027-03-06T17:50'",
    ]


def test_optional_fields_take_their_defaults_and_unknown_keys_are_ignored(example):
    example["x-exported-by"] = "another installation"
    example["requests"][0]["sites"] = ["MX-CULIACAN"]
    example["requests"][0]["sealable"] = False
    example["requests"][0]["notes"] = "project-specific optional field"
    example["rules"][0]["max_hours_before_crossing"] = None
    example["travel_minutes"] = {"MX-URUAPAN": {"MX-CDGUZMAN": 95}}
    scenario = load_scenario(example)
    assert scenario.requests[0].sites == ("MX-CULIACAN",) and scenario.requests[0].sealable is False
    assert scenario.rules[0].max_hours_before_crossing is None
    assert scenario.travel("MX-CDGUZMAN", "MX-URUAPAN") == 95


def test_close_at_24_00_and_utc_z_times_are_accepted(example):
    example["sites"][0]["hours"][0]["close"] = "24:00"
    example["horizon"]["start"] = "2027-03-01T06:00:00Z"
    scenario = load_scenario(example)
    assert scenario.sites[0].hours[0].close == "24:00"
    assert scenario.horizon.start.utcoffset() == timedelta(0)
