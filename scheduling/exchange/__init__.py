"""The exchange format (jointinspect-scenario/1, jointinspect-schedule/1): read, check, write."""

from scheduling.exchange.fields import Problem, ScenarioError
from scheduling.exchange.scenario_reader import SCENARIO_FORMAT
from scheduling.exchange.writing import (SCHEDULE_FORMAT, dump_json, load_scenario, load_scenario_file,
                                         load_schedule, load_schedule_file, scenario_to_dict,
                                         schedule_to_dict)

__all__ = [
    "Problem",
    "ScenarioError",
    "SCENARIO_FORMAT",
    "SCHEDULE_FORMAT",
    "load_scenario",
    "load_scenario_file",
    "scenario_to_dict",
    "load_schedule",
    "load_schedule_file",
    "schedule_to_dict",
    "dump_json",
]
