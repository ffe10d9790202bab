"""Creating and changing accounts: role, deactivation, password resets; each change says what it ends first."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth.decorators import role_required
from ...auth.password_setup import no_store
from ...extensions import db
from ...models import Exporter, User, utcnow
from ...roles import ADMIN
from ...services.access.password_setup import LINK, PasswordSetup, reset_password
from ...services.access.tokens import list_tokens
from ...services.access.users import active_tokens, change_role, create_account, deactivate, reactivate
from ...services.errors import WorkflowError
from .blueprint import bp
from .forms import PASSWORD_MODES, ROLE_LABELS, AccountForm, ConfirmForm, ResetForm, RoleFields


def _me() -> User:
    return db.session.get(User, current_user.id)


def _account(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _company(code: str | None) -> Exporter | None:
    return db.session.scalar(sa.select(Exporter).where(Exporter.code == code)) if code else None


def show_errors(form, error: WorkflowError) -> None:
    """A refusal's message under the field it names (or the form's first field)."""
    db.session.rollback()
    for name, message in error.field_messages().items():
        target = getattr(form, name, None) or next(iter(form))
        target.errors = [*target.errors, message]


@bp.route("/accounts/new", methods=["GET", "POST"])
@role_required(ADMIN)
def new_account():
    form = AccountForm().with_companies(db.session)
    if not form.is_submitted():  # "New account for this company" comes with its role and company
        form.role.data = request.args.get("role", "exporter")
        form.exporter.data = request.args.get("exporter", "")
    if form.validate_on_submit():
        try:
            user, setup = create_account(
                db.session, _me(), first_password=form.first_password.data, username=form.username.data,
                display_name=form.display_name.data, email=form.email.data, role=form.role.data,
                agency=form.agency.data or None, exporter=_company(form.exporter.data), language=form.language.data)
        except WorkflowError as error:
            show_errors(form, error)
        else:
            db.session.commit()
            return _secret_page(user, setup)
    return render_template("admin/account_new.html", form=form), 422 if form.errors else 200


@bp.route("/accounts/<int:user_id>")
@role_required(ADMIN)
def account(user_id: int):
    user = _account(user_id)
    roles = RoleFields(formdata=None, role=user.role, agency=user.agency or "",
                       exporter=user.exporter.code if user.exporter else "").with_companies(db.session)
    return _account_page(user, roles)


def _account_page(user: User, roles: RoleFields, reset: ResetForm | None = None, status: int = 200):
    return render_template("admin/account.html", user=user, roles=roles, reset=reset or ResetForm(formdata=None),
                           confirm=ConfirmForm(formdata=None), tokens=list_tokens(db.session, user), now=utcnow(),
                           me=current_user.id), status


@bp.route("/accounts/<int:user_id>/role", methods=["POST"])
@role_required(ADMIN)
def change_account_role(user_id: int):
    user = _account(user_id)
    form = RoleFields().with_companies(db.session)
    if not form.validate_on_submit():
        return _account_page(user, form, status=422)
    agency, company = form.agency.data or None, _company(form.exporter.data)
    if not form.confirmed.data:
        changes = [_("Role: %(old)s → %(new)s", old=ROLE_LABELS[user.role], new=ROLE_LABELS[form.role.data]),
                   *_ending(user)]
        hidden = {"role": form.role.data, "agency": form.agency.data, "exporter": form.exporter.data}
        return _confirm(user, _("Change the role of %(name)s?", name=user.display_name), changes,
                        url_for("admin.change_account_role", user_id=user.id), hidden, _("Change the role"))
    try:
        revoked = change_role(db.session, _me(), user, form.role.data, agency, company)
    except WorkflowError as error:
        show_errors(form, error)
        return _account_page(user, form, status=422)
    db.session.commit()
    flash(_("%(name)s is now %(role)s; their sessions ended and %(count)d tokens were revoked.",
            name=user.display_name, role=ROLE_LABELS[user.role], count=revoked), "info")
    return redirect(url_for("admin.account", user_id=user.id))


@bp.route("/accounts/<int:user_id>/deactivate", methods=["POST"])
@role_required(ADMIN)
def deactivate_account(user_id: int):
    user = _account(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if not form.confirmed.data:
        changes = [_("%(name)s can no longer sign in.", name=user.display_name), *_ending(user)]
        return _confirm(user, _("Deactivate the account of %(name)s?", name=user.display_name), changes,
                        url_for("admin.deactivate_account", user_id=user.id), {}, _("Deactivate"))
    try:
        revoked = deactivate(db.session, _me(), user)
    except WorkflowError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s is deactivated; %(count)d tokens were revoked.", name=user.display_name, count=revoked),
              "info")
    return redirect(url_for("admin.account", user_id=user.id))


@bp.route("/accounts/<int:user_id>/reactivate", methods=["POST"])
@role_required(ADMIN)
def reactivate_account(user_id: int):
    user = _account(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        reactivate(db.session, _me(), user)
    except WorkflowError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s can sign in again. Tokens revoked before stay revoked.", name=user.display_name), "info")
    return redirect(url_for("admin.account", user_id=user.id))


@bp.route("/accounts/<int:user_id>/password", methods=["POST"])
@role_required(ADMIN)
def reset_account_password(user_id: int):
    user = _account(user_id)
    form = ResetForm()
    if not form.validate_on_submit():
        return _account_page(user, RoleFields(formdata=None).with_companies(db.session), form, 422)
    if not form.confirmed.data:
        changes = [_("The current password of %(name)s stops working now.", name=user.display_name),
                   *_ending(user), str(PASSWORD_MODES[form.mode.data])]
        return _confirm(user, _("Reset the password of %(name)s?", name=user.display_name), changes,
                        url_for("admin.reset_account_password", user_id=user.id), {"mode": form.mode.data},
                        _("Reset the password"))
    try:
        setup = reset_password(db.session, _me(), user, form.mode.data)
    except WorkflowError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("admin.account", user_id=user.id))
    db.session.commit()
    return _secret_page(user, setup)


def _ending(user: User) -> list[str]:
    """What ending someone's access takes away, in words, before it is done."""
    return [_("Every session of %(name)s ends now.", name=user.display_name),
            _("%(count)d API tokens of this account are revoked.", count=active_tokens(db.session, user))]


def _confirm(user: User, heading: str, changes: list[str], action: str, hidden: dict[str, str], button: str):
    return render_template("admin/confirm.html", user=user, heading=heading, changes=changes, action=action,
                           hidden=hidden, button=button, form=ConfirmForm(formdata=None))


def _secret_page(user: User, setup: PasswordSetup):
    """Shown once, never stored: the link to choose a password, or the temporary password."""
    link = url_for("password_setup.reset", secret=setup.secret, _external=True) if setup.mode == LINK else None
    page = render_template("admin/account_secret.html", user=user, setup=setup, link=link)
    return no_store(page)
