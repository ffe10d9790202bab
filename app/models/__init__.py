"""The domain model, one module per aggregate."""

from .agreement import Agreement, Milestone, PerformanceMeasure, Rule
from .audit import AuditEntry
from .base import Base, utcnow
from .calendar import Holiday, SiteClosure
from .commodity import Commodity
from .decision import BorderDecision, DecisionTally
from .exporter import Certification, Exporter
from .idempotency import IdempotencyKey
from .inspection import Inspection, InspectorBooking
from .inspector import Inspector, Shift
from .schedule import ScheduleAssignment, ScheduleRun, UnscheduledRequest
from .seal import Seal, SealEvent
from .shipment import Shipment, RequestCount
from .site import Site, SiteHours, TravelTime
from .token import ApiToken
from .user import PasswordReset, User

__all__ = [
    "Agreement", "ApiToken", "AuditEntry", "Base", "BorderDecision", "Certification", "Commodity", "DecisionTally",
    "Exporter", "Holiday", "PasswordReset", "SiteClosure",
    "IdempotencyKey", "Inspection", "Shipment", "Inspector", "InspectorBooking", "Milestone",
    "PerformanceMeasure", "RequestCount", "Rule", "ScheduleAssignment", "ScheduleRun", "Seal", "SealEvent", "Shift",
    "Site", "SiteHours", "TravelTime", "UnscheduledRequest", "User", "utcnow",
]
