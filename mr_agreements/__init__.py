"""Mutual-recognition rules engine: decides whether a border inspection is waived, and why."""

from mr_agreements.conditions import matches
from mr_agreements.decision import (
    BorderDecision,
    RuleAssessment,
    WaiverWindow,
    decide,
    waiver_window,
    what_would_qualify,
)
from mr_agreements.domain import REQUIRED, WAIVED, Agreement, Certification, Rule, Shipment
from mr_agreements.gates import Gate
from mr_agreements.lifecycle import ALLOWED_TRANSITIONS, LifecycleError, revise_rule, transition
from mr_agreements.reasons import REASON_CODES, REASON_TEMPLATES, Reason, describe
from mr_agreements.trusted_traders import CERTIFICATE_STATUSES, CHAIN_LINKS, GOOD_STANDING, Arrangement, ChainLink

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CERTIFICATE_STATUSES",
    "CHAIN_LINKS",
    "GOOD_STANDING",
    "REASON_CODES",
    "REASON_TEMPLATES",
    "REQUIRED",
    "WAIVED",
    "Agreement",
    "Arrangement",
    "BorderDecision",
    "Certification",
    "ChainLink",
    "Gate",
    "LifecycleError",
    "Reason",
    "Rule",
    "RuleAssessment",
    "Shipment",
    "WaiverWindow",
    "decide",
    "describe",
    "matches",
    "revise_rule",
    "transition",
    "waiver_window",
    "what_would_qualify",
]
