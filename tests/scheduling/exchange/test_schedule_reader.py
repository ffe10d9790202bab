"""Reading a schedule document: every malformed field is named by its path."""

from __future__ import annotations

import copy

import pytest

from scheduling.exchange import ScenarioError, load_schedule, schedule_to_dict


BAD_SCHEDULES = {
    "wrong_format": (lambda d: d.update(format="jointinspect-scenario/1"), "format"),
    "bad_type": (lambda d: d["assignments"][0].update(type="inland"), "assignments[0].type"),
    "time_without_offset": (lambda d: d["assignments"][1].update(start="2027-03-01T12:00:00"), "assignments[1].start"),
    "ends_before_start": (lambda d: d["assignments"][1].update(end="2027-03-01T11:00:00-06:00"), "assignments[1].end"),
    "no_inspectors": (lambda d: d["assignments"][2].update(inspectors=[]), "assignments[2].inspectors"),
    "bad_decision": (lambda d: d["border_decisions"][0].update(decision="skip"), "border_decisions[0].decision"),
    "waived_without_rule": (lambda d: d["border_decisions"][0].pop("rule"), "border_decisions[0].rule"),
    "joint_us_site_without_rule": (lambda d: d["border_decisions"][0].update(decision="joint_us_site", rule=None)
                                   or d["border_decisions"][0].pop("rule"), "border_decisions[0].rule"),
    "unscheduled_without_reason": (lambda d: d["unscheduled"][0].pop("reason"), "unscheduled[0].reason"),
}


@pytest.mark.parametrize(("change", "path"), BAD_SCHEDULES.values(), ids=BAD_SCHEDULES.keys())
def test_bad_schedule_documents_name_the_field(schedule, change, path):
    document = copy.deepcopy(schedule_to_dict(schedule))
    change(document)
    with pytest.raises(ScenarioError) as caught:
        load_schedule(document)
    assert path in [p.path for p in caught.value.problems], caught.value.problems
