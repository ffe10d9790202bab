"""Reading exchange files: unreadable files and JSON syntax errors are ScenarioErrors naming the file."""

from __future__ import annotations

import pytest

from scheduling.exchange import ScenarioError, load_scenario_file


def test_json_syntax_errors_name_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n "format": "jointinspect-scenario/1",\n "sites": [,]\n}\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)
    [problem] = caught.value.problems
    assert problem.path == str(path) and "line 3, column" in problem.message


def test_a_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read the file"):
        load_scenario_file(tmp_path / "absent.json")
