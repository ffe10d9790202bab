"""Border decisions: waived or required, under which rule version, and why."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, one_of, utcnow

DECISIONS = ("waived", "required")
DECISION_BASES = ("pre_check", "plan", "inspection", "seal_verification", "seal_event", "manual")
# The reason a waived load drawn for verification is inspected at the border all the same.
SELECTED_FOR_VERIFICATION = "selected_for_verification"


class BorderDecision(IdMixin, Base):
    __tablename__ = "border_decisions"
    __table_args__ = (
        sa.CheckConstraint(one_of("decision", DECISIONS), name="decision"),
        sa.CheckConstraint(one_of("basis", DECISION_BASES), name="basis"),
        sa.CheckConstraint("decision <> 'waived' OR rule_id IS NOT NULL", name="waived_names_rule"),
        sa.Index("ix_border_decisions_request_decided", "request_id", "decided_at"),
        # The dashboard and measures read a period's current decisions (migration 0004).
        sa.Index("ix_border_decisions_decided_current", "decided_at", "current"),
    )

    request_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_requests.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(sa.String(10))
    rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rules.id", ondelete="RESTRICT"))
    rule_code: Mapped[str | None] = mapped_column(sa.String(40))
    rule_version: Mapped[int | None]
    # Reason codes with parameters; the pages translate them.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    basis: Mapped[str] = mapped_column(sa.String(20))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    current: Mapped[bool] = mapped_column(default=True)
    # A waived load drawn for a verification inspection: its chance, the draw that decided it, and why
    # (mr_agreements.verification); kept with every later decision of the shipment once drawn.
    verification: Mapped[bool] = mapped_column(default=False)
    verification_probability: Mapped[float | None]
    verification_draw: Mapped[float | None]
    verification_basis: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    rule: Mapped["Rule | None"] = relationship()  # noqa: F821

    @classmethod
    def has_reason(cls, code: str) -> sa.ColumnElement[bool]:
        """The decision gives this reason code (the codes are quoted JSON strings in the stored list)."""
        return sa.cast(cls.reasons, sa.String).like(f'%"{code}"%')

    @hybrid_property
    def verifies(self) -> bool:
        """This decision means a verification inspection: a drawn load still waived by the rules (its check
        is ahead) or required only because it was drawn. A drawn load required for a reason of its own (a
        late truck, a broken seal) is an ordinary border inspection."""
        return self.verification and (self.decision == "waived" or any(
            reason.get("code") == SELECTED_FOR_VERIFICATION for reason in self.reasons or ()))

    @verifies.inplace.expression
    @classmethod
    def _verifies_expression(cls) -> sa.ColumnElement[bool]:
        return sa.and_(cls.verification, sa.or_(cls.decision == "waived", cls.has_reason(SELECTED_FOR_VERIFICATION)))


class DecisionTally(Base):
    """Recorded current decisions of one UTC day, port and commodity, kept by database triggers.

    The dashboard and measures sum a few hundred of these rows instead of joining a year of decisions
    to their requests; triggers on border_decisions and inspection_requests (migration 0005) keep them
    equal to the decisions on both databases, whichever code path writes.
    """

    __tablename__ = "decision_tallies"

    day: Mapped[date] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="RESTRICT"), primary_key=True)
    commodity_code: Mapped[str] = mapped_column(sa.ForeignKey("commodities.code", ondelete="RESTRICT"),
                                                primary_key=True)
    waived: Mapped[int] = mapped_column(default=0)
    required: Mapped[int] = mapped_column(default=0)
    waived_minutes: Mapped[int] = mapped_column(default=0)


from .agreement import Rule  # noqa: E402
