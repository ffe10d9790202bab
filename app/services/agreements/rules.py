"""Recognition rules: version 1, then every change as a new version that leaves the old one intact."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import Agreement, ChangeProposal, Commodity, Rule, Site, User, utcnow
from .agreement import EditConflict, check_code, check_date, check_expected_version, check_text
from . import approvals
from .register import program_of
from ..access.audit import record
from ..errors import WorkflowError
from ..recognition import LifecycleError, revised_rule
from ..shipments.checks import iso_state

LIST_FIELDS = ("commodities", "origin_states", "ports", "requires_certifications")
FLAG_FIELDS = ("requires_seal", "active", "requires_recognised_status", "requires_whole_chain")
RULE_FIELDS = LIST_FIELDS + ("requires_seal", "max_hours_before_crossing", "valid_from", "valid_to", "active",
                             "requires_recognised_status", "requires_whole_chain", "verification_rate")
DEFAULTS = {"requires_seal": True, "active": True, "origin_states": [], "ports": [], "requires_certifications": [],
            "max_hours_before_crossing": None, "valid_to": None, "requires_recognised_status": False,
            "requires_whole_chain": False, "verification_rate": 0.02}
STATE_PATTERN = re.compile(r"^[A-Z]{2,5}$")
MAX_HOURS_LIMIT = 24 * 30


@dataclass(frozen=True)
class VersionChange:
    """One field that differs between a rule version and the one before it."""

    field: str
    before: Any
    after: Any


def current_rule(session: Session, code: str) -> Rule | None:
    return session.scalar(sa.select(Rule).where(Rule.code == code, Rule.superseded_at.is_(None)))


def rule_versions(session: Session, code: str) -> list[Rule]:
    return list(session.scalars(sa.select(Rule).where(Rule.code == code).order_by(Rule.version)))


def rules_by_code(session: Session, agreement: Agreement | None = None,
                  all_versions: bool = True) -> dict[str, list[Rule]]:
    """Rules grouped by code (each group oldest version first), for an agreement or all."""
    query = sa.select(Rule).order_by(Rule.code, Rule.version)
    if agreement is not None:
        query = query.where(Rule.agreement_id == agreement.id)
    if not all_versions:
        query = query.where(Rule.superseded_at.is_(None))
    grouped: dict[str, list[Rule]] = {}
    for rule in session.scalars(query):
        grouped.setdefault(rule.code, []).append(rule)
    return grouped


def version_changes(previous: Rule | None, rule: Rule) -> list[VersionChange]:
    """What this version changed compared with the version before it."""
    if previous is None:
        return []
    return [VersionChange(name, getattr(previous, name), getattr(rule, name))
            for name in RULE_FIELDS if getattr(previous, name) != getattr(rule, name)]


def create_rule(session: Session, actor: User | None, agreement: Agreement, code: Any,
                fields: dict[str, Any], note: Any = None) -> Rule:
    """Version 1 of a new rule under the agreement; a code is used once, by one rule."""
    code = check_code(code)
    _check_agreement_open(agreement)
    unknown = sorted(set(fields) - set(RULE_FIELDS))
    if unknown:
        raise WorkflowError(_("Unknown field."), unknown[0])
    values = {**DEFAULTS, **fields}
    values = check_rule_fields(session, values)
    note = check_text(note, "change_note", 2000, required=False)
    if session.scalar(sa.select(Rule.id).where(Rule.code == code).limit(1)) is not None:
        raise WorkflowError(_("A rule with code %(code)s already exists.", code=code), "code")
    rule = Rule(code=code, version=1, agreement_id=agreement.id, created_by_id=getattr(actor, "id", None),
                change_note=note, **values)
    _insert_version(session, rule)
    record(session, actor, "rule.created", rule, after=rule_snapshot(rule))
    return rule


def revise_rule(session: Session, actor: User | None, rule_code: str, changes: dict[str, Any],
                note: Any, expected_version: int | None = None) -> Rule:
    """A new version with the changes; the old version is kept, superseded, for its decisions."""
    current = current_rule(session, rule_code)
    if current is None:
        raise WorkflowError(_("There is no rule %(code)s.", code=rule_code), "code")
    _check_agreement_open(current.agreement)
    check_expected_version(current.version, expected_version)
    note = check_text(note, "change_note", 2000)
    merged = {name: getattr(current, name) for name in RULE_FIELDS}
    unknown = sorted(set(changes) - set(RULE_FIELDS))
    if unknown:
        raise WorkflowError(_("Unknown field."), unknown[0])
    merged.update(changes)
    merged = check_rule_fields(session, merged)
    # Only what really differs is a change: a form sends every field, changed or not.
    differing = {name: value for name, value in merged.items() if getattr(current, name) != value}
    if not differing:
        raise WorkflowError(_("Change at least one field to make a new version."), None)
    try:
        revised = revised_rule(current, differing)
    except LifecycleError as error:
        raise WorkflowError(str(error), None) from error
    rule = Rule(code=current.code, version=revised.version, agreement_id=current.agreement_id,
                created_by_id=getattr(actor, "id", None), change_note=note, **merged)
    before = rule_snapshot(current)
    _insert_version(session, rule, superseding=current)
    record(session, actor, "rule.revised", rule, before=before, after=rule_snapshot(rule))
    return rule


def deactivate_rule(session: Session, actor: User | None, rule_code: str, note: Any,
                    expected_version: int | None = None) -> Rule:
    """Switching a rule off is a new version with active False, so history shows when and why."""
    return revise_rule(session, actor, rule_code, {"active": False}, note, expected_version)


def check_rule_fields(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Every rule field checked against the reference data; the first fault names its field."""
    checked = dict(values)
    checked["commodities"] = _codes(values.get("commodities"), "commodities", required=True)
    known = set(session.scalars(sa.select(Commodity.code).where(Commodity.code.in_(checked["commodities"]))))
    _refuse_unknown(checked["commodities"], known, "commodities")
    checked["origin_states"] = [iso_state(code) for code in _codes(values.get("origin_states"), "origin_states",
                                                                   pattern=STATE_PATTERN)]
    checked["ports"] = _codes(values.get("ports"), "ports")
    ports = set(session.scalars(sa.select(Site.code).where(Site.kind == "port", Site.code.in_(checked["ports"]))))
    _refuse_unknown(checked["ports"], ports, "ports")
    named = _codes(values.get("requires_certifications"), "requires_certifications")
    # A program is one of the register's, by its code: "C-TPAT" is recorded as CTPAT.
    checked["requires_certifications"] = list(dict.fromkeys(
        program_of(session, name, "requires_certifications").code for name in named))
    for name in FLAG_FIELDS:
        checked[name] = values.get(name, DEFAULTS[name])
        if not isinstance(checked[name], bool):
            raise WorkflowError(_("Answer yes or no."), name)
    checked["max_hours_before_crossing"] = _max_hours(values.get("max_hours_before_crossing"))
    checked["verification_rate"] = _verification_rate(values.get("verification_rate", DEFAULTS["verification_rate"]))
    checked["valid_from"] = check_date(values.get("valid_from"), "valid_from")
    checked["valid_to"] = check_date(values.get("valid_to"), "valid_to", required=False)
    if checked["valid_to"] is not None and checked["valid_to"] < checked["valid_from"]:
        raise WorkflowError(_("The end must not be before the start."), "valid_to")
    return checked


def rule_snapshot(rule: Rule) -> dict[str, Any]:
    snapshot = {"code": rule.code, "version": rule.version}
    for name in RULE_FIELDS:
        value = getattr(rule, name)
        snapshot[name] = value.isoformat() if isinstance(value, date) else value
    return snapshot


def _insert_version(session: Session, rule: Rule, superseding: Rule | None = None) -> None:
    """Insert in a savepoint: two people revising at once collide on (code, version), not silently."""
    try:
        with session.begin_nested():
            if superseding is not None:
                superseding.superseded_at = utcnow()
            session.add(rule)
    except IntegrityError as error:
        raise EditConflict(_("Someone else changed this rule in the meantime; reload and try again."),
                           "version_id") from error


def _check_agreement_open(agreement: Agreement) -> None:
    # An expired agreement is final (the lifecycle never reopens it), so its rules stay as they were.
    if agreement.status == "expired":
        raise WorkflowError(_("Agreement %(code)s has expired; its rules can no longer change.",
                              code=agreement.code), "agreement")


def _codes(value: Any, field: str, required: bool = False, pattern: re.Pattern[str] | None = None) -> list[str]:
    """A list of codes from a list or comma-separated text, de-duplicated in the order given."""
    if isinstance(value, str):
        value = value.split(",")
    if value is None:
        value = []
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise WorkflowError(_("Give a list of codes."), field)
    codes = list(dict.fromkeys(item.strip() for item in value if item.strip()))
    if required and not codes:
        raise WorkflowError(_("Give at least one code."), field)
    if pattern is not None:
        bad = [code for code in codes if not pattern.match(code)]
        if bad:
            raise WorkflowError(_("Not a valid code: %(codes)s.", codes=", ".join(bad)), field)
    return codes


def _refuse_unknown(codes: list[str], known: set[str], field: str) -> None:
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise WorkflowError(_("Unknown: %(codes)s.", codes=", ".join(unknown)), field)


def _max_hours(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise WorkflowError(_("Give a number of hours."), "max_hours_before_crossing")
    if not 0 <= value <= MAX_HOURS_LIMIT:
        raise WorkflowError(_("Give between 0 and %(n)s hours.", n=MAX_HOURS_LIMIT), "max_hours_before_crossing")
    return float(value)


def _verification_rate(value: Any) -> float:
    """The share of waived loads inspected anyway, 0 to 1; 0 turns sampling off for the rule."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise WorkflowError(_("Give a share of waived loads between 0 and 1 (0 to 100 percent)."), "verification_rate")
    if not 0 <= value <= 1:
        raise WorkflowError(_("Give a share of waived loads between 0 and 1 (0 to 100 percent)."), "verification_rate")
    return float(value)


# -- rule versions take effect when both parties approve ---------------------------------------------

def propose_rule(session: Session, actor: User, agreement: Agreement, code: Any, fields: dict[str, Any],
                 note: Any = None) -> ChangeProposal:
    """Version 1 of a new rule, checked now and made when both parties have approved it."""
    code = check_code(code)
    _check_agreement_open(agreement)
    unknown = sorted(set(fields) - set(RULE_FIELDS))
    if unknown:
        raise WorkflowError(_("Unknown field."), unknown[0])
    values = check_rule_fields(session, {**DEFAULTS, **fields})
    note = check_text(note, "change_note", 2000, required=False)
    if session.scalar(sa.select(Rule.id).where(Rule.code == code).limit(1)) is not None:
        raise WorkflowError(_("A rule with code %(code)s already exists.", code=code), "code")
    payload = {"action": "create", "code": code, "fields": _plain(values), "note": note}
    return approvals.propose(session, actor, kind="rule_version", agreement=agreement, payload=payload,
                             subject=_("Rule %(code)s, version %(version)s", code=code, version=1),
                             parties=approvals.agreement_parties(agreement))


def propose_rule_version(session: Session, actor: User, rule_code: str, changes: dict[str, Any], note: Any,
                         expected_version: int | None = None) -> ChangeProposal:
    """The next version of a rule, checked now and made when both parties have approved it."""
    current = current_rule(session, rule_code)
    if current is None:
        raise WorkflowError(_("There is no rule %(code)s.", code=rule_code), "code")
    _check_agreement_open(current.agreement)
    check_expected_version(current.version, expected_version)
    note = check_text(note, "change_note", 2000)
    unknown = sorted(set(changes) - set(RULE_FIELDS))
    if unknown:
        raise WorkflowError(_("Unknown field."), unknown[0])
    merged = check_rule_fields(session, {**{name: getattr(current, name) for name in RULE_FIELDS}, **changes})
    differing = {name: value for name, value in merged.items() if getattr(current, name) != value}
    if not differing:
        raise WorkflowError(_("Change at least one field to make a new version."), None)
    payload = {"action": "revise", "code": current.code, "changes": _plain(differing), "note": note,
               "based_on_version": current.version}
    return approvals.propose(session, actor, kind="rule_version", agreement=current.agreement, payload=payload,
                             subject=_("Rule %(code)s, version %(version)s", code=current.code,
                                       version=current.version + 1),
                             subject_id=current.id, parties=approvals.agreement_parties(current.agreement))


def apply_rule_proposal(session: Session, proposal: ChangeProposal) -> str:
    """Both parties approved: the version is made, by its proposer, as proposed (a conflict if the rule moved)."""
    payload, proposer = proposal.payload, session.get(User, proposal.proposed_by_id or 0)
    if payload["action"] == "create":
        rule = create_rule(session, proposer, proposal.agreement, payload["code"], _dates(payload["fields"]),
                           payload.get("note"))
    else:
        rule = revise_rule(session, proposer, payload["code"], _dates(payload["changes"]), payload["note"],
                           expected_version=payload["based_on_version"])
    return _("Rule %(code)s is now at version %(version)s.", code=rule.code, version=rule.version)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value.isoformat() if isinstance(value, date) else value for name, value in values.items()}


def _dates(values: dict[str, Any]) -> dict[str, Any]:
    return {name: date.fromisoformat(value) if name in ("valid_from", "valid_to") and value else value
            for name, value in values.items()}
