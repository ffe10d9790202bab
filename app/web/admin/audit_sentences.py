"""The audit log told as sentences in the reader's language: who did what to which record, and when.

One sentence per action; a family of actions whose last word is a status ("request.sealed",
"agreement.active") shares one sentence naming that status; any other action falls back to a
generic sentence, the code itself shown beside it as a code.
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_babel import format_datetime, gettext, lazy_gettext as _l

from ...days import viewer_zone
from ...models import AuditEntry, User
from ...services.agreements.agreement import STATUS_LABELS as AGREEMENT_STATUS
from ...services.agreements.approvals import STATUS_LABELS as PROPOSAL_STATUS

# The border program reads times in Central time (Mexico City keeps CST all year, as the safety page does).

ROLE_NAMES = {
    "exporter": _l("Exporter"), "coordinator": _l("Coordinator"), "inspector": _l("Inspector"),
    "officer": _l("Border officer"), "supervisor": _l("Supervisor"), "admin": _l("Administrator"),
}

# The kinds of record the audit log names (the model's class), as a person calls them.
RECORD_KINDS = {
    "Agreement": _l("Agreement"), "ApiToken": _l("API token"), "BorderDecision": _l("Border decision"),
    "ChangeProposal": _l("Proposed change"), "Exporter": _l("Exporter"), "Holiday": _l("Holiday"),
    "Inspection": _l("Inspection"), "Inspector": _l("Inspector"), "Interception": _l("Interception"),
    "Milestone": _l("Milestone"), "PerformanceMeasure": _l("Performance measure"), "RiskFlag": _l("Risk flag"),
    "Rule": _l("Rule"), "ScheduleAssignment": _l("Plan assignment"), "ScheduleRun": _l("Plan run"),
    "Seal": _l("Seal"), "SealStock": _l("Seal stock"), "Shift": _l("Shift"), "Shipment": _l("Shipment"),
    "Site": _l("Site"), "SiteClosure": _l("Site closure"), "Suspension": _l("Suspension"),
    "TradeParty": _l("Trade party"), "Certification": _l("Trusted-trader status"), "User": _l("Account"),
}

SHIPMENT_STATUS = {
    "requested": _l("Requested"), "scheduled": _l("Scheduled"), "inspected": _l("Inspected"),
    "sealed": _l("Sealed"), "at_border": _l("At border"), "released": _l("Released"),
    "cancelled": _l("Cancelled"), "rejected": _l("Rejected"),
}

# %(who)s is the person (or the system), %(record)s the record ("shipment 7" in the reader's words).
SENTENCES = {
    "agreement.created": _l("%(who)s created agreement %(id)s"),
    "border_decision.required": _l("%(who)s required the border inspection of shipment %(id)s"),
    "border_decision.waived": _l("%(who)s waived the border inspection of shipment %(id)s"),
    "exporter.changed": _l("%(who)s changed exporter %(id)s"),
    "exporter.created": _l("%(who)s added exporter %(id)s"),
    "holiday.added": _l("%(who)s added holiday %(id)s"),
    "holiday.removed": _l("%(who)s removed holiday %(id)s"),
    "inspection.border_result": _l("%(who)s recorded the border result of inspection %(id)s"),
    "inspection.cancelled": _l("%(who)s cancelled inspection %(id)s"),
    "inspection.moved": _l("%(who)s moved inspection %(id)s"),
    "inspection.result_recorded": _l("%(who)s recorded the result of inspection %(id)s"),
    "inspector.changed": _l("%(who)s changed inspector %(id)s"),
    "inspector.created": _l("%(who)s added inspector %(id)s"),
    "inspector.shifts_changed": _l("%(who)s changed the shifts of inspector %(id)s"),
    "inspector.unavailable": _l("%(who)s marked inspector %(id)s unavailable"),
    "interception.lab_result": _l("%(who)s recorded the laboratory result of interception %(id)s"),
    "interception.recorded": _l("%(who)s recorded interception %(id)s"),
    "measure.created": _l("%(who)s added performance measure %(id)s"),
    "measure.target": _l("%(who)s set the target of performance measure %(id)s"),
    "milestone.created": _l("%(who)s added milestone %(id)s"),
    "milestone.gates": _l("%(who)s changed the rules gated by milestone %(id)s"),
    "milestone.updated": _l("%(who)s updated milestone %(id)s"),
    "proposal.approved": _l("%(who)s approved proposed change %(id)s"),
    "register.party_created": _l("%(who)s added trade party %(id)s to the register"),
    "register.status_changed": _l("%(who)s changed trusted-trader status %(id)s"),
    "register.status_recorded": _l("%(who)s recorded trusted-trader status %(id)s"),
    "request.created": _l("%(who)s requested shipment %(id)s"),
    "request.noted": _l("%(who)s added a note to shipment %(id)s"),
    "request.updated": _l("%(who)s changed shipment %(id)s"),
    "request.unscheduled": _l("%(who)s took shipment %(id)s off the plan"),
    "risk_flag.lowered": _l("%(who)s lowered risk flag %(id)s"),
    "risk_flag.raised": _l("%(who)s raised risk flag %(id)s"),
    "rule.created": _l("%(who)s created rule %(id)s"),
    "rule.revised": _l("%(who)s revised rule %(id)s"),
    "scenario.imported": _l("%(who)s imported a scenario"),
    "schedule_assignment.moved": _l("%(who)s moved plan assignment %(id)s"),
    "schedule_assignment.pinned": _l("%(who)s pinned plan assignment %(id)s"),
    "schedule_assignment.unpinned": _l("%(who)s unpinned plan assignment %(id)s"),
    "schedule_assignment.unassigned": _l("%(who)s unassigned plan assignment %(id)s"),
    "schedule_run.cancelled": _l("%(who)s cancelled run %(id)s"),
    "schedule_run.published": _l("%(who)s published run %(id)s"),
    "schedule_run.started": _l("%(who)s started run %(id)s"),
    "seal.applied": _l("%(who)s applied seal %(id)s"),
    "seal.broken": _l("%(who)s recorded seal %(id)s as broken"),
    "seal.verified": _l("%(who)s verified seal %(id)s"),
    "seal_stock.issued": _l("%(who)s issued seal stock %(id)s"),
    "shipment.parties": _l("%(who)s named the logistics chain of shipment %(id)s"),
    "site.changed": _l("%(who)s changed site %(id)s"),
    "site.closed": _l("%(who)s closed site %(id)s"),
    "site.closure_added": _l("%(who)s added a closure to site %(id)s"),
    "site.closure_removed": _l("%(who)s removed site closure %(id)s"),
    "site.created": _l("%(who)s added site %(id)s"),
    "site.holidays_observed": _l("%(who)s changed the holidays site %(id)s observes"),
    "site.reopened": _l("%(who)s reopened site %(id)s"),
    "suspension.lift_signed": _l("%(who)s signed the lifting of suspension %(id)s"),
    "suspension.lifted": _l("%(who)s lifted suspension %(id)s"),
    "suspension.started": _l("%(who)s suspended recognition (suspension %(id)s)"),
    "token.created": _l("%(who)s created API token %(id)s"),
    "token.revoked": _l("%(who)s revoked API token %(id)s"),
    "user.created": _l("%(who)s created account %(id)s"),
    "user.deactivated": _l("%(who)s deactivated account %(id)s"),
    "user.password_changed": _l("%(who)s changed the password of account %(id)s"),
    "user.password_reset": _l("%(who)s reset the password of account %(id)s"),
    "user.password_set": _l("%(who)s set the password of account %(id)s"),
    "user.reactivated": _l("%(who)s reactivated account %(id)s"),
    "user.role_changed": _l("%(who)s changed the role of account %(id)s"),
}

# Families whose last word is a status: one sentence each, naming the status in the reader's words.
FAMILIES = {
    "request": (_l("%(who)s moved shipment %(id)s to “%(status)s”"), SHIPMENT_STATUS),
    "agreement": (_l("%(who)s set agreement %(id)s to “%(status)s”"), AGREEMENT_STATUS),
    "proposal": (_l("%(who)s set proposed change %(id)s to “%(status)s”"), PROPOSAL_STATUS),
}
GENERIC = _l("%(who)s changed %(kind)s %(id)s")
SEAL_EVENT = _l("%(who)s recorded an event of seal %(id)s")


def record_kind(entity_type: str) -> str:
    return str(RECORD_KINDS.get(entity_type, entity_type))


def who(actor: User | None) -> str:
    """"Ana Ruiz (Coordinator)"; the system when nobody signed in did it."""
    if actor is None:
        return gettext("The system")
    role = ROLE_NAMES.get(actor.role)
    return f"{actor.display_name} ({role})" if role else actor.display_name


def sentence(entry: AuditEntry, actor: User | None) -> tuple[str, bool]:
    """The entry as a sentence, and whether it is the generic one (the page then shows the action's code)."""
    params = {"who": who(actor), "id": entry.entity_id}
    family, _dot, last = entry.action.partition(".")
    if entry.action in SENTENCES:
        return SENTENCES[entry.action] % params, False
    if family in FAMILIES and last in FAMILIES[family][1]:
        template, labels = FAMILIES[family]
        return template % {**params, "status": str(labels[last]).lower()}, False
    if family == "seal_event":
        return SEAL_EVENT % params, True
    return GENERIC % {**params, "kind": record_kind(entry.entity_type).lower()}, True


def when(moment: datetime) -> str:
    """"3 Dec 2026 10:14 CST", in the reader's language and zone (the days the filter counts)."""
    if moment.tzinfo is None:  # stored as UTC
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(ZoneInfo(viewer_zone()))
    return f"{format_datetime(local, 'd MMM y HH:mm', rebase=False)} {local.tzname()}"
