"""Schemas of the bearer-token API."""

from __future__ import annotations

from marshmallow import Schema, fields

from ..models import ApiToken, utcnow


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
