"""Schemas of the accounts API: accounts as listed, created and changed; password resets."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..models.user import LANGUAGES
from ..roles import AGENCIES, ROLES
from ..services.access.password_setup import MODES


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    email = fields.String(allow_none=True)
    role = fields.String(metadata={"enum": list(ROLES)})
    agency = fields.String(allow_none=True)
    exporter = fields.Function(lambda user: user.exporter.code if user.exporter else None, allow_none=True,
                               metadata={"description": "the company's code (exporters only)"})
    language = fields.String()
    active = fields.Boolean()
    must_change_password = fields.Boolean()
    last_login_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()


class PasswordSetupSchema(Schema):
    mode = fields.String(metadata={"enum": list(MODES)})
    reset_url = fields.String(allow_none=True, metadata={"description": "the one-time link (mode link), shown once"})
    temporary_password = fields.String(allow_none=True, metadata={"description": "mode temporary, shown once"})
    expires_at = fields.AwareDateTime(allow_none=True)


class CreatedUserSchema(Schema):
    user = fields.Nested(UserSchema)
    password = fields.Nested(PasswordSetupSchema)


class UserCreateSchema(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(1, 200))
    display_name = fields.String(required=True, validate=validate.Length(1, 400))
    email = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=400))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    agency = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(AGENCIES))
    exporter = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 40),
                             metadata={"description": "the company's code (exporters only)"})
    language = fields.String(load_default="es", validate=validate.OneOf(LANGUAGES))
    first_password = fields.String(load_default="link", validate=validate.OneOf(MODES),
                                   metadata={"description": "link: a one-time link; temporary: a password to change"})


class UserPatchSchema(StrictSchema):
    """Role, agency and company change together (a new role ends sessions and tokens); active false deactivates."""

    role = fields.String(validate=validate.OneOf(ROLES))
    agency = fields.String(allow_none=True, validate=validate.OneOf(AGENCIES))
    exporter = fields.String(allow_none=True, validate=validate.Length(1, 40))
    active = fields.Boolean()


class PasswordResetSchema(StrictSchema):
    mode = fields.String(required=True, validate=validate.OneOf(MODES))


class UserQuerySchema(StrictSchema):
    role = fields.String(validate=validate.OneOf(ROLES))
    active = fields.Boolean()
