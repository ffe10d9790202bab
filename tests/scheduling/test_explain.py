"""Reasons for unscheduled requests: specific, actionable, and in code + params form."""

from __future__ import annotations

import pytest

from scheduling.explain import TEMPLATES, Explanation, explanation
from tests.scheduling.builders import (make_cbp, make_port, make_request, make_scenario,
                                       make_site, make_team, solved)

PARAMS = {"commodity": "grape", "sites": ["A"], "site": "Uruapan", "port": "Pharr", "minutes": 700,
          "date": "2 March", "agency": "SENASICA", "detail": "inspector gone"}


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_reason_code_reads_as_a_sentence(code):
    reason = explanation(code, **PARAMS)
    assert isinstance(reason, Explanation) and reason.code == code
    assert reason.text and "{" not in reason.text


def test_no_site_names_the_commodity_and_the_exporters_sites():
    reason = explanation("no_site_for_commodity", commodity="grapes", sites=["MX-URU"])
    assert reason.text == "no inland site inspects grapes among the exporter's sites"
    assert reason.params == {"commodity": "grapes", "sites": ["MX-URU"]}


def _one_slot_sites(bays: int):
    return (make_site("URU", bays=bays, open="06:00", close="07:00"), make_site("GUZ", commodities=()),
            make_port())


def test_full_bays_are_named_with_site_and_day():
    requests = [make_request("R1", priority=5), make_request("R2", priority=1)]
    inspectors = (*make_team("1"), *make_team("2"), make_cbp())
    schedule = solved(make_scenario(requests, inspectors=inspectors, sites=_one_slot_sites(1)))
    assert schedule.stats["reason_codes"]["R2"] == "bays_full"
    expected = "every bay at Uru is taken on 1 March by higher priority shipments"
    assert schedule.unscheduled[0].reason == expected


def test_busy_inspectors_are_named_with_agency_and_commodity():
    requests = [make_request("R1", priority=5), make_request("R2", priority=1)]
    schedule = solved(make_scenario(requests, sites=_one_slot_sites(2)))
    assert schedule.stats["reason_codes"]["R2"] == "inspectors_busy"
    assert "APHIS inspector qualified for avocado" in schedule.unscheduled[0].reason
