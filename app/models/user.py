"""People who sign in: their role, agency, company and language."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..roles import AGENCIES, ROLES
from .base import Base, IdMixin, one_of, utcnow

if TYPE_CHECKING:
    from .exporter import Exporter

LANGUAGES = ("en", "es")


class User(IdMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(one_of("role", ROLES), name="role"),
        sa.CheckConstraint(f"agency IS NULL OR {one_of('agency', AGENCIES)}", name="agency"),
        sa.CheckConstraint(one_of("language", LANGUAGES), name="language"),
        sa.CheckConstraint("role <> 'exporter' OR exporter_id IS NOT NULL", name="exporter_has_company"),
        sa.CheckConstraint("session_version >= 1", name="session_version"),
    )

    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    agency: Mapped[str | None] = mapped_column(sa.String(10))
    exporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exporters.id", ondelete="RESTRICT"), index=True)
    language: Mapped[str] = mapped_column(sa.String(2), default="en")
    # The zone the days of their cross-site pages are in; None: the program's (app.days.PROGRAM_ZONE).
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login id: bumping it ends every session issued before (logout, password change).
    session_version: Mapped[int] = mapped_column(default=1)
    # Set with a temporary password from an administrator: every page asks for a new one first.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    exporter: Mapped[Exporter | None] = relationship(back_populates="users")

    # flask-login protocol, kept here because it is about identity, not workflow.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class PasswordReset(IdMixin, Base):
    """A one-time link an administrator gives someone to choose a password; only its hash is kept."""

    __tablename__ = "password_resets"
    __table_args__ = (
        sa.CheckConstraint("length(token_hash) = 64", name="token_hash"),
        sa.CheckConstraint("expires_at > created_at", name="expires_after_created"),
    )

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
