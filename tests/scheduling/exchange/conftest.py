"""Exchange documents the tests change: the example scenario as parsed JSON, and a small schedule."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from scheduling.domain import BORDER, JOINT_INLAND, Assignment, Schedule, ScheduledBorderDecision, Unscheduled
from tests.scheduling.builders import EXAMPLE


@pytest.fixture
def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def schedule() -> Schedule:
    return make_schedule()


def make_schedule() -> Schedule:
    minus6 = timezone(timedelta(hours=-6))
    start = datetime(2027, 3, 1, 10, 0, tzinfo=minus6)
    return Schedule(
        assignments=(
            Assignment("REQ-00010", JOINT_INLAND, "MX-URUAPAN", start, start + timedelta(minutes=60),
                       ("APHIS-0001", "SENASICA-0002"), pinned=True),
            Assignment("REQ-00013", JOINT_INLAND, "MX-URUAPAN", start + timedelta(hours=2),
                       start + timedelta(hours=3), ("APHIS-0001", "SENASICA-0002")),
            Assignment("REQ-00013", BORDER, "US-PHARR", start + timedelta(hours=12),
                       start + timedelta(hours=12, minutes=40), ("CBP-0050",)),
        ),
        border_decisions=(ScheduledBorderDecision("REQ-00010", "waived", rule="MR-EX-AVOCADO"),
                          ScheduledBorderDecision("REQ-00013", "required",
                                                  reasons=("exporter holds no OEA certificate",))),
        unscheduled=(Unscheduled("REQ-00004", "no qualified SENASICA inspector free"),),
        stats={"status": "FEASIBLE", "objective": 8},
    )
