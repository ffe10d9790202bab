"""Writing the append-only audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ...models import AuditEntry, User


def record(
    session: Session,
    actor: User | None,
    action: str,
    entity: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry for a change to `entity` (flushed with the caller's transaction)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        entity_type=type(entity).__name__,
        entity_id=str(getattr(entity, "id", None) or getattr(entity, "code", "")),
        before=before,
        after=after,
    )
    session.add(entry)
    return entry
