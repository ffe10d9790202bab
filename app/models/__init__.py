"""The domain model, one module per aggregate."""

from .agreement import Agreement, Milestone, MilestoneGate, PerformanceMeasure, Rule
from .approval import Approval, ChangeProposal
from .audit import AuditEntry
from .base import Base, utcnow
from .calendar import Holiday, SiteClosure
from .commodity import Commodity
from .decision import BorderDecision, DecisionTally
from .exporter import Exporter
from .idempotency import IdempotencyKey
from .inspection import Inspection, InspectorBooking
from .inspector import Inspector, Shift
from .safety import Interception, QuarantinePest, RiskFlag, Suspension, SuspensionThresholds
from .pilot import GateReview, Pilot, PilotCriterion, PilotParticipant
from .register import (
    Certification, RecognitionArrangement, ShipmentParty, TradeParty, TrustedTraderProgram,
)
from .schedule import ScheduleAssignment, ScheduleRun, UnscheduledRequest
from .seal import Seal, SealEvent, SealStock
from .shipment import Shipment, RequestCount
from .site import Site, SiteHours, TravelTime
from .token import ApiToken
from .user import PasswordReset, User

__all__ = [
    "Agreement", "ApiToken", "AuditEntry", "Base", "BorderDecision", "Certification", "Commodity", "DecisionTally",
    "Exporter", "Holiday", "PasswordReset", "SiteClosure",
    "IdempotencyKey", "Inspection", "Interception", "Shipment", "Inspector", "InspectorBooking", "Milestone",
    "PerformanceMeasure", "QuarantinePest", "RequestCount", "RiskFlag", "Rule", "ScheduleAssignment", "ScheduleRun", "Seal", "SealEvent", "Shift",
    "Approval", "ChangeProposal", "GateReview", "MilestoneGate", "Pilot", "PilotCriterion", "PilotParticipant",
    "RecognitionArrangement", "SealStock", "ShipmentParty", "TradeParty", "TrustedTraderProgram",
    "Site", "SiteHours", "Suspension", "SuspensionThresholds", "TravelTime", "UnscheduledRequest", "User", "utcnow",
]
