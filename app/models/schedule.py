"""Optimizer runs, what they planned, and what they could not."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, IdMixin, one_of, utcnow

RUN_STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")
ASSIGNMENT_KINDS = ("joint_inland", "border")

assignment_inspectors = sa.Table(
    "assignment_inspectors",
    Base.metadata,
    sa.Column("assignment_id", sa.ForeignKey("schedule_assignments.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("inspector_id", sa.ForeignKey("inspectors.id", ondelete="RESTRICT"), primary_key=True),
)


class ScheduleRun(IdMixin, Base):
    __tablename__ = "schedule_runs"
    __table_args__ = (
        sa.CheckConstraint(one_of("status", RUN_STATUSES), name="status"),
        sa.CheckConstraint("horizon_end > horizon_start", name="horizon"),
        sa.CheckConstraint("published_at IS NULL OR status = 'succeeded'", name="publish_succeeded"),
    )

    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    horizon_start: Mapped[datetime]
    horizon_end: Mapped[datetime]
    settings: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    progress: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    started_at: Mapped[datetime | None]
    # Renewed every few seconds by the process that holds the run (queued in its thread, or
    # solving): a run whose heartbeat stopped was left by a process that is gone.
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    solver_status: Mapped[str | None] = mapped_column(sa.String(20))
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    stats: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(sa.Text)
    parent_run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("schedule_runs.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # One published run is live per horizon; publishing another supersedes it.
    superseded_at: Mapped[datetime | None]
    superseded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("schedule_runs.id", ondelete="SET NULL"))
    # The live plan this run started from: publishing is refused when another was published since.
    based_on_run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("schedule_runs.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(default=1)

    assignments: Mapped[list[ScheduleAssignment]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="ScheduleAssignment.start"
    )
    unscheduled: Mapped[list[UnscheduledRequest]] = relationship(
        back_populates="run", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def live(self) -> bool:
        """Published and not superseded: the plan exporters, inspectors and officers work to."""
        return self.published_at is not None and self.superseded_at is None


class ScheduleAssignment(IdMixin, Base):
    __tablename__ = "schedule_assignments"
    __table_args__ = (
        sa.CheckConstraint(one_of("kind", ASSIGNMENT_KINDS), name="kind"),
        sa.CheckConstraint('"end" > start', name="end_after_start"),
        sa.UniqueConstraint("run_id", "request_id", "kind"),
    )

    run_id: Mapped[int] = mapped_column(sa.ForeignKey("schedule_runs.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="RESTRICT"))
    start: Mapped[datetime]
    end: Mapped[datetime]
    pinned: Mapped[bool] = mapped_column(default=False)
    waived: Mapped[bool] = mapped_column(default=False)

    run: Mapped[ScheduleRun] = relationship(back_populates="assignments")
    request: Mapped["Shipment"] = relationship()  # noqa: F821
    site: Mapped["Site"] = relationship()  # noqa: F821
    inspectors: Mapped[list["Inspector"]] = relationship(secondary=assignment_inspectors)  # noqa: F821


class UnscheduledRequest(IdMixin, Base):
    __tablename__ = "unscheduled_requests"
    __table_args__ = (sa.UniqueConstraint("run_id", "request_id"),)

    run_id: Mapped[int] = mapped_column(sa.ForeignKey("schedule_runs.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_requests.id", ondelete="CASCADE"))
    reason_code: Mapped[str] = mapped_column(sa.String(60))
    reason_params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    reason_text: Mapped[str] = mapped_column(sa.Text)

    run: Mapped[ScheduleRun] = relationship(back_populates="unscheduled")
    request: Mapped["Shipment"] = relationship()  # noqa: F821

    @property
    def reason(self) -> str:
        """The reason in the reader's language (the optimizer's English when it has no translation)."""
        from ..reasons import unscheduled_text

        return unscheduled_text(self.reason_code, self.reason_params, self.reason_text)


from .inspector import Inspector  # noqa: E402
from .shipment import Shipment  # noqa: E402
from .site import Site  # noqa: E402
