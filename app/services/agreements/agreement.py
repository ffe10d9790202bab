"""Agreements: creating them and moving them through their lifecycle, audited."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ...models import Agreement, User
from ...models.agreement import AGREEMENT_STATUSES
from ..access.audit import record
from ..errors import ConflictError, WorkflowError
from ..recognition import AGREEMENT_TRANSITIONS, LifecycleError, agreement_transition

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")
STATUS_LABELS = {
    "draft": _l("Draft"), "active": _l("Active"), "suspended": _l("Suspended"), "expired": _l("Expired"),
}


class EditConflict(ConflictError):
    """Someone else changed the record since it was read; the API answers 409."""


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def get_agreement(session: Session, code: str) -> Agreement | None:
    return session.scalar(sa.select(Agreement).where(Agreement.code == code))


def list_agreements(session: Session) -> list[Agreement]:
    return list(session.scalars(sa.select(Agreement).order_by(Agreement.code)))


def check_code(value: Any, field: str = "code") -> str:
    """Codes are short upper-case identifiers such as MR-APHIS-SENASICA-2024."""
    code = (value or "").strip() if isinstance(value, str) else ""
    if not CODE_PATTERN.match(code):
        raise WorkflowError(_("Use 2 to 40 capital letters, digits or hyphens, e.g. MR-AVO-01."), field)
    return code


def check_text(value: Any, field: str, max_length: int, required: bool = True) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        if required:
            raise WorkflowError(_("This field is required."), field)
        return None
    if len(text) > max_length:
        raise WorkflowError(_("Use at most %(n)s characters.", n=max_length), field)
    return text


def check_date(value: Any, field: str, required: bool = True) -> date | None:
    if value is None and not required:
        return None
    if not isinstance(value, date):
        raise WorkflowError(_("Give a date as YYYY-MM-DD."), field)
    return value


def check_expected_version(record_version: int, expected: int | None) -> None:
    """A client that read an older version must reload before changing it."""
    if expected is not None and expected != record_version:
        raise EditConflict(_("Someone else changed this in the meantime; reload and try again."), "version_id")


def create_agreement(session: Session, actor: User | None, *, code: Any, title: Any,
                     parties: Any = "APHIS-SENASICA", signed_on: Any = None,
                     effective_from: Any = None, effective_to: Any = None) -> Agreement:
    """A new agreement, always a draft: it waives nothing until it is activated."""
    code = check_code(code)
    title = check_text(title, "title", 300)
    parties = check_text(parties, "parties", 100)
    signed_on = check_date(signed_on, "signed_on", required=False)
    effective_from = check_date(effective_from, "effective_from", required=False)
    effective_to = check_date(effective_to, "effective_to", required=False)
    if effective_from and effective_to and effective_to < effective_from:
        raise WorkflowError(_("The end must not be before the start."), "effective_to")
    if get_agreement(session, code) is not None:
        raise WorkflowError(_("An agreement with code %(code)s already exists.", code=code), "code")
    agreement = Agreement(code=code, title=title, parties=parties, signed_on=signed_on,
                          effective_from=effective_from, effective_to=effective_to, status="draft")
    session.add(agreement)
    session.flush()
    record(session, actor, "agreement.created", agreement, after=_snapshot(agreement))
    return agreement


def allowed_statuses(agreement: Agreement) -> list[str]:
    """The statuses the lifecycle lets this agreement move to now, in a stable order."""
    allowed = AGREEMENT_TRANSITIONS.get(agreement.status, frozenset())
    return [status for status in AGREEMENT_STATUSES if status in allowed]


def checked_status_change(agreement: Agreement, to_status: Any, on: Any, reason: Any,
                          expected_version: int | None) -> tuple[Any, date, str | None]:
    """The agreement as it would be after the change, with the checked date and reason; the refusal a person
    reads when the status, the date, the reason, the version or the lifecycle does not allow it."""
    if to_status not in AGREEMENT_STATUSES:
        raise WorkflowError(_("Choose one of the agreement statuses."), "status")
    on = check_date(on, "on")
    reason = check_text(reason, "reason", 1000, required=False)
    check_expected_version(agreement.version_id, expected_version)
    try:
        return agreement_transition(agreement, to_status, on, reason), on, reason
    except LifecycleError as error:
        raise _lifecycle_refusal(agreement, to_status, reason) from error


def change_status(session: Session, actor: User | None, agreement: Agreement, to_status: Any, on: Any,
                  reason: Any = None, expected_version: int | None = None) -> Agreement:
    """Move the agreement to a new status from `on`, as the lifecycle allows; audited."""
    changed, on, reason = checked_status_change(agreement, to_status, on, reason, expected_version)
    before = _snapshot(agreement)
    agreement.status, agreement.status_since = changed.status, changed.status_since
    agreement.status_reason = changed.status_reason
    if changed.status == "active" and agreement.effective_from is None:
        # Activating an agreement without a start date puts it in force from that day.
        agreement.effective_from = on
    flush_or_conflict(session)
    record(session, actor, f"agreement.{to_status}", agreement, before=before, after=_snapshot(agreement))
    return agreement


def flush_or_conflict(session: Session) -> None:
    """Flush; a row changed by someone else since it was read (version_id_col) is a conflict."""
    try:
        session.flush()
    except StaleDataError as error:
        session.rollback()  # the session is unusable until then, even for reading the reader's language
        raise EditConflict(_("Someone else changed this in the meantime; reload and try again."),
                           "version_id") from error


def _lifecycle_refusal(agreement: Agreement, to_status: str, reason: str | None) -> WorkflowError:
    """The engine refused; say why in the reader's language and name the field to fix."""
    allowed = allowed_statuses(agreement)
    if to_status not in allowed:
        names = ", ".join(status_label(s) for s in allowed) or _("none")
        return WorkflowError(_("Agreement %(code)s is %(current)s and cannot become %(to)s (possible: %(allowed)s).",
                               code=agreement.code, current=status_label(agreement.status),
                               to=status_label(to_status), allowed=names), "status")
    if to_status == "suspended" and not reason:
        return WorkflowError(_("Say why the agreement is suspended."), "reason")
    return WorkflowError(_("The change cannot be dated before %(since)s, when the agreement became %(current)s.",
                           since=agreement.status_since.isoformat() if agreement.status_since else "",
                           current=status_label(agreement.status)), "on")


def _snapshot(agreement: Agreement) -> dict[str, Any]:
    return {
        "code": agreement.code, "status": agreement.status,
        "status_since": agreement.status_since.isoformat() if agreement.status_since else None,
        "status_reason": agreement.status_reason,
        "effective_from": agreement.effective_from.isoformat() if agreement.effective_from else None,
        "effective_to": agreement.effective_to.isoformat() if agreement.effective_to else None,
    }
