"""Why a rule did not waive a border inspection: stable reason codes with simple parameters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# The web app translates these same codes through its own catalog (English and Spanish), so a
# code and the names of its parameters are a contract: add codes, never rename or reuse them.
REASON_TEMPLATES: dict[str, str] = {
    "no_inland_inspection": "no joint inland inspection, so the border inspection is required",
    "no_rule_for_commodity": "no active rule covers commodity {commodity}",
    "commodity_not_covered": "rule does not cover commodity {commodity}",
    "rule_inactive": "rule is inactive",
    "rule_not_yet_valid": "rule is valid from {valid_from}, after the crossing date {cross_date}",
    "rule_no_longer_valid": (
        "rule was valid until {valid_to}, before the crossing date {cross_date}"
    ),
    "agreement_draft": "agreement {agreement} is still a draft, not in force",
    "agreement_suspended": "agreement {agreement} suspended on {since}: {reason}",
    "agreement_expired": "agreement {agreement} expired on {since}",
    "agreement_not_active": "agreement {agreement} is {status}, not active",
    "agreement_not_yet_effective": (
        "agreement {agreement} takes effect on {effective_from}, "
        "after the crossing date {cross_date}"
    ),
    "agreement_ended": (
        "agreement {agreement} ended on {effective_to}, before the crossing date {cross_date}"
    ),
    "origin_not_covered": "origin state {origin_state} is not covered; rule covers {allowed}",
    "port_not_covered": "port {port} is not covered; rule covers {allowed}",
    "certification_missing": "exporter holds no {program} certificate",
    "certification_expired": (
        "{program} certificate expires {valid_until}, before the crossing date {cross_date}"
    ),
    "certification_not_yet_valid": (
        "{program} certificate is valid only from {valid_from}, "
        "after the crossing date {cross_date}"
    ),
    "seal_not_possible": "shipment cannot be sealed; rule requires a high-security seal",
    "seal_broken": "seal found broken at the border; rule requires an intact seal",
    "seal_missing": "seal missing at the border; rule requires an intact seal",
    "seal_mismatch": "seal number does not match the seal applied; rule requires an intact seal",
    "seal_removed": "seal removed before the border check; rule requires an intact seal",
    "inspection_too_early": (
        "inspection ended {hours_before} h before crossing; rule allows {max_hours} h"
    ),
    "inspection_after_crossing": (
        "inspection ended at {inspection_end}, after the crossing deadline {cross_by}"
    ),
    "arrived_too_late": "arrived {hours_after} h after the joint inspection; rule allows {max_hours} h",
    "certification_suspended": "{program} status suspended on {since}: {reason}",
    "certification_removed": "{program} status removed on {since}: {reason}",
    "recognised_status_missing": (
        "exporter holds no trusted-trader status recognised by both administrations ({programs})"
    ),
    "no_recognition_arrangement": (
        "no arrangement recognising trusted-trader programs between the administrations is in force on "
        "{cross_date}"
    ),
    "chain_link_missing": "logistics chain: no {link} holding {programs} is named",
    "chain_link_not_in_good_standing": (
        "logistics chain: {link} {party} holds no {programs} status in good standing on {cross_date}"
    ),
    "chain_link_suspended": "logistics chain: {link} {party}: {program} status suspended on {since}: {reason}",
    "chain_link_removed": "logistics chain: {link} {party}: {program} status removed on {since}: {reason}",
    "gate_not_done": "rule waits for the Joint Work Plan milestone \"{milestone}\", not done yet",
    "gate_done_after_crossing": (
        "rule waits for the Joint Work Plan milestone \"{milestone}\", done on {done_on}, after the crossing "
        "date {cross_date}"
    ),
    "suspended_exporter": "recognition of this exporter suspended on {since}: {reason}",
    "suspended_packhouse": "recognition of this packhouse suspended on {since}: {reason}",
    "suspended_origin": "recognition for this commodity from this origin state suspended on {since}: {reason}",
    # Not a condition of any rule: the load is recognised, and drawn (verification.selected) to be inspected.
    "selected_for_verification": "selected at random for a verification inspection of recognised loads",
}

REASON_CODES: tuple[str, ...] = tuple(REASON_TEMPLATES)

ParamValue = str | int | float | None


def _simple(value: object) -> ParamValue:
    """Dates become ISO strings so every catalog (and JSON) can take the parameters as they are."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"reason parameters must be str, int, float or dates, not {type(value)!r}")


@dataclass(frozen=True)
class Reason:
    """One condition that kept a rule from waiving the border inspection."""

    code: str
    params: tuple[tuple[str, ParamValue], ...] = ()
    rule: str | None = None

    @classmethod
    def of(cls, code: str, rule: str | None = None, **params: object) -> Reason:
        """Build a reason; parameters are stored sorted by name so equal reasons compare equal."""
        if code not in REASON_TEMPLATES:
            raise ValueError(f"unknown reason code {code!r}")
        simple = tuple(sorted((name, _simple(value)) for name, value in params.items()))
        return cls(code=code, params=simple, rule=rule)

    def param(self, name: str) -> ParamValue:
        return dict(self.params)[name]

    def as_dict(self) -> dict[str, object]:
        """The reason as plain JSON-ready data, for storage and the API."""
        return {"code": self.code, "rule": self.rule, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Reason:
        """A reason read back from storage; unknown codes are kept so old audit rows still load."""
        params = data.get("params") or {}
        return cls(code=str(data["code"]), params=tuple(sorted(params.items())),
                   rule=data.get("rule"))

    def for_rule(self, rule: str) -> Reason:
        return Reason(code=self.code, params=self.params, rule=rule)


def describe(reason: Reason) -> str:
    """The reason in plain English, prefixed by the rule it concerns when there is one."""
    template = REASON_TEMPLATES.get(reason.code)
    params = dict(reason.params)
    try:
        text = template.format(**params) if template else None
    except KeyError:
        text = None
    if text is None:
        # An unknown code or a missing parameter must still say something readable in an audit.
        detail = ", ".join(f"{k}={v}" for k, v in reason.params)
        text = f"{reason.code} ({detail})" if detail else reason.code
    return f"{reason.rule}: {text}" if reason.rule else text
