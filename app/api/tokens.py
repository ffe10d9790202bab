"""Bearer tokens: administrators create (the secret shown once), list and revoke them."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..extensions import db
from ..models import ApiToken, User
from ..services.access.tokens import issue_token, list_tokens, revoke_token
from ..services.errors import WorkflowError
from .auth import api_roles
from .refusals import refuse
from .tokens_schemas import CreatedTokenSchema, TokenCreateSchema, TokenSchema

blp = Blueprint("tokens", __name__, url_prefix="/tokens", description="Bearer tokens of other systems")


@blp.route("")
class Tokens(MethodView):
    @api_roles("admin")
    @blp.response(200, TokenSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an administrator")
    def get(self):
        """Every token, newest first, without secrets"""
        return list_tokens(db.session)

    @api_roles("admin")
    @blp.arguments(TokenCreateSchema)
    @blp.response(201, CreatedTokenSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an administrator")
    @blp.alt_response(422, description="Invalid input, or a deactivated account; errors name the field")
    def post(self, data):
        """Create a token for an account: its secret is in this answer and nowhere else"""
        owner = db.session.scalar(sa.select(User).where(User.username == data["username"]))
        if owner is None:
            abort(422, message="No such account.", errors={"json": {"username": ["No such account."]}})
        try:
            token, secret = issue_token(db.session, owner, data["name"], data["expires_days"],
                                        actor=db.session.get(User, current_user.id))
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        token.secret = secret  # for this answer only; never stored
        return token


@blp.route("/<int:token_id>")
class TokenItem(MethodView):
    @api_roles("admin")
    @blp.response(204)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an administrator")
    @blp.alt_response(404, description="No such token")
    def delete(self, token_id: int):
        """Revoke a token: it stops working at once (revoking twice is harmless)"""
        token = db.session.get(ApiToken, token_id)
        if token is None:
            abort(404, message="No such token.")
        revoke_token(db.session, token, db.session.get(User, current_user.id))
        db.session.commit()
        return None
