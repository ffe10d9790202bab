"""CSV export of each dashboard table: UTF-8 with a BOM for Excel, and no cell a spreadsheet runs as a formula."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response, abort, request
from flask_babel import get_locale
from flask_babel import gettext as _

from ...auth.decorators import role_required
from ...extensions import db
from ...days import today_in, viewer_zone
from .blueprint import bp
from .cells import Table, cell_csv
from .filters import cache_seconds, parse_filters
from .tables import TABLES, build_table

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that would start a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(table: Table, zone: str | None = None) -> str:
    """The table's rows; with `zone`, a last column names the zone the days (and weeks) are in."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads the file as UTF-8 only with a byte order mark
    writer = csv.writer(buffer, lineterminator="\r\n")
    extra_header, extra = ([str(_("Days in time zone"))], [zone]) if zone else ([], [])
    writer.writerow([neutralise(header) for header in table.headers] + extra_header)
    for row in table.rows:
        writer.writerow([neutralise(cell_csv(value)) for value in row] + extra)
    return buffer.getvalue()


@bp.route("/export/<table>.csv")
@role_required("supervisor", "admin")
def export(table: str):
    if table not in TABLES:
        abort(404)
    zone = viewer_zone()
    today = today_in(zone)
    filters = parse_filters(request.args, today, zone)
    built = build_table(table, db.session, filters.period, today, str(get_locale()), cache_seconds())
    period = filters.period
    filename = f"jointinspect-{table}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    return Response(csv_text(built, period.zone), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
