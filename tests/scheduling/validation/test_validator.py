"""The schedule validator: accepts a correct hand-made schedule, resolves references, words violations."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduling.validation import validate
from tests.scheduling.validation.pairs import (assert_named, inland, make_scenario, make_schedule,
                                               replace_assignment)


def test_a_correct_schedule_has_no_violations():
    assert validate(make_scenario(), make_schedule()) == []


def test_violations_read_as_plain_words_with_local_times():
    schedule = replace_assignment(make_schedule(), 0, inland("R1", "2027-03-01T05:30"))
    messages = [str(v) for v in validate(make_scenario(), schedule)]
    assert any("site_hours" in m and "MX-URU" in m and "Mon 2027-03-01 05:30-06:30 America/Mexico_City" in m
               for m in messages), messages


# Each case breaks the valid pair in one way: (scenario, schedule) -> (scenario, schedule).
CASES = {
    "two_inland_inspections": ("duplicate", lambda sc, sh: (sc, replace(sh, assignments=sh.assignments + (inland("R1", "2027-03-01T09:00"),)))),
    "unknown_request": ("unknown_reference", lambda sc, sh: (sc, replace(sh, assignments=sh.assignments + (inland("R99", "2027-03-01T09:00"),)))),
    "unknown_inspector": ("unknown_reference", lambda sc, sh: (sc, replace_assignment(sh, 0, inland("R1", "2027-03-01T06:00", team=("APHIS-1", "SEN-9"))))),
}


@pytest.mark.parametrize(("rule", "breaking"), CASES.values(), ids=CASES.keys())
def test_each_kind_of_violation_is_named(rule, breaking):
    assert_named(rule, breaking)
