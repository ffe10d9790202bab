"""Reason codes of the rules engine and the optimizer, in the reader's language."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import format_date, gettext, lazy_gettext as _l

# English must read exactly as the engine's REASON_TEMPLATES (a test holds them together);
# gettext gives the Spanish.
REASON_MESSAGES = {
    "no_inland_inspection": _l("no joint inland inspection, so the border inspection is required"),
    "no_rule_for_commodity": _l("no active rule covers commodity %(commodity)s"),
    "commodity_not_covered": _l("rule does not cover commodity %(commodity)s"),
    "rule_inactive": _l("rule is inactive"),
    "rule_not_yet_valid": _l("rule is valid from %(valid_from)s, after the crossing date %(cross_date)s"),
    "rule_no_longer_valid": _l("rule was valid until %(valid_to)s, before the crossing date %(cross_date)s"),
    "agreement_draft": _l("agreement %(agreement)s is still a draft, not in force"),
    "agreement_suspended": _l("agreement %(agreement)s suspended on %(since)s: %(reason)s"),
    "agreement_expired": _l("agreement %(agreement)s expired on %(since)s"),
    "agreement_not_active": _l("agreement %(agreement)s is %(status)s, not active"),
    "agreement_not_yet_effective": _l(
        "agreement %(agreement)s takes effect on %(effective_from)s, after the crossing date %(cross_date)s"),
    "agreement_ended": _l("agreement %(agreement)s ended on %(effective_to)s, before the crossing date %(cross_date)s"),
    "origin_not_covered": _l("origin state %(origin_state)s is not covered; rule covers %(allowed)s"),
    "port_not_covered": _l("port %(port)s is not covered; rule covers %(allowed)s"),
    "certification_missing": _l("exporter holds no %(program)s certificate"),
    "certification_expired": _l("%(program)s certificate expires %(valid_until)s, before the crossing date %(cross_date)s"),
    "certification_not_yet_valid": _l(
        "%(program)s certificate is valid only from %(valid_from)s, after the crossing date %(cross_date)s"),
    "seal_not_possible": _l("shipment cannot be sealed; rule requires a high-security seal"),
    "seal_broken": _l("seal found broken at the border; rule requires an intact seal"),
    "seal_missing": _l("seal missing at the border; rule requires an intact seal"),
    "seal_mismatch": _l("seal number does not match the seal applied; rule requires an intact seal"),
    "seal_removed": _l("seal removed before the border check; rule requires an intact seal"),
    "inspection_too_early": _l("inspection ended %(hours_before)s h before crossing; rule allows %(max_hours)s h"),
    "inspection_after_crossing": _l("inspection ended at %(inspection_end)s, after the crossing deadline %(cross_by)s"),
    "arrived_too_late": _l("arrived %(hours_after)s h after the joint inspection; rule allows %(max_hours)s h"),
    "certification_suspended": _l("%(program)s status suspended on %(since)s: %(reason)s"),
    "certification_removed": _l("%(program)s status removed on %(since)s: %(reason)s"),
    "recognised_status_missing": _l(
        "exporter holds no trusted-trader status recognised by both administrations (%(programs)s)"),
    "no_recognition_arrangement": _l(
        "no arrangement recognising trusted-trader programs between the administrations is in force on "
        "%(cross_date)s"),
    "chain_link_missing": _l("logistics chain: no %(link)s holding %(programs)s is named"),
    "chain_link_not_in_good_standing": _l(
        "logistics chain: %(link)s %(party)s holds no %(programs)s status in good standing on %(cross_date)s"),
    "chain_link_suspended": _l(
        "logistics chain: %(link)s %(party)s: %(program)s status suspended on %(since)s: %(reason)s"),
    "chain_link_removed": _l("logistics chain: %(link)s %(party)s: %(program)s status removed on %(since)s: %(reason)s"),
    "gate_not_done": _l("rule waits for the Joint Work Plan milestone \"%(milestone)s\", not done yet"),
    "gate_done_after_crossing": _l(
        "rule waits for the Joint Work Plan milestone \"%(milestone)s\", done on %(done_on)s, after the crossing "
        "date %(cross_date)s"),
    "suspended_exporter": _l("recognition of this exporter suspended on %(since)s: %(reason)s"),
    "suspended_packhouse": _l("recognition of this packhouse suspended on %(since)s: %(reason)s"),
    "suspended_origin": _l("recognition for this commodity from this origin state suspended on %(since)s: %(reason)s"),
    "selected_for_verification": _l("selected at random for a verification inspection of recognised loads"),
}

# A link of a logistics chain as reasons name it (the engine's English word is the code).
CHAIN_LINK_WORDS = {
    "exporter": _l("exporter"), "packhouse": _l("packhouse"), "carrier": _l("carrier"), "driver": _l("driver"),
    "importer": _l("importer"), "broker": _l("broker"),
}

# Reasons the app itself records (not the rules engine's): told the same way on every page.
APP_REASON_MESSAGES = {
    "reinstated_by_officer": _l("border inspection reinstated by the officer: %(reason)s"),
    "joint_us_site": _l("the joint inspection at %(site)s, north of the border, is the border inspection: "
                        "none at the port"),
}


# Why the optimizer left a request unscheduled (scheduling.explain codes), in the reader's language.
UNSCHEDULED_MESSAGES = {
    "no_site_for_commodity": _l("no inland site inspects %(commodity)s"),
    "no_site_for_commodity_among": _l("no inland site inspects %(commodity)s among the exporter's sites"),
    "window_too_short": _l("the window is shorter than inspection plus transit to %(port)s "
                           "(%(minutes)s min from %(site)s)"),
    "too_far_from_origin": _l("the load cannot come from its packhouse to %(site)s, be inspected and reach %(port)s "
                              "before the deadline (%(minutes)s min on the road and inspecting)"),
    "us_site_too_late": _l("%(site)s is north of the border: after crossing at %(port)s the truck cannot get there and "
                           "be inspected before the deadline (%(minutes)s min from the port)"),
    "us_site_not_recognised": _l("%(site)s is north of the border, where only a shipment an active rule recognises is "
                                 "inspected, and no rule recognises this %(commodity)s crossing at %(port)s"),
    "closed": _l("%(site)s is not open long enough between the ready time and the deadline"),
    "no_aphis": _l("no APHIS inspector qualified for %(commodity)s is on shift at %(site)s before the deadline"),
    "no_senasica": _l("no SENASICA inspector qualified for %(commodity)s is on shift at %(site)s before the deadline"),
    "no_border_slot": _l("no rule waives the border inspection and no CBP inspector qualified for %(commodity)s is "
                         "on shift at %(port)s after the inland inspection and before the deadline"),
    "bays_full": _l("every bay at %(site)s is taken on %(date)s by higher priority shipments"),
    "inspectors_busy": _l("every %(agency)s inspector qualified for %(commodity)s who can reach %(site)s is booked "
                          "on %(date)s by higher priority shipments"),
    "border_busy": _l("every CBP inspector and bay at %(port)s is booked before the deadline by other shipments"),
    "pinned_conflict": _l("a pinned assignment of this request cannot be kept: %(detail)s"),
    "capacity": _l("no free combination of bay and inspectors at %(site)s on %(date)s fits beside higher "
                   "priority shipments"),
}


def unscheduled_text(code: str, params: dict[str, Any] | None, fallback: str) -> str:
    """An unscheduled request's reason in the current language; the optimizer's English otherwise."""
    values = dict(params or {})
    if code == "no_site_for_commodity" and values.get("sites"):
        code = "no_site_for_commodity_among"
    if values.get("day"):
        values["date"] = format_date(date.fromisoformat(values["day"]), "d MMMM")
    message = UNSCHEDULED_MESSAGES.get(code)
    try:
        return str(message) % values if message is not None else fallback
    except (KeyError, TypeError, ValueError):
        return fallback


SUSPENSION_CAUSE = _l("%(count)s actionable interceptions within %(days)s days")
_SUSPENSION_CAUSE_EN = re.compile(r"^(?P<count>\d+) actionable interceptions within (?P<days>\d+) days$")


def suspension_cause_en(count: int, days: int) -> str:
    """The cause of an automatic suspension as stored: English, the record both agencies share."""
    return f"{count} actionable interceptions within {days} days"


def suspension_cause(text: str | None) -> str:
    """A stored suspension cause in the reader's language (a cause typed by a person stays as typed)."""
    match = _SUSPENSION_CAUSE_EN.match(text or "")
    if match is None:
        return text or ""
    return str(SUSPENSION_CAUSE) % {"count": int(match["count"]), "days": int(match["days"])}


def reason_text(reason: dict[str, Any]) -> str:
    """A stored reason ({"code", "params", "rule"}) in the current language, with its rule first."""
    code = reason.get("code", "")
    message = REASON_MESSAGES.get(code) or APP_REASON_MESSAGES.get(code)
    params = reason.get("params") or {}
    if params.get("link") in CHAIN_LINK_WORDS:
        params = {**params, "link": str(CHAIN_LINK_WORDS[params["link"]])}
    if code.startswith("suspended_") and "reason" in params:
        params = {**params, "reason": suspension_cause(params["reason"])}
    try:
        text = str(message) % params if message is not None else None
    except (KeyError, TypeError, ValueError):
        text = None
    if text is None:
        text = gettext("reason %(code)s", code=reason.get("code", "?"))
    rule = reason.get("rule")
    return f"{rule}: {text}" if rule else text
