"""Bearer tokens that let other systems call the API as a user."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, utcnow

if TYPE_CHECKING:
    from .user import User


class ApiToken(IdMixin, Base):
    """A named token of one user; only the SHA-256 of its secret is kept, never the secret."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        sa.CheckConstraint("length(token_hash) = 64", name="token_hash"),
        sa.CheckConstraint("expires_at IS NULL OR expires_at > created_at", name="expires_after_created"),
    )

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The first characters of the secret, so people can tell their tokens apart in a list.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def usable_at(self, now: datetime) -> bool:
        """Not revoked, not expired, and its user still active."""
        if self.revoked_at is not None or (self.expires_at is not None and self.expires_at <= now):
            return False
        return self.user.active

    def status_at(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"
