"""Sites, inspectors and exporters written by planners: refused exactly where a scenario import refuses,
and beside that where only the database knows (codes taken, commodities, accounts); every change audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from scheduling.exchange import SCENARIO_FORMAT, ScenarioError, load_scenario

from app.models import AuditEntry, Inspector, Site, utcnow
from app.services.planning.exporters import create_exporter, update_exporter
from app.services.planning.inspectors import create_inspector, update_inspector
from app.services.planning.reference_checks import InvalidFields
from app.services.planning.sites import create_site, update_site
from tests.factories import (
    make_booking, make_commodity, make_exporter, make_inspection, make_inspector, make_shipment, make_site, make_user,
)

ZAMORA = {"code": "MX-ZAMORA", "name": "Zamora, Michoacán", "kind": "inland", "country": "MX", "state": "MIC",
          "lat": 19.9855, "lon": -102.2839, "timezone": "America/Mexico_City", "bays": 2,
          "hours": [{"days": ["mon", "tue", "wed", "thu", "fri"], "open": "07:00", "close": "19:00"}],
          "commodities": ["avocado", "berries"], "observes_holidays": ["MX"]}


@pytest.fixture
def commodities(db_session):
    return [make_commodity(db_session, "avocado"), make_commodity(db_session, "berries")]


def _import_problems(site: dict) -> dict[str, str]:
    """What the scenario import says of the same site, by field."""
    exchange = {"id": site["code"], **{k: site[k] for k in ("name", "kind", "country", "lat", "lon", "timezone",
                                                            "bays", "hours", "commodities")}}
    try:
        load_scenario({"format": SCENARIO_FORMAT, "horizon": {"start": "2027-01-04T00:00:00Z",
                                                              "end": "2027-01-05T00:00:00Z"},
                       "sites": [exchange], "inspectors": [], "exporters": [], "requests": [], "rules": []})
    except ScenarioError as error:
        return {p.path: p.message for p in error.problems}
    return {}


@pytest.mark.parametrize("change", [
    {"bays": 0}, {"timezone": "Mars/Olympus_Mons"}, {"lat": 123.0}, {"kind": "warehouse"},
    {"hours": [{"days": ["mon"], "open": "19:00", "close": "07:00"}]},
    {"hours": [{"days": ["lunes"], "open": "07:00", "close": "19:00"}]},
    {"hours": [{"days": ["mon"], "open": "7am", "close": "19:00"}]},
])
def test_a_site_is_refused_where_the_scenario_import_refuses_it_with_the_same_words(db_session, commodities, change):
    site = {**ZAMORA, **change}
    expected = _import_problems(site)
    assert expected, "the import must refuse this site too"
    with pytest.raises(InvalidFields) as refused:
        create_site(db_session, None, site)
    messages = refused.value.field_messages()
    for path, message in expected.items():
        assert any(message in text for text in messages.values()), (path, message, messages)
    assert db_session.scalar(sa.select(Site).where(Site.code == "MX-ZAMORA")) is None


def test_a_site_is_created_with_its_weekly_hours_and_commodities_and_audited(db_session, commodities, users):
    site = create_site(db_session, users["coordinator"], ZAMORA)
    assert [(h.days, h.open_time, h.close_time) for h in site.hours] == [(ZAMORA["hours"][0]["days"], "07:00", "19:00")]
    assert sorted(c.code for c in site.commodities) == ["avocado", "berries"] and not site.inspects_any
    assert site.observes_holidays == ["MX"]
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "site.created"))
    assert entry.actor_id == users["coordinator"].id and entry.after["bays"] == 2


def test_what_only_the_database_knows_is_refused_beside_the_readers_checks(db_session, commodities):
    make_site(db_session, code="MX-TAKEN")
    with pytest.raises(InvalidFields) as refused:
        create_site(db_session, None, {**ZAMORA, "code": "MX-TAKEN", "commodities": ["durian"], "bays": 0})
    fields = refused.value.field_messages()
    assert {"code", "commodities", "bays"} <= set(fields)
    assert "durian" in fields["commodities"]


def test_a_change_keeps_the_code_and_kind_and_records_before_and_after(db_session, commodities, users):
    site = create_site(db_session, None, ZAMORA)
    update_site(db_session, users["admin"], site, {"bays": 4, "kind": "port", "code": "OTHER",
                                                   "commodities": ["*"]})
    assert (site.code, site.kind, site.bays, site.inspects_any) == ("MX-ZAMORA", "inland", 4, True)
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "site.changed"))
    assert entry.before["bays"] == 2 and entry.after["bays"] == 4 and entry.after["commodities"] == ["*"]


def _inspector(**changes) -> dict:
    return {"code": "APHIS-ZAM-01", "name": "Ana Ruiz", "agency": "APHIS", "home_site": "MX-ZAMORA",
            "commodities": ["avocado"], "max_minutes_per_day": 420, "active": True, "user": None, **changes}


def test_an_inspector_is_created_with_qualifications_and_an_account_of_the_same_agency(db_session, commodities):
    make_site(db_session, code="MX-ZAMORA")
    account = make_user(db_session, role="inspector", agency="APHIS", username="ana.ruiz")
    inspector = create_inspector(db_session, None, _inspector(user="ana.ruiz"))
    assert inspector.user_id == account.id and [c.code for c in inspector.qualifications] == ["avocado"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"agency": "USDA"}, "agency"), ({"max_minutes_per_day": 0}, "max_minutes_per_day"),
    ({"max_minutes_per_day": 2000}, "max_minutes_per_day"), ({"home_site": "NOWHERE"}, "home_site"),
    ({"commodities": ["durian"]}, "commodities"), ({"name": " "}, "name"), ({"code": "bad code"}, "code"),
])
def test_a_bad_inspector_is_refused_naming_the_field(db_session, commodities, changes, field):
    make_site(db_session, code="MX-ZAMORA")
    with pytest.raises(InvalidFields) as refused:
        create_inspector(db_session, None, _inspector(**changes))
    assert field in refused.value.field_messages()
    assert db_session.scalar(sa.select(Inspector).where(Inspector.code == "APHIS-ZAM-01")) is None


def test_an_inspector_account_must_be_an_inspector_of_the_same_agency_and_nobody_elses(db_session, commodities):
    make_site(db_session, code="MX-ZAMORA")
    make_user(db_session, role="inspector", agency="SENASICA", username="other.agency")
    make_user(db_session, role="officer", agency="APHIS", username="not.inspector")
    for username in ("other.agency", "not.inspector"):
        with pytest.raises(InvalidFields) as refused:
            create_inspector(db_session, None, _inspector(user=username))
        assert "user" in refused.value.field_messages()


def test_an_inspector_with_inspections_ahead_keeps_their_agency(db_session, commodities):
    inspector = make_inspector(db_session, agency="APHIS")
    inspection = make_inspection(db_session, make_shipment(db_session), utcnow() + timedelta(days=1))
    make_booking(db_session, inspection, inspector)
    with pytest.raises(InvalidFields) as refused:
        update_inspector(db_session, None, inspector, {"agency": "SENASICA"})
    assert "agency" in refused.value.field_messages()
    update_inspector(db_session, None, inspector, {"max_minutes_per_day": 300})
    assert inspector.max_minutes_per_day == 300


def test_an_exporter_is_created_and_its_tax_id_is_its_own(db_session, users):
    make_exporter(db_session, tax_id="AZA010101AB1")
    with pytest.raises(InvalidFields) as refused:
        create_exporter(db_session, users["coordinator"], {"code": "AGRO-ZAM", "legal_name": "Agrícola Zamora",
                                                           "tax_id": "aza010101ab1", "country": "MX"})
    assert "tax_id" in refused.value.field_messages()
    exporter = create_exporter(db_session, users["coordinator"], {"code": "AGRO-ZAM", "legal_name": "Agrícola Zamora",
                                                                  "tax_id": "AZA020202CD2", "country": "MX"})
    update_exporter(db_session, users["coordinator"], exporter, {"legal_name": "Agrícola Zamora SPR de RL"})
    actions = db_session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_type == "Exporter")).all()
    assert actions == ["exporter.created", "exporter.changed"]


def test_an_exporter_without_a_name_is_refused_as_the_import_refuses_it(db_session):
    with pytest.raises(InvalidFields) as refused:
        create_exporter(db_session, None, {"code": "AGRO-X", "legal_name": "", "tax_id": "AXX010101AB1",
                                           "country": "MX"})
    assert "must be a non-empty string" in refused.value.field_messages()["legal_name"]
