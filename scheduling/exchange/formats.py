"""The exchange format's document names and closed vocabularies, shared by its readers and writer."""

from __future__ import annotations

from scheduling.domain import BORDER, JOINT_INLAND

SCENARIO_FORMAT = "jointinspect-scenario/1"
SCHEDULE_FORMAT = "jointinspect-schedule/1"
SITE_KINDS = ("inland", "port")
COUNTRIES = ("US", "MX")
DECISIONS = ("waived", "required")
ASSIGNMENT_TYPES = (JOINT_INLAND, BORDER)
