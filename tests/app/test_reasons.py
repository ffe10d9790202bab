"""The app tells every reason of the rules engine in English exactly as the engine does, and in Spanish."""

from __future__ import annotations

import pytest

import mr_agreements as mr
from app.reasons import REASON_MESSAGES, reason_text

SAMPLE_PARAMS = {
    "commodity": "tomato", "valid_from": "2027-03-01", "valid_to": "2027-03-02", "cross_date": "2027-03-03",
    "agreement": "MR-1", "since": "2027-02-11", "reason": "security incident in Uruapan", "status": "draft",
    "effective_from": "2027-04-01", "effective_to": "2027-01-01", "origin_state": "SIN", "allowed": "MIC, JAL",
    "port": "US-OTAY", "program": "OEA", "valid_until": "2027-03-02", "hours_before": 61, "max_hours": 48,
    "inspection_end": "2027-03-03T10:00:00-06:00", "cross_by": "2027-03-03T09:00:00-06:00", "hours_after": 120,
    "programs": "CTPAT, OEA", "link": "carrier", "party": "Transportes del Bajío", "milestone": "Train CBP officers",
    "done_on": "2027-03-04",
}


@pytest.mark.parametrize("code", mr.REASON_CODES)
def test_app_english_matches_the_engine(app, code):
    reason = mr.Reason.of(code, rule="MR-AVO-01", **{k: v for k, v in SAMPLE_PARAMS.items()
                                                      if "{" + k + "}" in mr.REASON_TEMPLATES[code]})
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert reason_text(reason.as_dict()) == mr.describe(reason)


def test_every_engine_code_has_a_message():
    assert set(REASON_MESSAGES) == set(mr.REASON_CODES)


def test_the_officers_reinstatement_reads_in_both_languages(app):
    reason = {"code": "reinstated_by_officer", "params": {"reason": "load shifted"}, "rule": None}
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert reason_text(reason) == "border inspection reinstated by the officer: load shifted"
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert "load shifted" in reason_text(reason) and "officer" not in reason_text(reason)


def test_a_reason_reads_in_spanish(app):
    reason = mr.Reason.of("inspection_too_early", rule="MR-AVO-01", hours_before=61, max_hours=48)
    with app.test_request_context(headers={"Accept-Language": "es"}):
        text = reason_text(reason.as_dict())
    assert text.startswith("MR-AVO-01: ")
    assert "61" in text and "48" in text
    assert "before crossing" not in text


@pytest.mark.parametrize("code", sorted(__import__("scheduling.explain", fromlist=["TEMPLATES"]).TEMPLATES))
def test_unscheduled_reasons_read_as_the_optimizer_writes_them(app, code):
    from app.reasons import unscheduled_text
    from scheduling.explain import explanation

    params = {"commodity": "grape", "port": "Pharr", "site": "Uruapan", "minutes": 1250, "agency": "APHIS",
              "date": "2 March", "day": "2027-03-02", "detail": "the inspector is off sick", "sites": ["MX-URU"]}
    engine = explanation(code, **params)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert unscheduled_text(engine.code, engine.params, "fallback") == engine.text


def test_an_unscheduled_reason_reads_in_spanish(app):
    from app.reasons import unscheduled_text

    with app.test_request_context(headers={"Accept-Language": "es"}):
        text = unscheduled_text("bays_full", {"site": "Uruapan", "date": "2 March", "day": "2027-03-02"}, "x")
    assert "Uruapan" in text and "marzo" in text and "taken" not in text


def test_a_chain_link_is_named_in_the_readers_language(app):
    reason = mr.Reason.of("chain_link_missing", rule="MR-PIL-01", link="broker", programs="CTPAT, OEA")
    with app.test_request_context(headers={"Accept-Language": "es"}):
        text = reason_text(reason.as_dict())
    assert "agente aduanal" in text and "broker" not in text and "CTPAT, OEA" in text


@pytest.mark.parametrize("code, words", [("too_far_from_origin", "empaque"), ("us_site_too_late", "norte"),
                                         ("us_site_not_recognised", "ninguna regla")])
def test_the_format_2_reasons_read_in_spanish_with_every_value(app, code, words):
    """Exchange format 2's reasons (origin and sites north of the border) with scheduling.explain's parameters."""
    from app.reasons import unscheduled_text
    from scheduling.explain import explanation

    engine = explanation(code, commodity="avocado", port="Nogales", site="Nogales JIS", minutes=95)
    with app.test_request_context(headers={"Accept-Language": "es"}):
        text = unscheduled_text(engine.code, engine.params, "fallback")
    assert words in text and "north" not in text and "packhouse" not in text
    assert all(str(value) in text for value in engine.params.values() if str(value) in engine.text)
