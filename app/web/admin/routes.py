"""The list of accounts and their roles."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from ...auth.decorators import role_required
from ...extensions import db
from ...models import User
from .blueprint import bp


@bp.route("/")
@role_required("admin")
def home():
    users = db.session.scalars(sa.select(User).order_by(User.role, User.username)).all()
    return render_template("admin/home.html", users=users)
