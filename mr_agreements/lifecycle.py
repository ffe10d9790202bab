"""Agreement lifecycle (draft, active, suspended, expired) and rule revisions as new versions."""

from __future__ import annotations

import dataclasses
from datetime import date

from mr_agreements.domain import Agreement, Rule

DRAFT, ACTIVE, SUSPENDED, EXPIRED = "draft", "active", "suspended", "expired"
STATUSES = (DRAFT, ACTIVE, SUSPENDED, EXPIRED)

# suspended -> active is the reactivation; expired is final, so a lapsed agreement is
# replaced by a new one rather than silently brought back.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({ACTIVE}),
    ACTIVE: frozenset({SUSPENDED, EXPIRED}),
    SUSPENDED: frozenset({ACTIVE, EXPIRED}),
    EXPIRED: frozenset(),
}

# A revision keeps the rule's identity; its version is what the engine bumps.
_FIXED_RULE_FIELDS = frozenset({"id", "agreement", "version"})
_TUPLE_RULE_FIELDS = frozenset({"commodities", "origin_states", "ports", "requires_certifications"})


class LifecycleError(ValueError):
    """A status change or rule revision the agreement lifecycle does not allow."""


def transition(agreement: Agreement, to_status: str, on: date,
               reason: str | None = None) -> Agreement:
    """The agreement in its new status from `on`; a suspension must say why."""
    current = agreement.status
    if to_status not in STATUSES:
        raise LifecycleError(f"unknown agreement status {to_status!r}; "
                             f"expected one of {', '.join(STATUSES)}")
    if to_status not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS.get(current, ()))) or "none"
        raise LifecycleError(f"agreement {agreement.id} cannot go from {current} to "
                             f"{to_status} (allowed from {current}: {allowed})")
    if to_status == SUSPENDED and not (reason and reason.strip()):
        raise LifecycleError(f"suspending agreement {agreement.id} needs a reason")
    if agreement.status_since is not None and on < agreement.status_since:
        raise LifecycleError(f"agreement {agreement.id} has been {current} since "
                             f"{agreement.status_since.isoformat()}; a change on "
                             f"{on.isoformat()} would predate it")
    return dataclasses.replace(agreement, status=to_status, status_since=on,
                               status_reason=reason.strip() if reason else None)


def revise_rule(rule: Rule, **changes: object) -> Rule:
    """A new version of the rule with the changes; decisions made under the old one keep it."""
    names = {f.name for f in dataclasses.fields(Rule)}
    unknown = sorted(set(changes) - names)
    if unknown:
        raise LifecycleError(f"rule {rule.id} has no field {', '.join(unknown)}")
    fixed = sorted(set(changes) & _FIXED_RULE_FIELDS)
    if fixed:
        raise LifecycleError(f"a revision of rule {rule.id} cannot change {', '.join(fixed)}")
    if not changes:
        raise LifecycleError(f"a revision of rule {rule.id} must change something")
    return dataclasses.replace(rule, version=rule.version + 1, **_as_tuples(rule, changes))


def _as_tuples(rule: Rule, changes: dict[str, object]) -> dict[str, object]:
    # Lists from a form or JSON become tuples so the revised rule stays frozen and hashable;
    # a bare string would silently become a tuple of letters, so it is refused instead.
    normalised = dict(changes)
    for name in _TUPLE_RULE_FIELDS & set(changes):
        value = changes[name]
        if isinstance(value, str):
            raise LifecycleError(f"rule {rule.id}: {name} must be a list, not the string {value!r}")
        normalised[name] = tuple(value)
    return normalised
