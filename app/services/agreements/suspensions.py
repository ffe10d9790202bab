"""Recognition suspended where pest finds repeat, and lifted only when both agencies' supervisors sign.

Per agreement, thresholds say how many actionable interceptions within how many days suspend an
exporter's waivers, a packhouse's, or a rule's for one origin state and commodity. A suspension takes
effect for every decision after it (the recognition door reads the suspensions in force).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import (
    Agreement, Commodity, Interception, RiskFlag, Rule, Shipment, Suspension, SuspensionThresholds, User, utcnow,
)
from ...reasons import suspension_cause_en
from ...roles import PROGRAM_STAFF
from .. import recognition
from ..access.audit import record
from ..errors import ConflictError, WorkflowError

LIFTING_AGENCIES = ("APHIS", "SENASICA")


def thresholds(session: Session, agreement: Agreement) -> SuspensionThresholds:
    """The agreement's thresholds; the defaults (2, 2, 5 within 30 days) until someone sets them."""
    found = session.get(SuspensionThresholds, agreement.id)
    return found or SuspensionThresholds(agreement_id=agreement.id, exporter_count=2, packhouse_count=2,
                                         origin_count=5, window_days=30)


def check_thresholds(session: Session, actor: User | None, shipment: Shipment, now: datetime) -> list[Suspension]:
    """Suspend, under each agreement whose rules cover the commodity, whatever the finds now call for."""
    started = []
    for agreement in _covering_agreements(session, shipment):
        limits = thresholds(session, agreement)
        since = now - timedelta(days=limits.window_days)
        base = (sa.select(Interception.id).join(Shipment, Shipment.id == Interception.request_id)
                .where(Interception.actionable, Interception.recorded_at >= since).order_by(Interception.id))
        scopes = (
            ("exporter", limits.exporter_count, Shipment.exporter_id == shipment.exporter_id,
             {"exporter_id": shipment.exporter_id}),
            ("packhouse", limits.packhouse_count, sa.func.lower(Shipment.packhouse) == shipment.packhouse.lower(),
             {"packhouse": shipment.packhouse}),
            ("origin", limits.origin_count, sa.and_(Shipment.origin_state == shipment.origin_state,
                                                    Shipment.commodity_code == shipment.commodity_code),
             {"origin_state": shipment.origin_state, "commodity_code": shipment.commodity_code}),
        )
        for scope, limit, where, key in scopes:
            ids = list(session.scalars(base.where(where)))
            if len(ids) >= limit and not _in_force(session, agreement, scope, key):
                started.append(_suspend(session, actor, agreement, scope, key, len(ids), limits.window_days,
                                        ids, now))
    return started


def _covering_agreements(session: Session, shipment: Shipment) -> list[Agreement]:
    rules = session.scalars(sa.select(Rule).where(Rule.superseded_at.is_(None), Rule.active)).all()
    ids = {rule.agreement_id for rule in rules if shipment.commodity_code in rule.commodities}
    return list(session.scalars(sa.select(Agreement).where(Agreement.id.in_(ids), Agreement.status == "active")))


def _in_force(session: Session, agreement: Agreement, scope: str, key: dict) -> Suspension | None:
    query = sa.select(Suspension).where(Suspension.agreement_id == agreement.id, Suspension.scope == scope,
                                        Suspension.lifted_at.is_(None))
    for name, value in key.items():
        column = getattr(Suspension, name)
        query = query.where(sa.func.lower(column) == value.lower() if name == "packhouse" else column == value)
    return session.scalar(query.limit(1))


def _suspend(session: Session, actor: User | None, agreement: Agreement, scope: str, key: dict, count: int,
             days: int, interceptions: list[int], now: datetime) -> Suspension:
    reason = suspension_cause_en(count, days)
    suspension = Suspension(agreement_id=agreement.id, scope=scope, since=now, reason=reason,
                            interceptions=interceptions, **key)
    session.add(suspension)
    session.flush()
    record(session, actor, "suspension.started", suspension,
           after={"agreement": agreement.code, "scope": scope, **key, "reason": reason, "interceptions": interceptions})
    recognition.decide_again_under(session, actor, suspension)
    return suspension


def sign_lift(session: Session, actor: User, suspension: Suspension, reason: str,
              now: datetime | None = None) -> Suspension:
    """A supervisor of APHIS or SENASICA signs the lift with a reason; the second agency's signature lifts it."""
    if actor.role != "supervisor" or actor.agency not in LIFTING_AGENCIES:
        raise WorkflowError(_("Only a supervisor of APHIS or SENASICA signs a lift."), field="agency")
    if not suspension.in_force:
        raise ConflictError(_("This suspension was already lifted."), field="suspension")
    reason = (reason or "").strip()
    if not reason or len(reason) > 1000:
        raise WorkflowError(_("Say why recognition can resume (up to 1,000 characters)."), field="reason")
    signed = "lifted_by_aphis_id" if actor.agency == "APHIS" else "lifted_by_senasica_id"
    if getattr(suspension, signed) is not None:
        raise ConflictError(_("%(agency)s has already signed this lift; the other agency's supervisor signs next.",
                              agency=actor.agency), field="agency")
    now = now or utcnow()
    setattr(suspension, signed, actor.id)
    suspension.lift_reason = f"{suspension.lift_reason}\n{actor.agency}: {reason}" if suspension.lift_reason \
        else f"{actor.agency}: {reason}"
    suspension.lift_requested_at = suspension.lift_requested_at or now
    if suspension.lifted_by_aphis_id and suspension.lifted_by_senasica_id:
        suspension.lifted_at = now
    session.flush()
    record(session, actor, "suspension.lifted" if suspension.lifted_at else "suspension.lift_signed", suspension,
           after={"agency": actor.agency, "reason": reason, "lifted": suspension.lifted_at is not None})
    if suspension.lifted_at is not None:
        recognition.decide_again_under(session, actor, suspension)
    return suspension


def visible_suspensions(session: Session, actor: User, in_force_only: bool = False) -> list[Suspension]:
    """Program staff see every suspension; an exporter those that touch its company, packhouses or
    origins (never how loads are sampled); anyone else none."""
    query = sa.select(Suspension).order_by(Suspension.since.desc(), Suspension.id.desc())
    if in_force_only:
        query = query.where(Suspension.lifted_at.is_(None))
    if actor.role == "exporter":
        mine = sa.select(Shipment.packhouse, Shipment.origin_state, Shipment.commodity_code).where(
            Shipment.exporter_id == actor.exporter_id).distinct().subquery()
        query = query.where(sa.or_(
            Suspension.exporter_id == actor.exporter_id,
            sa.func.lower(Suspension.packhouse).in_(sa.select(sa.func.lower(mine.c.packhouse))),
            sa.tuple_(Suspension.origin_state, Suspension.commodity_code).in_(
                sa.select(mine.c.origin_state, mine.c.commodity_code))))
    elif actor.role not in PROGRAM_STAFF:
        query = query.where(sa.false())
    return list(session.scalars(query))


def flag_risk(session: Session, actor: User, commodity: str | None, origin_state: str | None,
              reason: str) -> RiskFlag:
    """A supervisor flags a commodity or an origin: its waived loads are verified more often."""
    if actor.role != "supervisor":
        raise WorkflowError(_("Only a supervisor flags a risk."), field="role")
    commodity, origin_state = (commodity or "").strip() or None, (origin_state or "").strip().upper() or None
    if commodity is None and origin_state is None:
        raise WorkflowError(_("Name a commodity, an origin state, or both."), field="commodity")
    if commodity is not None and session.get(Commodity, commodity) is None:
        raise WorkflowError(_("Unknown commodity."), field="commodity")
    if origin_state is not None and not re.fullmatch(r"[A-Z]{2,3}", origin_state):
        raise WorkflowError(_("An origin state is its two- or three-letter code."), field="origin_state")
    reason = (reason or "").strip()
    if not reason or len(reason) > 1000:
        raise WorkflowError(_("Say why (up to 1,000 characters)."), field="reason")
    flag = RiskFlag(commodity_code=commodity, origin_state=origin_state, reason=reason, flagged_by_id=actor.id)
    session.add(flag)
    session.flush()
    record(session, actor, "risk_flag.raised", flag, after={"commodity": commodity, "origin_state": origin_state,
                                                             "reason": reason})
    return flag


def lower_flag(session: Session, actor: User, flag: RiskFlag) -> RiskFlag:
    if actor.role != "supervisor":
        raise WorkflowError(_("Only a supervisor lowers a risk flag."), field="role")
    if flag.lowered_at is not None:
        raise ConflictError(_("This flag is already lowered."), field="flag")
    flag.lowered_at = utcnow()
    record(session, actor, "risk_flag.lowered", flag, after={"lowered_at": flag.lowered_at.isoformat()})
    return flag
