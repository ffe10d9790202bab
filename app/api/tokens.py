"""Bearer tokens: administrators list and revoke them (`jointinspect token create` issues them)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..extensions import db
from ..models import ApiToken, User
from ..services.access.tokens import list_tokens, revoke_token
from .auth import api_roles
from .tokens_schemas import TokenSchema

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
