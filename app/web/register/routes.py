"""The trusted-trader register: programs and the arrangement, every holder's status, parties, CSV imports."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth.decorators import role_required
from ...extensions import db
from ...models import Certification, Exporter, User, utcnow
from ...roles import REGISTER_KEEPERS, REGISTER_READERS
from ...services.agreements import register
from ...services.agreements.register_csv import COLUMNS, ImportRefused, import_statuses
from ...services.errors import WorkflowError
from ..agreements.forms import show_refusal, version_or_none
from .blueprint import bp
from .forms import ImportForm, PartyForm, StatusForm

MAX_UPLOAD = 2_000_000


def can_keep() -> bool:
    return current_user.role in REGISTER_KEEPERS


def _me() -> User:
    return db.session.get(User, current_user.id)


@bp.route("/", methods=["GET"])
@role_required(*REGISTER_READERS)
def index():
    program = request.args.get("program") or None
    status = request.args.get("status") or None
    entries = register.entries(db.session, program=program, status=status)
    return render_template("register/index.html", programs=register.programs(db.session),
                           arrangements=register.arrangements(db.session), entries=entries, program=program,
                           status=status, today=utcnow().date(), good=register.in_good_standing,
                           labels=register.STATUS_LABELS, links=register.LINK_LABELS, can_keep=can_keep())


@bp.route("/holders/<code>", methods=["GET"])
@role_required(*REGISTER_READERS)
def holder(code: str):
    try:
        found = register.holder_of(db.session, code)
    except WorkflowError:
        abort(404)
    return render_template("register/holder.html", holder=found, is_exporter=isinstance(found, Exporter),
                           entries=register.entries(db.session, holder=found), today=utcnow().date(),
                           good=register.in_good_standing, labels=register.STATUS_LABELS, links=register.LINK_LABELS,
                           can_keep=can_keep())


@bp.route("/statuses/new", methods=["GET"])
@role_required(*REGISTER_KEEPERS)
def new_status():
    form = StatusForm(formdata=None, holder=request.args.get("holder", ""), program=request.args.get("program", ""))
    return render_template("register/status_form.html", form=form, programs=register.programs(db.session))


@bp.route("/entries/<int:entry_id>/edit", methods=["GET"])
@role_required(*REGISTER_KEEPERS)
def edit_entry(entry_id: int):
    entry = db.session.get(Certification, entry_id) or abort(404)
    form = StatusForm(formdata=None, obj=entry)
    form.holder.data = entry.exporter.code if entry.exporter else entry.party.code
    form.tier.data = entry.tier or ""
    form.version_id.data = str(entry.version_id)
    return render_template("register/status_form.html", form=form, programs=register.programs(db.session),
                           entry=entry)


@bp.route("/statuses", methods=["POST"])
@role_required(*REGISTER_KEEPERS)
def record_status():
    """Create or change one holder's status in a program (by certificate id); audited."""
    form = StatusForm()
    if form.validate_on_submit():
        try:
            recorded = register.record_status(db.session, _me(), form.values(),
                                              expected_version=version_or_none(form.version_id.data))
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            entry = recorded.entry
            flash(_("Status recorded: %(program)s %(id)s.", program=entry.program, id=entry.certificate_id),
                  "success")
            return redirect(url_for(".holder", code=entry.exporter.code if entry.exporter else entry.party.code))
    return render_template("register/status_form.html", form=form, programs=register.programs(db.session)), 422


@bp.route("/parties", methods=["GET", "POST"])
@role_required(*REGISTER_READERS)
def parties():
    form = PartyForm() if can_keep() else None
    if request.method == "POST":
        if not can_keep():
            abort(403)
        if form.validate_on_submit():
            try:
                party = register.create_party(db.session, _me(), code=form.code.data, kind=form.kind.data,
                                              name=form.name.data, country=form.country.data,
                                              identifier=form.identifier.data)
                db.session.commit()
            except WorkflowError as error:
                db.session.rollback()
                show_refusal(form, error)
            else:
                flash(_("Party %(code)s registered.", code=party.code), "success")
                return redirect(url_for(".holder", code=party.code))
        return render_template("register/parties.html", parties=register.parties(db.session), form=form,
                               links=register.LINK_LABELS), 422
    return render_template("register/parties.html", parties=register.parties(db.session), form=form,
                           links=register.LINK_LABELS)


@bp.route("/import", methods=["GET", "POST"])
@role_required(*REGISTER_KEEPERS)
def import_file():
    form, problems = ImportForm(), []
    if form.validate_on_submit():
        uploaded = request.files.get("file")
        content = uploaded.read(MAX_UPLOAD + 1) if uploaded and uploaded.filename else b""
        try:
            if not content:
                raise WorkflowError(_("Choose a CSV file to upload."), "file")
            result = import_statuses(db.session, _me(), content.decode("utf-8-sig", errors="replace"))
            db.session.commit()
        except ImportRefused as refused:
            db.session.rollback()
            problems = refused.problems
        except WorkflowError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            counts = result.as_dict()
            flash(_("Imported: %(created)s new, %(updated)s changed, %(unchanged)s as they were.", **counts),
                  "success")
            return redirect(url_for(".index"))
    status = 422 if form.is_submitted() else 200
    return render_template("register/import.html", form=form, problems=problems, columns=COLUMNS), status
