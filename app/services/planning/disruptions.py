"""Disruptions a coordinator records before re-planning: a site closed, an inspector unavailable."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Inspector, Shift, Site, User, utcnow
from ..access.audit import record
from ..errors import WorkflowError


def close_site(session: Session, actor: User, site: Site, reason: str) -> None:
    """Close a site (e.g. after a security incident); nothing is planned there until it reopens."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("say why the site closes", field="reason")
    if not site.active:
        raise WorkflowError("the site is already closed", field="reason")
    site.active, site.closed_reason, site.closed_at = False, reason[:1000], utcnow()
    record(session, actor, "site.closed", site, before={"active": True}, after={"active": False, "reason": reason})


def reopen_site(session: Session, actor: User, site: Site) -> None:
    if site.active:
        raise WorkflowError("the site is open", field="site")
    before = {"active": False, "reason": site.closed_reason}
    site.active, site.closed_reason, site.closed_at = True, None, None
    record(session, actor, "site.reopened", site, before=before, after={"active": True})


def mark_unavailable(session: Session, actor: User, inspector: Inspector, start: datetime, end: datetime,
                     reason: str) -> list[Shift]:
    """Take an inspector off every shift that touches [start, end): illness, leave, training."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("say why the inspector is unavailable", field="reason")
    if end <= start:
        raise WorkflowError("the end must come after the start", field="end")
    shifts = session.scalars(
        sa.select(Shift).where(Shift.inspector_id == inspector.id, Shift.available, Shift.end > start,
                               Shift.start < end).order_by(Shift.start)
    ).all()
    if not shifts:
        raise WorkflowError("the inspector has no shift in that period", field="start")
    for shift in shifts:
        shift.available, shift.unavailable_reason = False, reason[:1000]
    record(session, actor, "inspector.unavailable", inspector,
           after={"from": start.isoformat(), "to": end.isoformat(), "reason": reason, "shifts": len(shifts)})
    return list(shifts)
