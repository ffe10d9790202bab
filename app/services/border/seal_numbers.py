"""Seal numbers: ISO 17712 mechanical numbers and ISO 18185 electronic ids, checked and normalised."""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Seal, SealStock, Site
from ..errors import WorkflowError
from .seal_stock import range_of

SEAL_KINDS = ("mechanical", "electronic")
MAX_SEALS = 10
# ISO 17712 does not fix a length; a 4-letter owner prefix is usual, never required, and every
# seal printed in practice carries digits.
MECHANICAL = re.compile(r"^(?=.*[0-9])[A-Z0-9-]{6,20}$")
# ISO 18185 tags report a numeric or hex id; some readers print it with letters of the issuer.
ELECTRONIC = re.compile(r"^[A-Z0-9]{8,32}$")


def normalise(number: str) -> str:
    """Officers and inspectors type numbers as printed: case and surrounding spaces do not count."""
    return (number or "").strip().upper()


def check_number(number: str, kind: str, field: str) -> str:
    """The normalised number, or a refusal naming the field."""
    if kind not in SEAL_KINDS:
        raise WorkflowError(_("Choose mechanical or electronic for the seal kind."), field=field)
    value = normalise(number)
    if kind == "mechanical" and not MECHANICAL.match(value):
        raise WorkflowError(_("A mechanical seal number has 6 to 20 letters, digits or hyphens, "
                              "with at least one digit."), field=field)
    if kind == "electronic" and not ELECTRONIC.match(value):
        raise WorkflowError(_("An electronic seal id has 8 to 32 letters or digits."), field=field)
    return value


def check_new_seals(session: Session, seals: Sequence[tuple[str, str]],
                    site: Site | None = None) -> list[tuple[str, str, SealStock | None]]:
    """Seals about to be applied: valid, not listed twice, not already used on any shipment, and (at a site)
    issued to that site in its seal stock, of the kind given; each with the range it was issued in."""
    if len(seals) > MAX_SEALS:
        raise WorkflowError(_("Apply at most %(count)s seals at once.", count=MAX_SEALS), field="seals")
    checked: list[tuple[str, str, SealStock | None]] = []
    for index, (number, kind) in enumerate(seals):
        field = f"seals[{index}]"
        value = check_number(number, kind, field)
        if any(value == seen for seen, _kind, _stock in checked):
            raise WorkflowError(_("Seal number %(number)s is listed twice.", number=value), field=field)
        if session.scalar(sa.select(Seal.id).where(Seal.number == value)) is not None:
            raise WorkflowError(_("Seal number %(number)s is already recorded on a shipment.", number=value),
                                field=field)
        checked.append((value, kind, issued_to(session, site, value, kind, field) if site is not None else None))
    return checked


def issued_to(session: Session, site: Site, number: str, kind: str, field: str) -> SealStock:
    """The range of the site's stock the number was issued in; a number from elsewhere, or none, is refused."""
    stock = range_of(session, number, site)
    if stock is None:
        raise WorkflowError(_("Seal number %(number)s was not issued to %(site)s: apply a seal from the site's "
                              "stock.", number=number, site=site.name), field=field)
    if stock.kind != kind:
        message = (_("Seal number %(number)s was issued as an electronic seal.", number=number)
                   if stock.kind == "electronic" else
                   _("Seal number %(number)s was issued as a mechanical seal.", number=number))
        raise WorkflowError(message, field=field)
    return stock
