"""Schemas of the trusted-trader register API; input schemas refuse unknown fields."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..models.register import CERTIFICATE_STATUSES, CHAIN_LINKS, TIERS


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class ProgramSchema(Schema):
    code = fields.String()
    name_en = fields.String()
    name_es = fields.String()
    administration = fields.String(metadata={"description": "CBP, SAT/ANAM, SENASICA"})
    country = fields.String()
    holders = fields.List(fields.String(), metadata={"description": "the links of a chain it certifies"})
    has_tiers = fields.Boolean()
    has_expiry = fields.Boolean(metadata={"description": "false for CTPAT: certified, validated, revalidated"})
    revalidation_years = fields.Integer(allow_none=True)
    aliases = fields.List(fields.String(), metadata={"description": "other spellings read as this program"})


class ArrangementSchema(Schema):
    code = fields.String()
    title_en = fields.String()
    title_es = fields.String()
    programs = fields.Function(lambda a: [a.program_a, a.program_b])
    signed_on = fields.Date()
    ended_on = fields.Date(allow_none=True)


class PartySchema(Schema):
    code = fields.String()
    kind = fields.String(metadata={"description": "packhouse, carrier, driver, importer or broker"})
    name = fields.String()
    country = fields.String()
    identifier = fields.String(metadata={"description": "RFC, EIN, SCAC or FAST card number"})


class PartyInSchema(StrictSchema):
    code = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(CHAIN_LINKS))
    name = fields.String(required=True)
    country = fields.String(required=True, validate=validate.OneOf(("MX", "US")))
    identifier = fields.String(required=True)


class StatusSchema(Schema):
    id = fields.Integer()
    program = fields.String()
    certificate_id = fields.String()
    holder = fields.Function(lambda e: e.exporter.code if e.exporter else e.party.code)
    holder_kind = fields.String()
    holder_name = fields.String()
    status = fields.String()
    tier = fields.String(allow_none=True)
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True, metadata={"description": "empty for a program without expiry"})
    applied_on = fields.Date(allow_none=True)
    certified_on = fields.Date(allow_none=True)
    validation_planned_on = fields.Date(allow_none=True)
    last_validated_on = fields.Date(allow_none=True)
    revalidation_due = fields.Date(allow_none=True)
    validator = fields.String(allow_none=True)
    status_since = fields.Date(allow_none=True)
    status_reason = fields.String(allow_none=True)
    version_id = fields.Integer(metadata={"description": "Send it back when changing the entry; 409 if stale."})


class StatusInSchema(StrictSchema):
    """One holder's status in one program, created or changed by its certificate id (as the register publishes)."""

    program = fields.String(required=True, metadata={"description": "CTPAT, OEA, FAST... (C-TPAT reads as CTPAT)"})
    holder = fields.String(required=True, metadata={"description": "an exporter's or a party's code"})
    certificate_id = fields.String(required=True)
    status = fields.String(load_default="certified", validate=validate.OneOf(CERTIFICATE_STATUSES))
    tier = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(TIERS))
    valid_from = fields.Date(load_default=None, allow_none=True)
    valid_until = fields.Date(load_default=None, allow_none=True)
    applied_on = fields.Date(load_default=None, allow_none=True)
    certified_on = fields.Date(load_default=None, allow_none=True)
    validation_planned_on = fields.Date(load_default=None, allow_none=True)
    last_validated_on = fields.Date(load_default=None, allow_none=True)
    revalidation_due = fields.Date(load_default=None, allow_none=True)
    validator = fields.String(load_default=None, allow_none=True)
    status_since = fields.Date(load_default=None, allow_none=True)
    status_reason = fields.String(load_default=None, allow_none=True)
    version_id = fields.Integer(load_default=None, allow_none=True)


class StatusQuerySchema(StrictSchema):
    program = fields.String(load_default=None)
    holder = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(CERTIFICATE_STATUSES))


class ImportInSchema(StrictSchema):
    csv = fields.String(required=True, metadata={"description": "the register's file: a header line, then one "
                                                                "line per holder and program"})


class ImportOutSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
