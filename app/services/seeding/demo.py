"""Seeding for a demo only: one account per role and shipments in every status."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import (
    BorderDecision, Exporter, Inspection, Inspector, InspectorBooking, Interception, Seal, SealEvent, Shipment, Site,
    Suspension, User,
)
from ..agreements.sampling import fixed_secret
from .common import SeedError, SeedReport, load_json
from .reference import local_time
from .shipments import ShipmentBuilder
from .timeline import workday
from ..shipments.parties import set_parties
from ..shipments.origins import origin_columns
from ..access.users import create_user


DEMO_VERIFICATION_SECRET = b"jointinspect demo verification 1"


def seed_demo_accounts(session: Session, report: SeedReport) -> None:
    """Create the demo accounts once; an existing account keeps its password and settings."""
    data = load_json("demo_accounts.json")
    for item in data["accounts"]:
        user = session.scalar(sa.select(User).where(User.username == item["username"]))
        if user is None:
            exporter = _by_code(session, Exporter, item["exporter"]) if "exporter" in item else None
            user = create_user(
                session, username=item["username"], password=data["password"], role=item["role"],
                display_name=item["display_name"], agency=item.get("agency"), exporter=exporter,
            )
            report.count("demo account", "created")
        else:
            report.count("demo account", "unchanged")
        if "inspector" in item:
            inspector = _by_code(session, Inspector, item["inspector"])
            if inspector.user_id != user.id:
                inspector.user_id = user.id
                report.count("inspector link", "updated")
        report.demo_accounts.append((user.username, user.role))
    report.demo_password = data["password"]


def seed_demo_shipments(session: Session, report: SeedReport) -> None:
    """Shipments keyed by reference; when the seeding date moved, they are made again from their story.

    A demo shipment seeded for the same date is left as it is, with whatever was done to it since.
    """
    specs = load_json("demo_shipments.json")["shipments"]
    stale = []
    for spec in specs:
        site = _by_code(session, Site, spec["site"])
        anchor = requested_at(report, spec, site)
        existing = session.scalar(sa.select(Shipment).where(Shipment.reference == spec["reference"]))
        if existing is not None and existing.requested_at == anchor:
            report.count("demo shipment", "unchanged")
            continue
        if existing is not None:
            _remove(session, existing)
        stale.append((spec, site, anchor))
    session.flush()
    builder = ShipmentBuilder(session, report)
    # Every install tells the same story: the demo's verification draws use a published secret.
    with fixed_secret(DEMO_VERIFICATION_SECRET):
        for spec, site, anchor in stale:
            _seed_shipment(session, report, builder, spec, site, anchor)


def requested_at(report: SeedReport, spec: dict[str, Any], site: Site) -> datetime:
    """When the exporter asked: 17:00 local two days before the inspection day; it marks the seeding date."""
    day = workday(report.today, spec["workday"])
    return local_time(day - timedelta(days=2), "17:00", site.timezone)


def _seed_shipment(session: Session, report: SeedReport, builder: ShipmentBuilder, spec: dict[str, Any],
                   site: Site, anchor: datetime) -> None:
    port = _by_code(session, Site, spec["port"])
    exporter = _by_code(session, Exporter, spec["exporter"])
    plan = builder.plan(spec, site, port, anchor)
    creator = session.scalar(
        sa.select(User.id).where(User.exporter_id == exporter.id).order_by(User.username).limit(1)
    )
    values = {
        "exporter_id": exporter.id, "commodity_code": spec["commodity"], "origin_state": spec["origin_state"],
        "packhouse": spec["packhouse"], "quantity": spec["quantity"], "quantity_unit": spec["quantity_unit"],
        "port_id": port.id, "priority": spec["priority"], "sealable": spec.get("sealable", True),
        "created_by_id": creator, **origin_columns(spec["origin_state"]),
        "inspection_minutes": plan.inspection_minutes, "border_inspection_minutes": plan.border_minutes,
        **plan.request_times(),
    }
    shipment = Shipment(reference=spec["reference"], sites=[site], **values)
    session.add(shipment)
    session.flush()
    report.count("demo shipment", "created")
    if spec.get("parties"):
        # The exporter names its chain when it asks, before anything is planned (the live workflow).
        set_parties(session, session.get(User, creator) if creator else None, shipment, spec["parties"])
    builder.record(shipment, spec, plan)


def _remove(session: Session, shipment: Shipment) -> None:
    """Drop a stale demo shipment with its inspections, interceptions, seals and decisions, children first."""
    seal_ids = sa.select(Seal.id).where(Seal.request_id == shipment.id)
    inspection_ids = sa.select(Inspection.id).where(Inspection.request_id == shipment.id)
    session.execute(sa.delete(SealEvent).where(SealEvent.seal_id.in_(seal_ids)))
    session.execute(sa.delete(Seal).where(Seal.request_id == shipment.id))
    session.execute(sa.delete(BorderDecision).where(BorderDecision.request_id == shipment.id))
    session.execute(sa.delete(InspectorBooking).where(InspectorBooking.inspection_id.in_(inspection_ids)))
    intercepted = set(session.scalars(sa.select(Interception.id).where(Interception.request_id == shipment.id)))
    if intercepted:  # the demo's own suspensions go with the finds that started them
        for suspension in session.scalars(sa.select(Suspension)):
            if intercepted & set(suspension.interceptions):
                session.delete(suspension)
        session.flush()
    session.execute(sa.delete(Interception).where(Interception.request_id == shipment.id))
    session.execute(sa.delete(Inspection).where(Inspection.request_id == shipment.id))
    session.execute(sa.delete(Shipment).where(Shipment.id == shipment.id))
    session.expire_all()


def _by_code(session: Session, model: type, code: str) -> Any:
    row = session.scalar(sa.select(model).where(model.code == code))
    if row is None:
        raise SeedError(f"unknown {model.__name__} {code!r} in the demo seed data")
    return row
