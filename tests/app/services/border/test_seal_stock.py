"""Seal stock: numbered ranges issued to sites; only a number issued to the site, and unused, is applied."""

from __future__ import annotations

import pytest

from app.models import Seal, SealStock
from app.services.border import overview as seals
from app.services.border import seal_stock
from app.services.errors import WorkflowError
from tests.factories import count, make_site

from .seal_scenario import seal_scenario


@pytest.fixture
def scenario(db_session, users):
    return seal_scenario(db_session, users)


def apply(db_session, users, scenario, number: str, kind: str = "mechanical"):
    return seals.record_result(db_session, users["inspector"], scenario.inspection, "pass", None, [(number, kind)])


def test_a_seal_number_not_issued_to_the_site_is_refused_with_a_clear_message(db_session, users, scenario):
    elsewhere = make_site(db_session, name="Tancítaro")
    seal_stock.issue_range(db_session, None, elsewhere, issuer="CBP", iso_class="H", kind="mechanical",
                           prefix="TAN", first=1, last=500, digits=6)
    before = count(db_session, Seal)
    for number in ("TAN000042", "ZZZ123456"):
        with pytest.raises(WorkflowError) as refused:
            apply(db_session, users, scenario, number)
        assert refused.value.field == "seals[0]"
        assert refused.value.message == (f"Seal number {number} was not issued to {scenario.site.name}: "
                                         "apply a seal from the site's stock.")
    assert count(db_session, Seal) == before and scenario.request.status == "scheduled"


def test_an_issued_seal_carries_its_issuer_and_class(db_session, users, scenario):
    outcome = apply(db_session, users, scenario, "NOGA-000777")
    assert [(s.number, s.issuer, s.iso_class) for s in outcome.seals] == [("NOGA-000777", "CBP", "H")]


def test_the_kind_must_be_the_kind_issued(db_session, users, scenario):
    with pytest.raises(WorkflowError, match="issued as an electronic seal"):
        apply(db_session, users, scenario, "ES00000042", kind="mechanical")


def test_ranges_do_not_overlap_and_say_how_many_are_left(db_session, users, scenario):
    site = make_site(db_session, name="Culiacán")
    stock = seal_stock.issue_range(db_session, users["coordinator"], site, issuer="CBP", iso_class="H",
                                   kind="mechanical", prefix="sns", first=5203000, last=5203999, digits=7)
    assert (stock.prefix, stock.number(stock.first), stock.size) == ("SNS", "SNS5203000", 1000)
    with pytest.raises(WorkflowError) as overlap:
        seal_stock.issue_range(db_session, None, make_site(db_session), issuer="CBP", iso_class="H",
                               kind="mechanical", prefix="SNS", first=5203900, last=5204100, digits=7)
    assert overlap.value.field == "first" and "Culiacán" in overlap.value.message
    for values, field in (({"issuer": "FDA"}, "issuer"), ({"iso_class": "X"}, "iso_class"),
                          ({"last": 1, "first": 5}, "last"), ({"digits": 1}, "digits"), ({"prefix": "a b"}, "prefix"),
                          ({"first": "1"}, "first")):
        arguments = {"issuer": "CBP", "iso_class": "H", "kind": "mechanical", "prefix": "NEW", "first": 1,
                     "last": 10, "digits": 6} | values
        with pytest.raises(WorkflowError) as refused:
            seal_stock.issue_range(db_session, None, site, **arguments)
        assert refused.value.field == field, values
    assert seal_stock.usage(db_session, stock).left == 1000
    assert seal_stock.next_unused(db_session, site) == "SNS5203000"
    assert count(db_session, SealStock) >= 5
