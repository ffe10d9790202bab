"""Schemas of the seal stock API: numbered ranges issued to sites."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..models.seal import ISO_17712_CLASSES, SEAL_ISSUERS, SEAL_KINDS


class SealStockSchema(Schema):
    id = fields.Integer()
    site = fields.Function(lambda s: s.site.code)
    issuer = fields.String()
    iso_class = fields.String(metadata={"description": "ISO 17712: H high security, S security, I indicative"})
    kind = fields.String()
    first_number = fields.Function(lambda s: s.number(s.first))
    last_number = fields.Function(lambda s: s.number(s.last))
    issued_on = fields.Date()


class SealStockInSchema(Schema):
    class Meta:
        unknown = RAISE

    site = fields.String(required=True)
    issuer = fields.String(required=True, validate=validate.OneOf(SEAL_ISSUERS))
    iso_class = fields.String(required=True, validate=validate.OneOf(ISO_17712_CLASSES))
    kind = fields.String(load_default="mechanical", validate=validate.OneOf(SEAL_KINDS))
    prefix = fields.String(load_default="")
    first = fields.Integer(required=True, strict=True)
    last = fields.Integer(required=True, strict=True)
    digits = fields.Integer(required=True, strict=True)
    issued_on = fields.Date(load_default=None, allow_none=True)


class SealStockQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    site = fields.String(load_default=None)
