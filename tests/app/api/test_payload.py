"""The API's request answers, read as rows, say exactly what the documented schema dumps from the model."""

from __future__ import annotations

from datetime import datetime, timezone

from app.api import requests_payload as payload
from app.api.requests_schemas import RequestOutSchema
from app.models import Shipment
from app.services.shipments.records import RequestFilters, find_request_row, list_request_rows
from tests.factories import make_exporter, make_shipment, make_site, make_user


def sorted_sites(answer: dict) -> dict:
    return answer | {"sites": sorted(answer["sites"])}


def test_rows_and_schema_give_the_same_answer_in_every_zone(db_session):
    exporter = make_exporter(db_session)
    pharr = make_site(db_session, kind="port", code="US-PHARR-P", timezone="America/Chicago")
    otay = make_site(db_session, kind="port", code="US-OTAY-P", timezone="America/Tijuana")
    inland = [make_site(db_session, code=f"MX-SITE-{n}") for n in range(3)]
    made = [
        make_shipment(db_session, exporter, port=pharr, sites=inland[:2], status_reason="<b>late</b> & more"),
        make_shipment(db_session, exporter, port=otay, sites=[inland[2]], cross_by_offset_minutes=-420,
                     ready=datetime(2027, 3, 10, 15, 30, tzinfo=timezone.utc)),
        make_shipment(db_session, exporter, port=pharr, sites=[], sealable=False, priority=5),
    ]
    db_session.flush()
    user = make_user(db_session, "exporter", exporter=exporter)

    page = list_request_rows(db_session, user, RequestFilters(page_size=10), payload.COLUMNS)
    answers = {answer["id"]: sorted_sites(answer) for answer in payload.payloads(db_session, page.items)}
    schema = RequestOutSchema()
    assert answers == {r.id: sorted_sites(schema.dump(db_session.get(Shipment, r.id))) for r in made}
    assert answers[made[1].id]["cross_by"].endswith("-07:00")

    one = find_request_row(db_session, user, made[0].id, payload.COLUMNS)
    assert sorted_sites(payload.payloads(db_session, [one])[0]) == answers[made[0].id]
    stranger = make_user(db_session, "exporter")
    assert find_request_row(db_session, stranger, made[0].id, payload.COLUMNS) is None


def test_the_site_list_says_what_the_site_schema_dumps(client_as, db_session):
    import sqlalchemy as sa

    from app.api.reference import SiteSchema
    from app.models import Site

    make_site(db_session, code="MX-CLOSED-P", active=False, closed_reason="Flooded <road>", lat=25.5, lon=-100.25)
    answer = client_as("exporter").get("/api/v1/sites")
    assert answer.status_code == 200
    sites = db_session.scalars(sa.select(Site).order_by(Site.kind, Site.code)).all()
    assert answer.get_json() == SiteSchema(many=True).dump(sites)
    assert {"code": "MX-CLOSED-P", "active": False, "closed_reason": "Flooded <road>"}.items() <= next(
        site for site in answer.get_json() if site["code"] == "MX-CLOSED-P").items()
