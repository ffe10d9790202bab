"""The benchmark scenario generator: valid exchange documents, deterministic, with real geography."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduling.exchange import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def _load_generator():
    # bench/ is not an installed package, so load it from the repository like `python bench/...` does
    spec = importlib.util.spec_from_file_location("bench_scenarios_under_test", ROOT / "bench" / "scenarios.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


scenarios = _load_generator()


@pytest.fixture(scope="module", params=["S", "M"])
def generated(request):
    return request.param, scenarios.generate(scenarios.SIZES[request.param])


def test_sizes_are_the_issues_sizes():
    assert scenarios.SIZES == {"S": 60, "M": 400, "L": 1500, "XL": 4000}


def test_generated_scenarios_load_without_problems(generated):
    size, document = generated
    scenario = load_scenario(document)
    assert len(scenario.requests) == scenarios.SIZES[size]
    agencies = Counter(i.agency for i in scenario.inspectors)
    assert agencies["APHIS"] == agencies["SENASICA"] > 0 and agencies["CBP"] > 0


def test_generation_is_deterministic_for_a_seed():
    assert scenarios.generate(60, seed=7) == scenarios.generate(60, seed=7)
    assert scenarios.generate(60, seed=7) != scenarios.generate(60, seed=8)


def test_week_starts_on_a_monday_and_requests_fall_in_it(generated):
    _, document = generated
    scenario = load_scenario(document)
    assert scenario.horizon.start.date() == date(2027, 3, 1) and scenario.horizon.start.weekday() == 0
    assert scenario.horizon.end - scenario.horizon.start == timedelta(days=7)
    assert all(scenario.horizon.start <= r.ready < scenario.horizon.end for r in scenario.requests)
    assert all(r.ready <= r.arrive_port < r.cross_by for r in scenario.requests)


def test_requests_follow_real_produce_routes(generated):
    _, document = generated
    scenario = load_scenario(document)
    ports = {s.id for s in scenario.sites if s.kind == "port"}
    assert ports <= {"US-NOGALES", "US-PHARR", "US-OTAY", "US-LAREDO-WTB"}
    routes = {(r.commodity, r.port) for r in scenario.requests}
    assert ("avocado", "US-NOGALES") not in routes and ("grape", "US-PHARR") not in routes
    by_port = Counter(r.port for r in scenario.requests)
    assert by_port.most_common(1)[0][0] == "US-NOGALES"  # ~1,000 produce trucks a day at peak
    for r in scenario.requests:
        assert 45 <= r.inspection_minutes <= 120 and 30 <= r.border_inspection_minutes <= 60
        assert 1 <= r.priority <= 5


@pytest.mark.parametrize(("week", "pharr_offset"), [
    (date(2027, 3, 3), timedelta(hours=-6)),  # central standard time; the Monday is 1 March
    (date(2027, 3, 15), timedelta(hours=-5)),  # the US changed to daylight saving time on 14 March
], ids=["before-dst", "after-dst"])
def test_shifts_are_eight_local_hours_with_the_home_sites_offset(week, pharr_offset):
    scenario = load_scenario(scenarios.generate(400, week_start=week))
    assert scenario.horizon.start.weekday() == 0 and scenario.horizon.start.date() <= week
    zones = {s.id: ZoneInfo(s.timezone) for s in scenario.sites}
    for inspector in scenario.inspectors:
        zone = zones[inspector.home_site]
        assert len(inspector.shifts) <= 5
        for shift in inspector.shifts:
            start, end = shift.start.astimezone(zone), shift.end.astimezone(zone)
            assert shift.start.utcoffset() == start.utcoffset()
            assert start.minute == 0 and end.replace(tzinfo=None) - start.replace(tzinfo=None) == timedelta(hours=8)
    pharr = {s.start.utcoffset() for i in scenario.inspectors if i.home_site == "US-PHARR" for s in i.shifts}
    mexico_city = {s.start.utcoffset() for i in scenario.inspectors if i.home_site == "MX-URUAPAN" for s in i.shifts}
    assert pharr == {pharr_offset} and mexico_city == {timedelta(hours=-6)}


def test_rules_cover_some_commodities_and_not_others(generated):
    _, document = generated
    scenario = load_scenario(document)
    covered = {c for rule in scenario.rules if rule.active for c in rule.commodities}
    assert {"avocado", "tomato", "berries"} <= covered
    assert not {"cucumber", "mango", "broccoli"} & covered


def test_command_line_writes_a_size_to_a_file(tmp_path):
    out = tmp_path / "s.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "scenarios.py"), "S", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(load_scenario(json.loads(out.read_text(encoding="utf-8"))).requests) == 60


def test_generated_weeks_are_version_2_with_each_loads_packhouse(generated):
    _, document = generated
    assert document["format"] == "jointinspect-scenario/2"
    scenario = load_scenario(document)
    for request in scenario.requests:
        lat, lon, radius = scenarios.facts.PACKING_AREAS[request.origin_state]
        # within the state's packing area (Calexico's loads come from the Mexicali valley)
        assert abs(request.origin.lat - lat) * 111.2 <= radius + 1 or request.port == "US-CALEXICO-E"


def test_loads_for_a_us_joint_facility_cross_first_and_can_reach_it_in_time(generated):
    _, document = generated
    scenario = load_scenario(document)
    north = [r for r in scenario.requests if r.sites and scenario.site(r.sites[0]).north_of_border]
    assert north, "the Nogales and McAllen joint facilities take some loads"
    for request in north:
        drive = scenario.travel_from_origin(request, request.port) + scenario.travel(request.port, request.sites[0])
        assert request.ready + timedelta(minutes=drive + request.inspection_minutes) <= request.cross_by


def test_the_national_week_uses_every_port_of_the_seed_data_and_every_site_of_its_flows():
    scenario = load_scenario(scenarios.generate(1500, national=True))
    with open(ROOT / "seed_data" / "reference" / "border-sites.csv", encoding="utf-8") as reference:
        rows = [row.split(",") for row in reference.read().splitlines()[1:]]
    seed_ports = {row[0] for row in rows if row[2] == "port"}
    flow_sites = {s for sites in scenarios.facts.INLAND_SITES.values() for s in sites} | set(scenarios.facts.NEAR_BORDER_SITES)
    assert {s.id for s in scenario.sites} == seed_ports | flow_sites
    assert len(seed_ports) == 8 and len(flow_sites) == 12 and flow_sites <= {row[0] for row in rows}
    ports = Counter(r.port for r in scenario.requests)
    assert set(ports) == seed_ports and ports.most_common(1)[0][0] == "US-NOGALES"
