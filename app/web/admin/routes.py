"""The list of accounts and their roles."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import selectinload

from ...auth.decorators import role_required
from ...extensions import db
from ...models import User
from ...roles import ADMIN
from .blueprint import bp


@bp.route("/")
@role_required(ADMIN)
def home():
    users = db.session.scalars(sa.select(User).options(selectinload(User.exporter))
                               .order_by(User.active.desc(), User.role, User.username)).all()
    return render_template("admin/home.html", users=users)
