"""Reading the audit log: filters and pages, shared by the audit page and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import AuditEntry, User
from ..dashboard.periods import local_midnight
from ..pagination import Page

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class AuditFilters:
    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = None  # a username
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive, whole days in `zone`
    zone: str = "UTC"  # the API's days are UTC days; the audit page's are the reader's
    page: int = 1
    page_size: int = 50


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    actor_username: str | None


def search_audit(session: Session, filters: AuditFilters) -> Page[AuditRow]:
    """Newest first, filtered; unknown actors simply match nothing."""
    conditions = _conditions(filters)
    size = max(1, min(filters.page_size, MAX_PAGE_SIZE))
    page = max(1, filters.page)
    total = session.scalar(
        sa.select(sa.func.count()).select_from(AuditEntry).outerjoin(User, AuditEntry.actor_id == User.id).where(*conditions)
    )
    rows = session.execute(
        sa.select(AuditEntry, User.username)
        .outerjoin(User, AuditEntry.actor_id == User.id)
        .where(*conditions)
        .order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return Page([AuditRow(entry, username) for entry, username in rows], page, size, total or 0)


def _conditions(filters: AuditFilters) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.entity_type:
        conditions.append(AuditEntry.entity_type == filters.entity_type)
    if filters.entity_id:
        conditions.append(AuditEntry.entity_id == filters.entity_id)
    if filters.action:
        conditions.append(AuditEntry.action == filters.action)
    if filters.actor:
        conditions.append(User.username == filters.actor)
    if filters.date_from:
        conditions.append(AuditEntry.occurred_at >= local_midnight(filters.date_from, filters.zone))
    if filters.date_to:
        conditions.append(AuditEntry.occurred_at < local_midnight(filters.date_to + timedelta(days=1), filters.zone))
    return conditions


def entity_types(session: Session) -> list[str]:
    return list(session.scalars(sa.select(AuditEntry.entity_type).distinct().order_by(AuditEntry.entity_type)))
