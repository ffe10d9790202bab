"""Many requests at once from a CSV file: checked row by row, imported all together or not at all."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ...models import Shipment, User, utcnow
from .records import create_request
from .checks import InvalidRequest, RequestFacts, check_request

# Column, required, what goes in it (the upload page and the template show these).
CSV_COLUMNS: tuple[tuple[str, bool, Any], ...] = (
    ("commodity", True, _l("commodity code, e.g. avocado")),
    ("quantity", True, _l("whole number above 0")),
    ("quantity_unit", True, _l("kg, boxes or pallets")),
    ("origin_state", True, _l("Mexican state code, e.g. MIC")),
    ("packhouse", True, _l("packhouse name")),
    ("port", True, _l("port code, e.g. US-PHARR")),
    ("ready", True, _l("YYYY-MM-DD HH:MM in the port's local time, or ISO 8601 with an offset")),
    ("arrive_port", True, _l("same format as ready")),
    ("cross_by", True, _l("same format as ready")),
    ("inspection_minutes", False, _l("joint inspection minutes (default 90)")),
    ("border_inspection_minutes", False, _l("border inspection minutes (default 45)")),
    ("priority", False, _l("1 low to 5 urgent (default 3, perishables 4)")),
    ("sites", False, _l("preferred inland site codes separated by spaces")),
    ("sealable", False, _l("yes or no (default yes)")),
)
COLUMN_NAMES = tuple(name for name, _required, _help in CSV_COLUMNS)
REQUIRED_COLUMNS = tuple(name for name, required, _help in CSV_COLUMNS if required)
MAX_ROWS = 500
MAX_BYTES = 1024 * 1024
# A preview can be confirmed for 12 hours, well inside the 24 hours its spent id is remembered.
PREVIEW_LIFETIME_S = 12 * 3600
TEMPLATE_ROW = {
    "commodity": "avocado", "quantity": "20", "quantity_unit": "pallets", "origin_state": "MIC",
    "packhouse": "Empaque Los Cedros, Uruapan", "port": "US-PHARR", "ready": "2027-03-01 08:00",
    "arrive_port": "2027-03-02 06:00", "cross_by": "2027-03-02 18:00", "inspection_minutes": "",
    "border_inspection_minutes": "", "priority": "", "sites": "MX-URUAPAN", "sealable": "yes",
}


@dataclass(frozen=True)
class CellError:
    """A problem in one row (its line in the file; the header is row 1) and column."""

    row: int
    column: str
    message: str


@dataclass
class UploadCheck:
    """Every row of a file checked: what would be imported, or every error by row and column."""

    rows: list[tuple[int, RequestFacts]] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


class InvalidUpload(InvalidRequest):
    """A file with errors: nothing was imported."""

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__({f"row {e.row} {e.column}": e.message for e in errors})
        self.cell_errors = errors


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM) as saved by most tools; Windows-1252 as older Excel saves it."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    return normalize_newlines(text)


def normalize_newlines(text: str) -> str:
    # Browsers rewrite line breaks when a previewed file is posted back; sign and compare one form only.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(TEMPLATE_ROW)
    return out.getvalue()


def _reader(text: str) -> csv.DictReader:
    # Spreadsheets set to Spanish write ";" between columns.
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def _header_errors(header: list[str] | None) -> list[CellError]:
    if not header:
        return [CellError(1, "-", str(_l("The file is empty.")))]
    names = [name.strip().lower() for name in header]
    errors = [CellError(1, name, str(_l("Unknown column."))) for name in names if name not in COLUMN_NAMES]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    errors += [CellError(1, name, str(_l("Required column is missing."))) for name in missing]
    return errors


def check_upload(session: Session, text: str, now: datetime | None = None) -> UploadCheck:
    """Check every row as the form would; nothing is written."""
    result = UploadCheck()
    if len(text.encode("utf-8")) > MAX_BYTES:
        result.errors.append(CellError(1, "-", str(_l("The file is larger than 1 MB."))))
        return result
    reader = _reader(text)
    try:
        _check_rows(session, result, reader, now or utcnow())
    except csv.Error as error:  # a cell past the csv module's 131,072 characters, a NUL byte
        result.errors.append(CellError(reader.line_num or 1, "-", str(_l(
            "This line cannot be read as CSV (%(problem)s).", problem=str(error)))))
    if not result.rows and not result.errors:
        result.errors.append(CellError(2, "-", str(_l("The file has no rows."))))
    return result


def _check_rows(session: Session, result: UploadCheck, reader: csv.DictReader, now: datetime) -> None:
    result.errors += _header_errors(reader.fieldnames)
    if result.errors:
        return
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            result.errors.append(CellError(number, "-", str(_l("At most %(n)s rows per file.", n=MAX_ROWS))))
            break
        _check_row(session, result, reader.line_num, raw, now)


def _check_row(session: Session, result: UploadCheck, line: int, raw: dict[str, Any], now: datetime) -> None:
    if None in raw:  # more cells than the header has columns
        result.errors.append(CellError(line, "-", str(_l("This row has more cells than the header."))))
        return
    data = {key.strip().lower(): (value or "").strip() for key, value in raw.items() if key is not None}
    if not any(data.values()):
        return  # blank lines at the end of a spreadsheet export
    try:
        result.rows.append((line, check_request(session, data, now)))
    except InvalidRequest as refused:
        result.errors += [CellError(line, column, message) for column, message in refused.texts().items()]


def import_upload(session: Session, actor: User, text: str, now: datetime | None = None) -> list[Shipment]:
    """Create every row's request in the caller's transaction; any error refuses the whole file."""
    now = now or utcnow()
    checked = check_upload(session, text, now)
    if not checked.ok:
        raise InvalidUpload(checked.errors or [CellError(2, "-", str(_l("The file has no rows.")))])
    data_rows = [_row_data(raw) for raw in _reader(text) if None not in raw]
    return [create_request(session, actor, data, now) for data in data_rows if data]


def _row_data(raw: dict[str, Any]) -> dict[str, str]:
    return {key.strip().lower(): (value or "").strip() for key, value in raw.items()
            if key is not None and (value or "").strip()}


def sign_upload(secret: str, user_id: int, text: str, issued: str | None = None) -> str:
    """A signature binding the previewed file to its user and to this one preview, so the confirm step
    imports exactly what was shown, once.

    It starts with the preview's own id (when it was made, and a random part): confirming spends
    that id (see spend_preview), so a second confirm of the same preview is refused.
    """
    issued = issued or f"{int(time.time())}-{secrets.token_urlsafe(12)}"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    mac = hmac.new(secret.encode(), f"{user_id}:{issued}:{digest}".encode(), hashlib.sha256).hexdigest()
    return f"{issued}.{mac}"


def upload_signature_ok(secret: str, user_id: int, text: str, signature: str) -> bool:
    """Signed for this user and text, by this server, within PREVIEW_LIFETIME_S."""
    issued, _, _mac = (signature or "").partition(".")
    made, _, _random = issued.partition("-")
    if not made.isdigit() or not 0 <= time.time() - int(made) <= PREVIEW_LIFETIME_S:
        return False
    return hmac.compare_digest(sign_upload(secret, user_id, text, issued), signature)


def preview_id(signature: str) -> str:
    """The id a confirm spends: one import per preview."""
    return "csv-preview:" + signature.partition(".")[0]
