"""Properties of the rules engine that must hold for any shipment, rules and agreements."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone

from hypothesis import event, given, settings
from hypothesis import strategies as st

from mr_agreements import (
    Agreement, Certification, Rule, Shipment, decide, waiver_window, what_would_qualify,
)

COMMODITIES = ("avocado", "tomato", "lime")
STATES = ("MIC", "JAL", "SIN", "SON")
PORTS = ("US-PHARR", "US-NOGALES", "US-LAREDO")
PROGRAMS = ("OEA", "CTPAT")
AGREEMENT_IDS = ("MR-A", "MR-B")
HOUR_LIMITS = (None, 0, 1.5, 12, 24, 48, 72)
SEALS = (None, "applied", "intact", "broken", "missing", "mismatch", "removed")
BASE_DAY = date(2027, 3, 3)
OFFSETS = [timezone(timedelta(hours=h)) for h in (-7, -6, 0, 1)]


def days_near(center=BASE_DAY, spread=3):
    return st.integers(-spread, spread).map(lambda n: center + timedelta(days=n))


def mostly(friendly, anything):
    """Three draws in four from values that let a rule match, so waivers are common enough."""
    return st.one_of(friendly, friendly, friendly, anything)


def optional_day():
    return mostly(st.none(), days_near())


def non_empty_subset(items):
    return st.lists(st.sampled_from(items), min_size=1, unique=True).map(tuple)


def subset(items):
    return st.lists(st.sampled_from(items), unique=True).map(tuple)


def containing(value, items, empty_means_any=True):
    """A list holding value (or empty, where empty means any), else any list at all."""
    friendly = subset(items).map(lambda xs: tuple(dict.fromkeys((value,) + xs)))
    if empty_means_any:
        friendly = st.just(()) | friendly
    return mostly(friendly, subset(items) if empty_means_any else non_empty_subset(items))


certifications = st.builds(Certification, program=st.sampled_from(PROGRAMS),
                           valid_until=mostly(st.just(date(2028, 1, 1)), days_near()),
                           valid_from=optional_day())

# Minutes since 1 March 00:00 in the chosen offset, so late-evening crossings whose UTC date
# differs from the date as written come up often.
cross_by_times = st.builds(
    lambda minutes, tz: datetime(2027, 3, 1, tzinfo=tz) + timedelta(minutes=minutes),
    st.integers(0, 5 * 24 * 60), st.sampled_from(OFFSETS))

shipments = st.builds(
    Shipment, id=st.just("SHP"), commodity=st.sampled_from(COMMODITIES),
    origin_state=st.sampled_from(STATES), port=st.sampled_from(PORTS), cross_by=cross_by_times,
    sealable=mostly(st.just(True), st.booleans()),
    certifications=st.lists(certifications, max_size=3).map(tuple))


@st.composite
def rule_sets(draw, shipment):
    keys = draw(st.lists(st.tuples(st.sampled_from(("MR-1", "MR-2", "MR-3")), st.integers(1, 3)),
                         min_size=1, max_size=4, unique=True))
    return [draw(rules_with(rule_id, version, shipment)) for rule_id, version in keys]


def rules_with(rule_id, version, shipment):
    held = tuple(dict.fromkeys(c.program for c in shipment.certifications))
    return st.builds(
        Rule, id=st.just(rule_id), version=st.just(version),
        agreement=st.sampled_from(AGREEMENT_IDS),
        commodities=containing(shipment.commodity, COMMODITIES, empty_means_any=False),
        origin_states=containing(shipment.origin_state, STATES),
        ports=containing(shipment.port, PORTS),
        requires_certifications=mostly(subset(held) if held else st.just(()), subset(PROGRAMS)),
        requires_seal=st.booleans(), max_hours_before_crossing=st.sampled_from(HOUR_LIMITS),
        valid_from=optional_day(), valid_to=optional_day(),
        active=mostly(st.just(True), st.booleans()))


agreement_statuses = mostly(st.just("active"), st.sampled_from(("draft", "suspended", "expired")))


@st.composite
def agreement_sets(draw):
    found = []
    for agreement_id in AGREEMENT_IDS:
        if draw(st.booleans()):
            found.append(Agreement(
                id=agreement_id, status=draw(agreement_statuses),
                effective_from=draw(optional_day()), effective_to=draw(optional_day()),
                status_since=draw(optional_day()),
                status_reason=draw(st.sampled_from((None, "x")))))
    return found


@st.composite
def inspection_ends(draw, cross_by):
    """End times clustered on the interesting instants: each hour limit, a minute either side."""
    limit = draw(st.sampled_from([h for h in HOUR_LIMITS if h is not None]))
    nudge = draw(st.sampled_from((-1, 0, 1)))
    near_limit = cross_by - timedelta(hours=limit) + timedelta(minutes=nudge)
    anywhere = cross_by - timedelta(minutes=draw(st.integers(-180, 100 * 60)))
    end = draw(st.sampled_from((near_limit, anywhere)))
    return end.astimezone(draw(st.sampled_from(OFFSETS)))


@st.composite
def situations(draw):
    shipment = draw(shipments)
    return (shipment, draw(inspection_ends(shipment.cross_by)), draw(rule_sets(shipment)),
            draw(agreement_sets()),
            draw(mostly(st.sampled_from(SEALS[:3]), st.sampled_from(SEALS))))


@st.composite
def tightenings(draw, rule):
    """One more requirement on a rule: never a looser one."""
    kind = draw(st.sampled_from(("certification", "port", "origin", "hours", "seal", "active",
                                 "valid_from", "valid_to")))
    if kind == "certification":
        return dataclasses.replace(rule, requires_certifications=rule.requires_certifications
                                   + (draw(st.sampled_from(PROGRAMS + ("GAP",))),))
    if kind in ("port", "origin"):
        field, choices = ("ports", PORTS) if kind == "port" else ("origin_states", STATES)
        current = getattr(rule, field) or choices  # empty means any, so narrow from all of them
        return dataclasses.replace(rule, **{field: draw(non_empty_subset(current))})
    if kind == "hours":
        limit = rule.max_hours_before_crossing
        smaller = [h for h in HOUR_LIMITS if h is not None and (limit is None or h <= limit)]
        return dataclasses.replace(rule, max_hours_before_crossing=draw(st.sampled_from(smaller)))
    if kind == "seal":
        return dataclasses.replace(rule, requires_seal=True)
    if kind == "active":
        return dataclasses.replace(rule, active=False)
    later = draw(days_near())
    if kind == "valid_from":
        return dataclasses.replace(rule, valid_from=max(later, rule.valid_from or later))
    return dataclasses.replace(rule, valid_to=min(later, rule.valid_to or later))


@settings(deadline=None)  # a loaded CI machine must not turn a slow example into a failure
@given(situations(), st.data())
def test_adding_a_requirement_never_turns_required_into_waived(situation, data):
    shipment, end, rules, agreements, seal = situation
    index = data.draw(st.integers(0, len(rules) - 1))
    tighter = list(rules)
    tighter[index] = data.draw(tightenings(rules[index]))
    before = decide(shipment, end, rules, agreements, seal=seal)
    after = decide(shipment, end, tighter, agreements, seal=seal)
    event(f"before {before.decision}, after {after.decision}")
    assert before.waived or not after.waived


@settings(deadline=None)
@given(situations(), st.sampled_from(AGREEMENT_IDS), days_near(), st.data())
def test_suspending_an_agreement_never_waives(situation, agreement_id, since, data):
    shipment, end, rules, agreements, seal = situation
    current = next((a for a in agreements if a.id == agreement_id), Agreement(id=agreement_id))
    suspended = dataclasses.replace(current, status="suspended", status_since=since,
                                    status_reason="security incident")
    others = [a for a in agreements if a.id != agreement_id]
    before = decide(shipment, end, rules, agreements, seal=seal)
    after = decide(shipment, end, rules, others + [suspended], seal=seal)
    event(f"before {before.decision}, after {after.decision}")
    assert before.waived or not after.waived
    if after.waived:
        named = next(r for r in rules if (r.id, r.version) == (after.rule, after.rule_version))
        assert named.agreement != agreement_id


@settings(deadline=None)
@given(situations(), st.data())
def test_decision_and_named_rule_do_not_depend_on_rule_order(situation, data):
    shipment, end, rules, agreements, seal = situation
    shuffled = data.draw(st.permutations(rules))
    reordered_agreements = data.draw(st.permutations(agreements))
    assert decide(shipment, end, shuffled, reordered_agreements, seal=seal) == decide(
        shipment, end, rules, agreements, seal=seal)


@settings(max_examples=400, deadline=None)
@given(situations())
def test_waiver_window_agrees_with_decide(situation):
    shipment, end, rules, agreements, _seal = situation
    window = waiver_window(shipment, rules, agreements)
    decision = decide(shipment, end, rules, agreements)
    shape = "none" if window is None else "open" if window.earliest_end is None else "bounded"
    event(f"window {shape}, {decision.decision}")
    in_window = window is not None and end <= shipment.cross_by and (
        window.earliest_end is None or end >= window.earliest_end)
    assert decision.waived == in_window
    if decision.waived:
        assert decision.rule in window.rules


@settings(deadline=None)
@given(situations())
def test_precheck_with_an_end_time_agrees_with_decide(situation):
    shipment, end, rules, agreements, seal = situation
    assessments = what_would_qualify(shipment, rules, agreements, inspection_end=end, seal=seal)
    decision = decide(shipment, end, rules, agreements, seal=seal)
    qualifying = [(a.rule, a.version) for a in assessments if a.qualifies_now]
    assert decision.waived == bool(qualifying)
    if decision.waived:
        assert qualifying[0] == (decision.rule, decision.rule_version)
    else:
        assert {r for a in assessments for r in a.missing} <= set(decision.reasons)
