"""Schemas of the bearer-token API."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..models import ApiToken, utcnow
from ..services.access.tokens import MAX_EXPIRES_DAYS


class TokenSchema(Schema):
    """A token as listed: never its secret, only the first characters to recognise it."""

    id = fields.Integer()
    name = fields.String()
    prefix = fields.String(metadata={"description": "First characters of the secret"})
    username = fields.Function(lambda token: token.user.username, dump_only=True)
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    status = fields.Method("_status", metadata={"enum": ["active", "expired", "revoked"]})

    def _status(self, token: ApiToken) -> str:
        return token.status_at(utcnow())


class TokenCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    username = fields.String(required=True, validate=validate.Length(1, 80), metadata={"description": "whose token"})
    name = fields.String(required=True, validate=validate.Length(1, 80), metadata={"description": "what it is for"})
    expires_days = fields.Integer(load_default=90, allow_none=True,
                                  validate=validate.Range(min=1, max=MAX_EXPIRES_DAYS),
                                  metadata={"description": "days until it stops working; null: never"})


class CreatedTokenSchema(TokenSchema):
    secret = fields.String(metadata={"description": "Send it as 'Authorization: Bearer <secret>'; shown only here"})
