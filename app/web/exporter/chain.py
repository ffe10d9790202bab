"""The logistics chain of one of the exporter's shipments: the parties it names, and naming them."""

from __future__ import annotations

from typing import Any

from flask import flash
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField

from ...extensions import db
from ...models import Shipment
from ...services.agreements.register import LINK_LABELS
from ...services.errors import WorkflowError
from ...services.shipments.parties import CHANGEABLE, parties_of, set_parties

LINKS = ("packhouse", "carrier", "driver", "importer", "broker")


class ChainForm(FlaskForm):
    packhouse = StringField(_l("Packhouse"))
    carrier = StringField(_l("Carrier"))
    driver = StringField(_l("Driver (FAST)"))
    importer = StringField(_l("Importer"))
    broker = StringField(_l("Customs broker"))


def chain_context(shipment: Shipment, form: ChainForm | None = None) -> dict[str, Any]:
    """What the shipment page shows of the chain: the named parties and, while it may change, the form."""
    named = parties_of(db.session, shipment)
    if form is None and shipment.status in CHANGEABLE:
        form = ChainForm(formdata=None, **{link: party.code for link, party in named.items()})
    return {"named": named, "form": form, "labels": LINK_LABELS, "links": LINKS}


def chain_codes(shipment: Shipment) -> dict[str, str]:
    return {link: party.code for link, party in parties_of(db.session, shipment).items()}


def save_chain(shipment: Shipment, form: ChainForm) -> bool:
    """Name the parties the form gives; a refusal goes next to its field, nothing is kept."""
    if not form.validate_on_submit():
        return False
    try:
        set_parties(db.session, current_user, shipment, {link: form[link].data for link in LINKS})
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        target = form[error.field] if error.field in LINKS else None
        (target.errors.append if target is not None else form.form_errors.append)(error.message)
        return False
    flash(_("The shipment's logistics chain is saved."), "success")
    return True
