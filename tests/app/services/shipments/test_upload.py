"""Many shipments from a CSV file: errors by row and column, a preview, and an all-or-nothing import."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from app.models import Shipment
from app.services.shipments.upload import COLUMN_NAMES
from tests.factories import count, make_commodity, make_site

HEADER = "commodity,quantity,quantity_unit,origin_state,packhouse,port,ready,arrive_port,cross_by,sites,sealable\n"
GOOD = "avocado,20,pallets,MIC,Empaque Los Cedros,US-PHARR,2027-03-03 08:00,2027-03-04 06:00,2027-03-05 18:00,MX-URUAPAN,yes\n"


@pytest.fixture
def world(db_session, users):
    make_commodity(db_session, "avocado")
    port = make_site(db_session, kind="port", code="US-PHARR", name="Pharr", timezone="America/Chicago", state="TX")
    make_site(db_session, code="MX-URUAPAN", name="Uruapan")
    db_session.commit()
    return {"session": db_session, "port": port}


def _upload(client, text: str):
    data = {"file": (io.BytesIO(text.encode("utf-8")), "shipments.csv")}
    return client.post("/exporter/requests/upload", data=data, content_type="multipart/form-data")


def _hidden(html: str, name: str) -> str:
    import html as html_module

    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return html_module.unescape(match.group(1))


def test_the_template_has_every_documented_column(client_as, world):
    response = client_as("exporter").get("/exporter/requests/template.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).splitlines()[0] == ",".join(COLUMN_NAMES)
    page = client_as("exporter").get("/exporter/requests/upload").get_data(as_text=True)
    assert all(f"<code>{name}</code>" in page for name in COLUMN_NAMES)


def test_a_file_with_two_bad_rows_lists_errors_by_row_and_column_and_imports_nothing(client_as, world):
    bad_quantity = GOOD.replace(",20,", ",0,")
    bad_port_and_time = GOOD.replace("US-PHARR", "US-NOWHERE").replace("2027-03-03 08:00", "soon")
    response = _upload(client_as("exporter"), HEADER + GOOD + bad_quantity + bad_port_and_time)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    rows = re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td><td>([^<]*)</td></tr>", html)
    assert [(row, column) for row, column, _message in rows] == [("3", "quantity"), ("4", "port"), ("4", "ready")]
    assert "Nothing was imported" in html
    assert "csv_text" not in html  # no way to confirm a file with errors
    assert count(world["session"], Shipment) == 0


def test_unknown_and_missing_columns_are_named(client_as, world):
    html = _upload(client_as("exporter"), "commodity,colour\navocado,green\n").get_data(as_text=True)
    assert "<td>1</td><td>colour</td><td>Unknown column.</td>" in html
    assert "<td>1</td><td>port</td><td>Required column is missing.</td>" in html


def test_a_good_file_is_previewed_then_imported_only_on_confirm(client_as, world):
    client = client_as("exporter")
    second = GOOD.replace("Empaque Los Cedros", '"Empaque La Tzaráracua, Uruapan"')
    preview = _upload(client, HEADER + GOOD + second)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Shipments ready to import: 2." in html
    assert count(world["session"], Shipment) == 0
    confirm = client.post("/exporter/requests/upload/confirm", data={
        "csv_text": _hidden(html, "csv_text"), "signature": _hidden(html, "signature")})
    assert confirm.status_code == 302
    packhouses = world["session"].scalars(sa.select(Shipment.packhouse).order_by(Shipment.id)).all()
    assert packhouses == ["Empaque Los Cedros", "Empaque La Tzaráracua, Uruapan"]


def test_a_changed_file_is_not_imported(client_as, world):
    client = client_as("exporter")
    html = _upload(client, HEADER + GOOD).get_data(as_text=True)
    tampered = _hidden(html, "csv_text").replace(",20,", ",2000,")
    response = client.post("/exporter/requests/upload/confirm", data={"csv_text": tampered,
                                                                      "signature": _hidden(html, "signature")})
    assert response.status_code == 400
    assert count(world["session"], Shipment) == 0


def test_a_file_that_went_bad_after_the_preview_imports_nothing(client_as, world):
    client = client_as("exporter")
    html = _upload(client, HEADER + GOOD + GOOD.replace("MX-URUAPAN", "")).get_data(as_text=True)
    world["port"].active, world["port"].closed_reason = False, "flooding"
    world["session"].commit()
    response = client.post("/exporter/requests/upload/confirm", data={
        "csv_text": _hidden(html, "csv_text"), "signature": _hidden(html, "signature")})
    assert response.status_code == 422
    assert "Port US-PHARR is closed." in response.get_data(as_text=True)
    assert count(world["session"], Shipment) == 0


def test_semicolons_and_windows_line_ends_from_a_spanish_spreadsheet_work(client_as, world):
    text = (HEADER + GOOD.replace("MX-URUAPAN", "")).replace(",", ";").replace("\n", "\r\n")
    html = _upload(client_as("exporter"), text).get_data(as_text=True)
    assert "Shipments ready to import: 1." in html


def test_a_preview_is_imported_once_however_often_it_is_confirmed(client_as, world):
    client = client_as("exporter")
    html = _upload(client, HEADER + GOOD).get_data(as_text=True)
    form = {"csv_text": _hidden(html, "csv_text"), "signature": _hidden(html, "signature")}
    before = count(world["session"], Shipment)
    answers = [client.post("/exporter/requests/upload/confirm", data=form).status_code for _ in range(3)]
    assert answers == [302, 409, 409]
    assert count(world["session"], Shipment) == before + 1
    again = _upload(client, HEADER + GOOD).get_data(as_text=True)  # a new preview may import the file again
    assert client.post("/exporter/requests/upload/confirm", data={
        "csv_text": _hidden(again, "csv_text"), "signature": _hidden(again, "signature")}).status_code == 302
    assert count(world["session"], Shipment) == before + 2


def test_an_old_preview_cannot_be_confirmed(app, client_as, world, users):
    import time

    from app.services.shipments.upload import sign_upload

    client = client_as("exporter")
    text = _hidden(_upload(client, HEADER + GOOD).get_data(as_text=True), "csv_text")
    thirteen_hours_ago = f"{int(time.time()) - 13 * 3600}-abcdef"
    old = sign_upload(app.config["SECRET_KEY"], users["exporter"].id, text, thirteen_hours_ago)
    response = client.post("/exporter/requests/upload/confirm", data={"csv_text": text, "signature": old})
    assert response.status_code == 400


def test_a_cell_longer_than_the_csv_modules_limit_is_an_error_by_line(client_as, world):
    client = client_as("exporter")
    response = _upload(client, HEADER + GOOD.replace("Empaque Los Cedros", "x" * 140_000))
    assert response.status_code == 422
    assert "cannot be read as CSV" in response.get_data(as_text=True)
