"""The exchange format's document names and closed vocabularies, shared by its readers and writer."""

from __future__ import annotations

from scheduling.domain import BORDER, JOINT_INLAND, JOINT_US_SITE, REQUIRED, WAIVED

SCENARIO_FORMAT = "jointinspect-scenario/2"  # what jointinspect writes
SCENARIO_FORMAT_V1 = "jointinspect-scenario/1"  # still read, with version 1's meaning
SCENARIO_FORMATS = (SCENARIO_FORMAT_V1, SCENARIO_FORMAT)
SCHEDULE_FORMAT = "jointinspect-schedule/1"  # version 2 of the scenario adds one decision, joint_us_site
SITE_KINDS = ("inland", "port")
COUNTRIES = ("US", "MX")
DECISIONS = (WAIVED, REQUIRED, JOINT_US_SITE)
ASSIGNMENT_TYPES = (JOINT_INLAND, BORDER)
