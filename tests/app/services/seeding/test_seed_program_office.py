"""Seed data a program office would not correct: places, owners, dates, register, pilots and seal stock."""

from __future__ import annotations

import math
from datetime import date

import sqlalchemy as sa

from app.models import (
    Agreement, BorderDecision, Certification, Exporter, Milestone, Pilot, Rule, Seal, SealStock, Shipment, Site,
    TrustedTraderProgram,
)
from app.services.border.seal_numbers import check_number
from app.services.border.seal_stock import range_of
from app.services.shipments.checks import MEXICAN_STATES

from .test_seed import TODAY, all_rows, demo, undo_changes  # noqa: F401  (the module's seeded demo)


def sites(demo) -> dict[str, Site]:
    return {s.code: s for s in all_rows(demo, Site)}


def current(demo, reference: str) -> tuple[Shipment, BorderDecision]:
    shipment = demo.scalar(sa.select(Shipment).where(Shipment.reference == reference))
    return shipment, demo.scalar(sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id,
                                                                 BorderDecision.current))


def test_san_jeronimo_is_on_the_mexican_side_in_ciudad_juarez_time(demo):
    san_jeronimo = sites(demo)["MX-SAN-JERONIMO"]
    assert san_jeronimo.lat < 31.7833 and san_jeronimo.timezone == "America/Ciudad_Juarez"
    assert san_jeronimo.country == "MX" and san_jeronimo.state == "CHH"


def test_mesa_de_otay_abuts_the_otay_mesa_port(demo):
    found = sites(demo)
    mesa, port = found["MX-MESA-OTAY"], found["US-OTAY"]
    km = 111.2 * math.hypot(mesa.lat - port.lat, (mesa.lon - port.lon) * math.cos(math.radians(port.lat)))
    assert km < 1.5 and mesa.lat < port.lat


def test_persian_lime_comes_from_veracruz_not_colima(demo):
    found = sites(demo)
    assert found["MX-MARTINEZ"].state == "VER" and found["MX-MARTINEZ"].inspects("lime")
    assert not found["MX-TECOMAN"].inspects("lime")
    lime = demo.scalar(sa.select(Rule).where(Rule.code == "MR-LIM-01", Rule.superseded_at.is_(None)))
    assert lime.origin_states == ["VER"]
    shipment, _decision = current(demo, "JI-DEMO-018")
    assert (shipment.origin_state, shipment.sites[0].code) == ("VER", "MX-MARTINEZ")


def test_state_codes_are_iso_3166_2(demo):
    mexican = [s for s in all_rows(demo, Site) if s.country == "MX"]
    assert all(s.state in MEXICAN_STATES for s in mexican)
    assert {s.state for s in all_rows(demo, Site) if s.country == "US"} <= {"CA", "AZ", "NM", "TX"}
    assert all(r.origin_state in MEXICAN_STATES for r in all_rows(demo, Shipment))
    assert all(state in MEXICAN_STATES for r in all_rows(demo, Rule) for state in r.origin_states)


def test_facilities_not_built_yet_are_planned_and_closed(demo):
    found = sites(demo)
    for code in ("US-MCALLEN-JIS", "MX-COLOMBIA-NL"):
        assert found[code].planned and not found[code].active and found[code].closed_reason, code
    assert not found["MX-URUAPAN"].planned and found["MX-URUAPAN"].active


def test_cbp_tasks_are_owned_by_cbp(demo):
    for milestone in all_rows(demo, Milestone):
        if "CBP" in milestone.title or "seal readers" in milestone.title:
            assert milestone.owner_agency == "CBP", milestone.title


def test_milestones_are_done_before_the_rules_they_gate_waive(demo):
    gated = [m for m in all_rows(demo, Milestone) if m.gated_rules]
    assert len(gated) >= 5
    for milestone in gated:
        for code in milestone.gated_rules:
            first = demo.scalar(sa.select(Rule).where(Rule.code == code).order_by(Rule.version).limit(1))
            if first.active and milestone.status == "done":
                assert milestone.completed_on <= first.valid_from, (milestone.title, code)
            else:
                assert milestone.status != "done" or not first.active, (milestone.title, code)


def test_demo_seals_come_from_their_sites_stock_and_read_as_the_app_reads_them(demo):
    seals = all_rows(demo, Seal)
    assert seals
    for seal in seals:
        assert check_number(seal.number, seal.kind, "number") == seal.number
        stock = range_of(demo, seal.number, seal.inspection.site)
        assert stock is not None and stock.kind == seal.kind, seal.number
        assert (seal.issuer, seal.iso_class) == ("CBP", "H"), seal.number
    assert all(stock.issuer == "CBP" for stock in all_rows(demo, SealStock) if stock.site.country == "MX")


def test_the_register_has_both_programs_and_the_2014_arrangement(demo):
    programs = {p.code: p for p in all_rows(demo, TrustedTraderProgram)}
    assert programs["CTPAT"].administration == "CBP" and not programs["CTPAT"].has_expiry
    assert programs["OEA"].administration == "SAT/ANAM" and "NEEC" in programs["OEA"].aliases
    ctpat = [c for c in all_rows(demo, Certification) if c.program == "CTPAT"]
    assert ctpat and all(c.valid_until is None for c in ctpat)
    assert {c.status for c in all_rows(demo, Certification)} >= {"certified", "validated", "suspended"}


def test_an_oea_alone_is_waived_and_a_suspended_oea_is_not(demo):
    culiacan = demo.scalar(sa.select(Exporter).where(Exporter.code == "AVC-CULIACAN"))
    assert [c.program for c in culiacan.certifications] == ["OEA"]
    _shipment, waived = current(demo, "JI-DEMO-013")
    assert (waived.decision, waived.rule_code) == ("waived", "MR-TOM-01")
    _shipment, required = current(demo, "JI-DEMO-025")
    assert required.decision == "required"
    assert {"code": "certification_suspended", "rule": "MR-TOM-01", "params": {
        "program": "OEA", "since": "2027-02-26",
        "reason": "Packing premises changed without notice, found in ANAM's follow-up visit"}} in required.reasons


def test_the_otay_pilot_chain_waives_and_a_suspended_carrier_does_not(demo):
    _shipment, released = current(demo, "JI-DEMO-027")
    assert (released.decision, released.rule_code) == ("waived", "MR-BER-01")
    _shipment, broken = current(demo, "JI-DEMO-026")
    assert broken.decision == "required"
    assert [(r["code"], r["params"]["link"]) for r in broken.reasons] == [("chain_link_suspended", "carrier")]


def test_the_three_pilot_corridors_with_their_ports_sites_and_gates(demo):
    pilots = {p.code: p for p in all_rows(demo, Pilot)}
    assert {p.corridor for p in pilots.values()} == {"Tijuana–Otay Mesa", "Juárez–El Paso", "Nuevo Laredo–Laredo"}
    assert (pilots["PIL-TIJ-OTAY"].ports, pilots["PIL-TIJ-OTAY"].sites) == (["US-OTAY"], ["MX-MESA-OTAY"])
    assert set(pilots["PIL-JRZ-ELP"].ports) == {"US-SANTA-TERESA", "US-YSLETA"}
    assert set(pilots["PIL-NLD-LRD"].ports) == {"US-LAREDO-WTB", "US-COLOMBIA"}
    assert {"automotive", "aerospace", "medical_devices"} <= set(pilots["PIL-NLD-LRD"].sectors)
    for pilot in pilots.values():
        assert pilot.gates and pilot.criteria and pilot.participants, pilot.code
        assert all(c.measure.agreement_id == pilot.agreement_id for c in pilot.criteria)
    otay = pilots["PIL-TIJ-OTAY"]
    assert [g.status for g in otay.gates] == ["passed", "scheduled"] and otay.phase == 2
    assert otay.gates[1].next_phase and otay.gates[0].decided_on == date(2025, 7, 15)


def test_the_berries_rule_starts_with_the_pilot_not_nationwide(demo):
    first = demo.scalar(sa.select(Rule).where(Rule.code == "MR-BER-01", Rule.version == 1))
    assert first.ports == ["US-OTAY"] and first.origin_states == ["BCN"] and first.requires_whole_chain


def test_the_aeo_work_plan_is_a_joint_work_plan_of_cbp_and_sat(demo):
    plan = demo.scalar(sa.select(Agreement).where(Agreement.code == "MRA-CTPAT-OEA-2014"))
    assert plan.parties == "CBP-SAT" and plan.signed_on == date(2014, 10, 17)
    assert {m.metric for m in plan.measures} == {"validations_done_share", "revalidations_overdue",
                                                  "median_days_to_certify", "companies_per_validator"}
    assert {m.owner_agency for m in plan.milestones} >= {"CBP", "SAT"}
    assert TODAY.year == 2027
