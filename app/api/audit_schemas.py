"""Schemas of the audit-log API."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..days import DAY_RANGE
from ..services.access.audit_search import MAX_PAGE_SIZE


class AuditQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    entity_type = fields.String(validate=validate.Length(max=40))
    entity_id = fields.String(validate=validate.Length(max=40))
    actor = fields.String(validate=validate.Length(max=80), metadata={"description": "Username of who acted"})
    action = fields.String(validate=validate.Length(max=60))
    date_from = fields.Date(validate=DAY_RANGE, metadata={"description": "From this UTC day"})
    date_to = fields.Date(validate=DAY_RANGE, metadata={"description": "Up to and including this UTC day"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


class AuditEntrySchema(Schema):
    id = fields.Integer(attribute="entry.id")
    occurred_at = fields.DateTime(attribute="entry.occurred_at")
    actor = fields.String(attribute="actor_username", allow_none=True, metadata={"description": "Username, if any"})
    action = fields.String(attribute="entry.action")
    entity_type = fields.String(attribute="entry.entity_type")
    entity_id = fields.String(attribute="entry.entity_id")
    before = fields.Dict(attribute="entry.before", allow_none=True)
    after = fields.Dict(attribute="entry.after", allow_none=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
    pages = fields.Integer()
