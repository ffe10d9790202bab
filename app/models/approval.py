"""Changes both parties must approve: a proposal, one approval per party, effective at the last one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, one_of, utcnow

PROPOSAL_KINDS = ("rule_version", "agreement_status", "milestone_done", "gate_decision")
PROPOSAL_STATUSES = ("pending", "effective", "withdrawn", "failed")


class ChangeProposal(IdMixin, Base):
    """A rule version, an agreement's new status, a milestone done or a gate decision, waiting for its parties."""

    __tablename__ = "change_proposals"
    __table_args__ = (
        sa.CheckConstraint(one_of("kind", PROPOSAL_KINDS), name="kind"),
        sa.CheckConstraint(one_of("status", PROPOSAL_STATUSES), name="status"),
        sa.Index("ix_change_proposals_status_proposed", "status", "proposed_at"),
        # One pending change of a thing at a time: two proposed at once, the second is refused (a conflict).
        sa.Index("uq_change_proposals_pending_subject", "kind", "subject_id", unique=True,
                 sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'")),
    )

    kind: Mapped[str] = mapped_column(sa.String(20))
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    # What it changes, in words people read ("MR-AVO-01 version 3"), and the row it concerns when there is one.
    subject: Mapped[str] = mapped_column(sa.String(300))
    subject_id: Mapped[int | None]
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # The agencies that must each approve once (APHIS and SENASICA; CBP for a CBP task).
    parties: Mapped[list[str]] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    # What taking effect made (the rule version, the status), or why it could not.
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    version_id: Mapped[int] = mapped_column(default=1)

    approvals: Mapped[list[Approval]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="Approval.approved_at")
    agreement: Mapped["Agreement"] = relationship()  # noqa: F821

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def approved_by(self) -> list[str]:
        return [approval.agency for approval in self.approvals]

    @property
    def waiting_for(self) -> list[str]:
        return [party for party in self.parties if party not in self.approved_by]


class Approval(IdMixin, Base):
    """One party's approval of a proposal: who, for which agency, when; one person approves once."""

    __tablename__ = "approvals"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id", "agency"),
        sa.UniqueConstraint("proposal_id", "user_id"),
    )

    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("change_proposals.id", ondelete="CASCADE"))
    agency: Mapped[str] = mapped_column(sa.String(10))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The written approval of an administration without accounts here (SAT's official letter).
    reference: Mapped[str | None] = mapped_column(sa.String(200))

    proposal: Mapped[ChangeProposal] = relationship(back_populates="approvals")
    user: Mapped["User"] = relationship()  # noqa: F821


from .agreement import Agreement  # noqa: E402
from .user import User  # noqa: E402
