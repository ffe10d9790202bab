"""Seal stock: numbered ranges of ISO 17712 seals an issuer (CBP, as in the avocado program) gives a site.

A seal applied at a site must come from a range issued to that site; a number is used once (seals.number is
unique). Ranges never overlap, so every number has one issuer and one ISO 17712 class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.orm import Session

from ...models import Seal, SealStock, Site, User, utcnow
from ...models.seal import ISO_17712_CLASSES, SEAL_ISSUERS, SEAL_KINDS
from ..access.audit import record
from ..errors import WorkflowError

PREFIX = re.compile(r"^[A-Z0-9-]{0,20}$")
CLASS_LABELS = {"H": _l("H: high security"), "S": _l("S: security"), "I": _l("I: indicative")}
MAX_RANGE = 1_000_000


@dataclass(frozen=True)
class StockUse:
    stock: SealStock
    used: int

    @property
    def left(self) -> int:
        return self.stock.size - self.used


def stock_of(session: Session, site: Site | None = None) -> list[SealStock]:
    query = sa.select(SealStock).order_by(SealStock.site_id, SealStock.prefix, SealStock.first)
    if site is not None:
        query = query.where(SealStock.site_id == site.id)
    return list(session.scalars(query))


def range_of(session: Session, number: str, site: Site | None = None) -> SealStock | None:
    """The issued range a number belongs to: of the site given, else at whichever site."""
    query = sa.select(SealStock).where(sa.literal(number).startswith(SealStock.prefix)).order_by(SealStock.id)
    if site is not None:
        query = query.where(SealStock.site_id == site.id)
    return next((stock for stock in session.scalars(query) if range_of_number(stock, number)), None)


def usage(session: Session, stock: SealStock) -> StockUse:
    """How many numbers of the range were applied (seals are matched by the range's numbers)."""
    numbers = session.scalars(sa.select(Seal.number).where(Seal.number.startswith(stock.prefix)))
    used = sum(1 for n in numbers if range_of_number(stock, n))
    return StockUse(stock, used)


def range_of_number(stock: SealStock, number: str) -> bool:
    rest = number[len(stock.prefix):] if number.startswith(stock.prefix) else ""
    return len(rest) == stock.digits and rest.isdigit() and stock.first <= int(rest) <= stock.last


def next_unused(session: Session, site: Site, kind: str = "mechanical") -> str | None:
    """A number of the site's stock not used yet, to suggest to the inspector."""
    for stock in stock_of(session, site):
        if stock.kind != kind:
            continue
        used = set(session.scalars(sa.select(Seal.number).where(Seal.number.startswith(stock.prefix))))
        for n in range(stock.first, min(stock.last, stock.first + 10_000) + 1):
            if stock.number(n) not in used:
                return stock.number(n)
    return None


def issue_range(session: Session, actor: User | None, site: Site, *, issuer: Any, iso_class: Any, kind: Any,
                prefix: Any, first: Any, last: Any, digits: Any, issued_on: Any = None) -> SealStock:
    """Issue the numbers prefix+first..prefix+last (zero-padded to `digits`) to the site; audited."""
    if issuer not in SEAL_ISSUERS:
        raise WorkflowError(_("Choose CBP, APHIS or SENASICA as the issuer."), "issuer")
    if iso_class not in ISO_17712_CLASSES:
        raise WorkflowError(_("Choose the ISO 17712 class H, S or I."), "iso_class")
    if kind not in SEAL_KINDS:
        raise WorkflowError(_("Choose mechanical or electronic for the seal kind."), "kind")
    prefix = (prefix or "").strip().upper() if isinstance(prefix, str) else None
    if prefix is None or not PREFIX.match(prefix):
        raise WorkflowError(_("A prefix has up to 20 capital letters, digits or hyphens."), "prefix")
    first, last, digits = (_whole(value, name) for value, name in ((first, "first"), (last, "last"),
                                                                   (digits, "digits")))
    if not 1 <= digits <= 18 or len(str(last)) > digits:
        raise WorkflowError(_("Give enough digits for the last number (at most 18)."), "digits")
    if last < first or last - first + 1 > MAX_RANGE:
        raise WorkflowError(_("The last number must follow the first, at most a million seals at once."), "last")
    if issued_on is not None and not isinstance(issued_on, date):
        raise WorkflowError(_("Give a date as YYYY-MM-DD."), "issued_on")
    overlap = _overlapping(session, prefix, digits, first, last)
    if overlap is not None:
        raise WorkflowError(_("These numbers overlap a range already issued to %(site)s (%(first)s to %(last)s).",
                              site=overlap.site.name, first=overlap.number(overlap.first),
                              last=overlap.number(overlap.last)), "first")
    stock = SealStock(site_id=site.id, issuer=issuer, iso_class=iso_class, kind=kind, prefix=prefix, first=first,
                      last=last, digits=digits, issued_on=issued_on or utcnow().date(),
                      issued_by_id=getattr(actor, "id", None))
    session.add(stock)
    session.flush()
    record(session, actor, "seal_stock.issued", stock, after={
        "site": site.code, "issuer": issuer, "iso_class": iso_class, "kind": kind,
        "from": stock.number(first), "to": stock.number(last)})
    return stock


def _whole(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise WorkflowError(_("Give a whole number zero or above."), field)
    return value


def _overlapping(session: Session, prefix: str, digits: int, first: int, last: int) -> SealStock | None:
    return session.scalar(sa.select(SealStock).where(
        SealStock.prefix == prefix, SealStock.digits == digits, SealStock.first <= last, SealStock.last >= first))
