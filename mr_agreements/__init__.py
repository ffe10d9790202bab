"""Mutual-recognition rules engine: decides whether a border inspection is waived, and why."""

from mr_agreements.decision import (
    BorderDecision,
    RuleAssessment,
    WaiverWindow,
    decide,
    waiver_window,
    what_would_qualify,
)
from mr_agreements.domain import REQUIRED, WAIVED, Agreement, Certification, Rule, Shipment
from mr_agreements.lifecycle import ALLOWED_TRANSITIONS, LifecycleError, revise_rule, transition
from mr_agreements.reasons import REASON_CODES, REASON_TEMPLATES, Reason, describe

__all__ = [
    "ALLOWED_TRANSITIONS",
    "REASON_CODES",
    "REASON_TEMPLATES",
    "REQUIRED",
    "WAIVED",
    "Agreement",
    "BorderDecision",
    "Certification",
    "LifecycleError",
    "Reason",
    "Rule",
    "RuleAssessment",
    "Shipment",
    "WaiverWindow",
    "decide",
    "describe",
    "revise_rule",
    "transition",
    "waiver_window",
    "what_would_qualify",
]
