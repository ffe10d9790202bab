"""A sealable avocado shipment bound for Nogales, scheduled for its joint inspection, with its people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.models import Inspection, Shipment, Inspector, Rule, Site
from tests.factories import (
    make_agreement, make_booking, make_certification, make_exporter, make_inspection, make_inspector, make_rule,
    make_seal_stock, make_shipment, make_site,
)

# Yesterday, on the hour: the joint inspection has happened by now and the truck can arrive today,
# within the rule's 48 hours (nothing is recorded before it can have happened).
READY = (datetime.now(timezone.utc) - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)


@dataclass
class SealScenario:
    port: Site
    site: Site
    request: Shipment
    inspection: Inspection
    rule: Rule
    inspector: Inspector
    officer: Inspector


def seal_scenario(session, users, *, requires_seal: bool = True, port_code: str | None = None,
                  certified: bool = True, ready: datetime = READY) -> SealScenario:
    """Rule MR-AVO v2 (v1 superseded) waives sealed OEA avocados for this port within 48 h.

    The port is made once per code: a second scenario at the same port shares it, its rule and its officer.
    """
    existing = session.scalar(sa.select(Site).where(Site.code == port_code)) if port_code else None
    if existing is not None:
        return _another_shipment(session, users, existing, ready)
    port = make_site(session, kind="port", timezone="America/Phoenix", state="AZ",
                     **({"code": port_code} if port_code else {}))
    site = make_site(session, kind="inland", timezone="America/Mexico_City")
    # The site's seal stock, as CBP issues it: the numbers the tests apply come from it.
    for prefix, digits, kind in (("NOGA-", 6, "mechanical"), ("HS-", 8, "mechanical"), ("ES", 8, "electronic"),
                                 ("ES000000000000", 18, "electronic")):
        make_seal_stock(session, site, prefix=prefix, digits=digits, last=10**digits - 1, kind=kind)
    exporter = users["exporter"].exporter if "exporter" in users else make_exporter(session)
    if certified:
        make_certification(session, exporter, "OEA")
    agreement = make_agreement(session)
    common = dict(code=f"MR-AVO-{port.code}", ports=[port.code], requires_certifications=["OEA"],
                  requires_seal=requires_seal, max_hours_before_crossing=48.0)
    make_rule(session, agreement, version=1, superseded_at=READY - timedelta(days=30), **common)
    rule = make_rule(session, agreement, version=2, **common)
    request = make_shipment(session, exporter=exporter, port=port, status="scheduled", ready=ready)
    request.sites.append(site)
    inspection = make_inspection(session, request, ready + timedelta(hours=1), site=site, status="scheduled",
                                 result=None)
    # A second scenario in one test reuses the people (one inspector row per user).
    inspector = _staff(session, users["inspector"], "SENASICA", site)
    make_booking(session, inspection, inspector)
    officer = _staff(session, users["officer"], "CBP", port)
    session.commit()
    return SealScenario(port, site, request, inspection, rule, inspector, officer)


def _another_shipment(session, users, port: Site, ready: datetime) -> SealScenario:
    """One more scheduled shipment at a port an earlier scenario made, under its rule, with its people."""
    rule = session.scalar(sa.select(Rule).where(Rule.code == f"MR-AVO-{port.code}", Rule.superseded_at.is_(None)))
    inspector = session.scalar(sa.select(Inspector).where(Inspector.user_id == users["inspector"].id))
    officer = session.scalar(sa.select(Inspector).where(Inspector.user_id == users["officer"].id))
    site = inspector.home_site
    request = make_shipment(session, exporter=users["exporter"].exporter, port=port, status="scheduled", ready=ready)
    request.sites.append(site)
    inspection = make_inspection(session, request, ready + timedelta(hours=1), site=site, status="scheduled",
                                 result=None)
    make_booking(session, inspection, inspector)
    session.commit()
    return SealScenario(port, site, request, inspection, rule, inspector, officer)


def _staff(session, user, agency: str, home_site: Site) -> Inspector:
    existing = session.scalar(sa.select(Inspector).where(Inspector.user_id == user.id))
    return existing or make_inspector(session, agency, home_site=home_site, user_id=user.id)
