"""The logistics chain of a shipment: the packhouse, carrier, driver, importer and customs broker it names.

The exporter (or a planner) names them until the truck reaches the border; once the border decision was taken,
a change of chain is decided again, since a rule may ask for the whole chain in good standing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Shipment, ShipmentParty, TradeParty, User
from ...models.register import CHAIN_LINKS
from .. import recognition
from ..access.audit import record
from ..errors import WorkflowError
from .lifecycle import ON_THE_WAY, PLANNABLE

CHANGEABLE = (*PLANNABLE, *ON_THE_WAY)


def parties_of(session: Session, shipment: Shipment) -> dict[str, TradeParty]:
    rows = session.execute(sa.select(ShipmentParty.link, TradeParty).join(TradeParty)
                           .where(ShipmentParty.request_id == shipment.id))
    return {link: party for link, party in rows}


def party_ids(session: Session, codes: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    """(link, party id) of the parties named by code, each checked to be of its link's kind."""
    named = []
    for link, code in codes.items():
        if link not in CHAIN_LINKS:
            raise WorkflowError(_("Unknown field."), link)
        if code in (None, ""):
            continue
        party = session.scalar(sa.select(TradeParty).where(TradeParty.code == str(code).strip().upper()))
        if party is None or party.kind != link:
            raise WorkflowError(_("No %(link)s is registered with the code %(code)s.", link=link, code=code), link)
        named.append((link, party.id))
    return tuple(named)


def set_parties(session: Session, actor: User | None, shipment: Shipment, codes: Mapping[str, Any]) -> dict[str, TradeParty]:
    """Name (or clear, with an empty code) the parties of the chain; audited, and decided again if planned."""
    if shipment.status not in CHANGEABLE:
        raise WorkflowError(_("The chain of a shipment is fixed once it reaches the border."), "status")
    named = dict(party_ids(session, codes))
    before = {link: party.code for link, party in parties_of(session, shipment).items()}
    for link in codes:
        session.execute(sa.delete(ShipmentParty).where(ShipmentParty.request_id == shipment.id,
                                                       ShipmentParty.link == link))
        if link in named:
            session.add(ShipmentParty(request_id=shipment.id, link=link, party_id=named[link]))
    session.flush()
    after = {link: party.code for link, party in parties_of(session, shipment).items()}
    if after != before:
        record(session, actor, "shipment.parties", shipment, before=before, after=after)
        recognition.decide_again(session, actor, shipment)
    return parties_of(session, shipment)
