"""Many shipments at once: a CSV upload, its preview with errors by row and column, and the confirmed import."""

from __future__ import annotations

import hashlib

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth.decorators import role_required
from ...extensions import db
from ...services.access.idempotency import claim, release
from ...services.errors import WorkflowError
from ...services.shipments.upload import (
    CSV_COLUMNS, MAX_BYTES, InvalidUpload, check_upload, decode, import_upload, normalize_newlines, sign_upload,
    preview_id, template_csv, upload_signature_ok,
)
from .blueprint import bp


def _render(check=None, text: str = "", status: int = 200):
    signature = sign_upload(current_app.config["SECRET_KEY"], current_user.id, text) if check and check.ok else ""
    return render_template("exporter/upload.html", columns=CSV_COLUMNS, check=check, text=text,
                           signature=signature), status


@bp.route("/requests/template.csv")
@role_required("exporter")
def csv_template():
    return Response(template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=jointinspect-requests.csv"})


@bp.route("/requests/upload", methods=["GET", "POST"])
@role_required("exporter")
def upload():
    """Check a file and show what would be imported; nothing is written here."""
    if request.method == "GET":
        return _render()
    uploaded = request.files.get("file")
    if uploaded is None or not uploaded.filename:
        flash(_("Choose a CSV file to upload."), "error")
        return _render(status=400)
    content = uploaded.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        flash(_("The file is larger than 1 MB."), "error")
        return _render(status=413)
    text = decode(content)
    check = check_upload(db.session, text)
    return _render(check, text, 200 if check.ok else 422)


@bp.route("/requests/upload/confirm", methods=["POST"])
@role_required("exporter")
def confirm_upload():
    """Import the previewed file, checked again, in one transaction: every row or none."""
    text = normalize_newlines(request.form.get("csv_text", ""))
    signature = request.form.get("signature", "")
    if not upload_signature_ok(current_app.config["SECRET_KEY"], current_user.id, text, signature):
        flash(_("The file to import does not match the one previewed; upload it again."), "error")
        return _render(status=400)
    # One import per preview: the preview's id is spent first (committed), so a second confirm,
    # even a concurrent one, finds it taken; a failed import gives it back.
    earlier, spent = claim(db.session, current_user.id, preview_id(signature), "POST", request.path,
                           hashlib.sha256(text.encode("utf-8")).hexdigest())
    if earlier is not None:
        flash(_("This preview was imported already. To import the file again, upload it again."), "error")
        return _render(status=409)
    try:
        created = import_upload(db.session, current_user, text)
        spent.response_status = 201
        db.session.add(spent)
        db.session.commit()
    except InvalidUpload:
        release(db.session, spent.id)
        flash(_("Nothing was imported: the file has errors now."), "error")
        return _render(check_upload(db.session, text), text, 422)
    except WorkflowError as refused:
        release(db.session, spent.id)
        flash(refused.message, "error")
        return _render(status=409)
    flash(_("Inspection requests imported: %(n)s.", n=len(created)), "success")
    return redirect(url_for("exporter.home"))
