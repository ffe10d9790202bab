"""The request form's fields: what the browser posts, the choices offered, and a stored request as form values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from werkzeug.datastructures import MultiDict

from ...days import parse_day
from ...models import Commodity, Shipment, Site
from ...models.shipment import QUANTITY_UNITS, SHIPMENT_STATUSES
from ...services.shipments.records import RequestFilters
from ...services.shipments.checks import MEXICAN_STATES

TEXT_FIELDS = ("commodity", "quantity", "quantity_unit", "origin_state", "packhouse", "port", "ready",
               "arrive_port", "cross_by", "priority")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def request_form_data(form: MultiDict) -> dict[str, Any]:
    """The posted form as service input: text as typed, times in the port's local time."""
    data: dict[str, Any] = {name: form.get(name, "") for name in TEXT_FIELDS}
    data["sites"] = form.getlist("sites")
    # An unticked checkbox sends nothing, which must mean "no", not "use the default".
    data["sealable"] = "yes" if form.get("sealable") else "no"
    return data


def form_values(request: Shipment) -> dict[str, Any]:
    """A stored request as the form shows it: times as wall-clock time at the port."""
    zone = ZoneInfo(request.port.timezone)
    values: dict[str, Any] = {
        "commodity": request.commodity_code, "quantity": str(request.quantity), "quantity_unit": request.quantity_unit,
        "origin_state": request.origin_state, "packhouse": request.packhouse, "port": request.port.code,
        "priority": str(request.priority), "sites": [site.code for site in request.sites],
        "sealable": "yes" if request.sealable else "no",
    }
    for name in ("ready", "arrive_port", "cross_by"):
        values[name] = getattr(request, name).astimezone(zone).strftime(LOCAL_FORMAT)
    return values


NEW_REQUEST_VALUES = {"quantity_unit": "pallets", "sealable": "yes", "sites": [], "priority": ""}


@dataclass(frozen=True)
class InlandChoice:
    code: str
    name: str
    commodities: str  # space-separated codes, "*" for any: the script hides sites that do not fit

    def fits(self, commodity: str | None) -> bool:
        return not commodity or self.commodities == "*" or commodity in self.commodities.split()


@dataclass(frozen=True)
class FormChoices:
    commodities: list[Commodity]
    ports: list[Site]
    inland: list[InlandChoice]
    states: tuple[str, ...] = MEXICAN_STATES
    units: tuple[str, ...] = QUANTITY_UNITS


def form_choices(session: Session) -> FormChoices:
    commodities = session.scalars(sa.select(Commodity).order_by(Commodity.code)).all()
    ports = session.scalars(sa.select(Site).where(Site.kind == "port", Site.active).order_by(Site.name)).all()
    inland = session.scalars(
        sa.select(Site).where(Site.kind == "inland", Site.active)
        .options(selectinload(Site.commodities)).order_by(Site.name)
    ).all()
    choices = [InlandChoice(s.code, s.name, "*" if s.inspects_any else " ".join(c.code for c in s.commodities))
               for s in inland]
    return FormChoices(list(commodities), list(ports), choices)


def list_filters(args: MultiDict, zone: str = "UTC") -> tuple[RequestFilters, dict[str, str]]:
    """The shipment list's filters from the query string, days in `zone`; a wrong value is dropped and reported."""
    problems: dict[str, str] = {}
    status = args.get("status") or None
    if status and status not in SHIPMENT_STATUSES:
        problems["status"], status = status, None
    dates: dict[str, date | None] = {}
    for name in ("from", "to"):
        try:
            dates[name] = parse_day(args[name]) if args.get(name) else None
        except ValueError:
            problems[name], dates[name] = args[name], None
    page = args.get("page", "1")
    page_number = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    return RequestFilters(status, dates["from"], dates["to"], page_number, 20, zone), problems
