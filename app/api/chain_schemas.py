"""Schemas of a request's logistics chain."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields

from .register_schemas import PartySchema


class ChainSchema(Schema):
    request = fields.String()
    parties = fields.Dict(keys=fields.String(), values=fields.Nested(PartySchema),
                          metadata={"description": "by link: packhouse, carrier, driver, importer, broker"})


class ChainInSchema(Schema):
    """Each link given is set to the party with that register code (null clears it); links left out stay."""

    class Meta:
        unknown = RAISE

    packhouse = fields.String(allow_none=True)
    carrier = fields.String(allow_none=True)
    driver = fields.String(allow_none=True)
    importer = fields.String(allow_none=True)
    broker = fields.String(allow_none=True)
