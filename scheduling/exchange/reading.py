"""Reading exchange documents, parsed or from files; every fault comes back as one ScenarioError."""

from __future__ import annotations

import json
from pathlib import Path

from scheduling.domain import Scenario, Schedule
from scheduling.exchange.errors import Problem, ScenarioError
from scheduling.exchange.scenario_reader import read_scenario
from scheduling.exchange.schedule_reader import read_schedule


def load_scenario(data: dict) -> Scenario:
    """The scenario described by a parsed JSON document; ScenarioError lists every problem in it."""
    return read_scenario(data)


def load_scenario_file(path) -> Scenario:
    """The scenario in a JSON file; unreadable files and JSON syntax errors are ScenarioErrors too."""
    return load_scenario(read_json(path))


def load_schedule(data: dict) -> Schedule:
    """The schedule described by a parsed jointinspect-schedule/1 document (well-formedness only).

    Whether it obeys the scenario's rules is scheduling.validation's business.
    """
    return read_schedule(data)


def load_schedule_file(path) -> Schedule:
    """The schedule in a JSON file; unreadable files and JSON syntax errors are ScenarioErrors too."""
    return load_schedule(read_json(path))


def read_json(path) -> dict:
    """The parsed JSON of a file; an unreadable file or bad syntax is a ScenarioError naming the file."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError([Problem(name, f"cannot read the file: {error}")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        message = f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        raise ScenarioError([Problem(name, message)]) from None
