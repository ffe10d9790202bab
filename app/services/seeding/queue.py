"""The demo queue: shipments requested for the next working days, for the optimizer to plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Exporter, Shipment, Site, User
from ..shipments.origins import origin_columns
from .common import SeedReport, load_json
from .reference import local_time
from .timeline import travel_minutes, workday

ARRIVAL_SLACK = timedelta(hours=3)
CROSSING_WINDOW = timedelta(hours=20)


def seed_demo_queue(session: Session, report: SeedReport) -> None:
    """Requested shipments keyed by reference and working day; existing ones are left as they are."""
    data = load_json("demo_queue.json")
    for lane in data["lanes"]:
        sites = [_site(session, code) for code in lane["sites"]]
        port = _site(session, lane["port"])
        exporter = session.scalar(sa.select(Exporter).where(Exporter.code == lane["exporter"]))
        creator = session.scalar(sa.select(User.id).where(User.exporter_id == exporter.id).limit(1))
        transit = timedelta(minutes=travel_minutes(session, sites[0], port))
        for offset in range(1, data["days"] + 1):
            day = workday(report.today, offset)
            for index in range(lane["per_day"]):
                reference = f"JI-Q{day:%y%m%d}-{lane['code']}{index + 1}"
                if session.scalar(sa.select(Shipment.id).where(Shipment.reference == reference)):
                    report.count("demo queue shipment", "unchanged")
                    continue
                _request(session, lane, reference, exporter, creator, sites, port, day, index, transit)
                report.count("demo queue shipment", "created")


def _request(session: Session, lane: dict[str, Any], reference: str, exporter: Exporter, creator: int | None,
             sites: list[Site], port: Site, day, index: int, transit: timedelta) -> None:
    ready = local_time(day, lane["first_ready"], sites[0].timezone) + timedelta(minutes=index * lane["spacing_minutes"])
    arrive = ready + transit + ARRIVAL_SLACK
    cross_by = arrive + CROSSING_WINDOW
    offset = port_offset_minutes(port, cross_by)
    session.add(Shipment(
        reference=reference, exporter_id=exporter.id, commodity_code=lane["commodity"],
        origin_state=lane["origin_state"], packhouse=lane["packhouse"], quantity=lane["quantity"],
        quantity_unit=lane["quantity_unit"], port_id=port.id, ready=ready, arrive_port=arrive, cross_by=cross_by,
        cross_by_offset_minutes=offset, inspection_minutes=lane["inspection_minutes"],
        border_inspection_minutes=lane["border_inspection_minutes"], priority=lane["priority"],
        created_by_id=creator, requested_at=ready - timedelta(days=2), sites=sites,
        **origin_columns(lane["origin_state"]),
    ))


def port_offset_minutes(port: Site, moment) -> int:
    from zoneinfo import ZoneInfo

    return int(moment.astimezone(ZoneInfo(port.timezone)).utcoffset().total_seconds() // 60)


def _site(session: Session, code: str) -> Site:
    return session.scalar(sa.select(Site).where(Site.code == code))
