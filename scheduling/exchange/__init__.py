"""The exchange format (jointinspect-scenario/2 and /1, jointinspect-schedule/1): read, check, write."""

from scheduling.exchange.errors import Problem, ScenarioError
from scheduling.exchange.formats import SCENARIO_FORMAT, SCENARIO_FORMAT_V1, SCHEDULE_FORMAT
from scheduling.exchange.reading import load_scenario, load_scenario_file, load_schedule, load_schedule_file
from scheduling.exchange.writing import dump_json, scenario_to_dict, schedule_to_dict

__all__ = [
    "Problem",
    "ScenarioError",
    "SCENARIO_FORMAT",
    "SCENARIO_FORMAT_V1",
    "SCHEDULE_FORMAT",
    "load_scenario",
    "load_scenario_file",
    "scenario_to_dict",
    "load_schedule",
    "load_schedule_file",
    "schedule_to_dict",
    "dump_json",
]
