"""Seeding: reference data (sites, commodities, the agreement, exporters, inspectors) for any setup,
demo accounts and shipments only for a demo. Demo shipments go through the same workflows as live ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone

from sqlalchemy.orm import Session

from . import demo as seeding_demo
from . import holidays as seeding_holidays
from . import plans as seeding_plans
from . import queue as seeding_queue
from . import reference as seeding_reference
from . import register as seeding_register
from .common import Progress, SeedError, SeedReport

__all__ = ["SeedError", "SeedReport", "seed"]


def seed(session: Session, *, demo_accounts: bool, today: date | None = None,
         progress: Progress | None = None) -> SeedReport:
    """Load the seed data; running it again changes nothing and duplicates nothing.

    Reference data (sites, commodities, the agreement and its rules, the Joint Work Plan,
    exporters, inspectors and their shifts, the federal holidays) is always loaded. Demo accounts and demo shipments
    only with `demo_accounts=True`: a production setup never gets accounts with a known password.
    Dates are relative to `today` (default: today in UTC). The caller commits.
    """
    report = SeedReport(today=today or datetime.now(timezone.utc).date())
    say = progress or (lambda message: None)
    steps: list[tuple[str, Callable[[Session, SeedReport], None]]] = [
        ("commodities", seeding_reference.seed_commodities),
        ("sites", seeding_reference.seed_sites),
        ("agreement, rules and Joint Work Plan", seeding_reference.seed_agreement),
        ("exporters and certifications", seeding_reference.seed_exporters),
        ("trusted-trader register and chain parties", seeding_register.seed_register),
        ("pilots and their gates", seeding_register.seed_pilots),
        ("seal stock", seeding_register.seed_seal_stock),
        ("inspectors and shifts", seeding_reference.seed_inspectors),
        ("federal holidays", seeding_holidays.seed_holidays),
    ]
    if demo_accounts:
        steps += [
            ("demo accounts", seeding_demo.seed_demo_accounts),
            ("demo shipments", seeding_demo.seed_demo_shipments),
            ("demo plans", seeding_plans.seed_demo_plans),
            ("demo queue", seeding_queue.seed_demo_queue),
        ]
    for label, step in steps:
        say(f"Seeding {label}...")
        step(session, report)
        session.flush()
    return report
