"""The trusted-trader (AEO) work plan's figures, read from the register: validations, revalidations, staffing."""

from __future__ import annotations

import statistics
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Certification
from ..dashboard.periods import Period

# The programs whose members the administrations validate and revalidate (FAST cards and packhouses are not).
AEO_PROGRAMS = ("CTPAT", "OEA")
GOOD = ("certified", "validated")
EARLY = timedelta(days=90)

Figure = tuple[float | None, dict[str, Any]]


def _entries(session: Session) -> sa.Select:
    return sa.select(Certification).where(Certification.program.in_(AEO_PROGRAMS))


def validations_done_share(session: Session, period: Period) -> Figure:
    """Of the validations planned in the period, the share done by its end (up to 90 days early counts)."""
    planned = list(session.scalars(_entries(session).where(
        Certification.validation_planned_on.between(period.first, period.last))))
    done = [e for e in planned if e.last_validated_on is not None and e.last_validated_on <= period.last
            and e.last_validated_on >= e.validation_planned_on - EARLY]
    value = round(100 * len(done) / len(planned), 2) if planned else None
    return value, {"planned": len(planned), "done": len(done)}


def revalidations_overdue(session: Session, period: Period) -> Figure:
    """Members in good standing whose revalidation was due by the period's end and is not done."""
    due = list(session.scalars(_entries(session).where(
        Certification.status.in_(GOOD), Certification.revalidation_due.is_not(None),
        Certification.revalidation_due <= period.last)))
    overdue = [e for e in due if e.last_validated_on is None or e.last_validated_on < e.revalidation_due]
    return float(len(overdue)), {"due": len(due), "overdue": len(overdue),
                                 "programs": sorted({e.program for e in overdue})}


def median_days_to_certify(session: Session, period: Period) -> Figure:
    """Median days from application to certification of the members certified in the period."""
    rows = session.execute(sa.select(Certification.applied_on, Certification.certified_on).where(
        Certification.program.in_(AEO_PROGRAMS), Certification.applied_on.is_not(None),
        Certification.certified_on.between(period.first, period.last))).all()
    days = [(certified - applied).days for applied, certified in rows if certified >= applied]
    value = float(statistics.median(days)) if days else None
    return value, {"certified": len(days), "median_days": value}


def companies_per_validator(session: Session, period: Period) -> Figure:
    """Members in good standing at the period's end per validator who validated them: the staffing load."""
    rows = session.execute(sa.select(Certification.validator, Certification.exporter_id, Certification.party_id)
                           .where(Certification.program.in_(AEO_PROGRAMS), Certification.status.in_(GOOD),
                                  Certification.validator.is_not(None),
                                  sa.or_(Certification.certified_on.is_(None),
                                         Certification.certified_on <= period.last))).all()
    validators = {validator for validator, _e, _p in rows}
    companies = {(exporter, party) for _v, exporter, party in rows}
    value = round(len(companies) / len(validators), 2) if validators else None
    return value, {"companies": len(companies), "validators": len(validators)}
