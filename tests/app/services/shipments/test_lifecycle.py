"""The shipment lifecycle: every step from every status, and no status changed any other way."""

from __future__ import annotations

import ast
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, Shipment
from app.models.shipment import SHIPMENT_STATUSES, StatusChangeRefused
from app.services.shipments import lifecycle
from tests.factories import make_shipment

AT = datetime(2027, 3, 2, 15, 0, tzinfo=timezone.utc)
APP = Path(__file__).resolve().parents[4] / "app"


@pytest.mark.parametrize("step", sorted(lifecycle.STEPS))
@pytest.mark.parametrize("status", SHIPMENT_STATUSES)
def test_each_step_from_each_status(db_session, step, status):
    shipment = make_shipment(db_session, status=status)
    rule = lifecycle.STEPS[step]
    if status not in rule.sources:
        with pytest.raises(lifecycle.TransitionRefused) as refused:
            lifecycle.take(db_session, None, shipment, step, AT)
        assert refused.value.message == lifecycle.status_refusal(shipment)
        assert shipment.status == status
        return
    lifecycle.take(db_session, None, shipment, step, AT, reason="because")
    assert shipment.status == rule.target
    if rule.stamp:
        assert getattr(shipment, rule.stamp) == AT
    for column in rule.also_stamps:
        assert getattr(shipment, column) is not None
    db_session.flush()
    entry = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.entity_id == str(shipment.id))
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.before["status"] == status and entry.after["status"] == rule.target


def test_every_status_is_reached_and_every_status_but_the_final_ones_can_move():
    targets = {step.target for step in lifecycle.STEPS.values()}
    sources = {status for step in lifecycle.STEPS.values() for status in step.sources}
    assert targets | {lifecycle.REQUESTED} == set(SHIPMENT_STATUSES)
    assert sources == set(SHIPMENT_STATUSES) - set(lifecycle.FINAL)


def test_a_status_set_outside_the_lifecycle_is_refused(db_session):
    shipment = make_shipment(db_session)
    with pytest.raises(StatusChangeRefused):
        shipment.status = "released"
    with pytest.raises(StatusChangeRefused):
        Shipment(reference="X", status="scheduled")


def test_every_refusal_reads_as_a_sentence(db_session):
    for status in SHIPMENT_STATUSES:
        text = lifecycle.status_refusal(make_shipment(db_session, status=status))
        assert text.endswith(".") and "step does not apply" not in text


def _status_assignments(path: Path) -> list[str]:
    """Places in a module that set some object's `status` or pass status= to a Shipment."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            for element in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(element, ast.Attribute) and element.attr == "status":
                    found.append(f"{path.name}:{node.lineno} {ast.unparse(element)}")
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("Shipment"):
            if any(k.arg == "status" for k in node.keywords):
                found.append(f"{path.name}:{node.lineno} Shipment(status=...)")
        if isinstance(node, ast.Call) and "update(Shipment)" in ast.unparse(node.func) and "status" in ast.unparse(node):
            found.append(f"{path.name}:{node.lineno} update(Shipment)")
    return found


def test_no_other_module_assigns_a_shipment_status():
    # Shipments are named shipment or request in the code (the old word); the model refuses the rest at run time.
    offending = []
    for path in APP.rglob("*.py"):
        if path.name == "lifecycle.py" or path.parent.name == "models":
            continue
        for place in _status_assignments(path):
            owner = place.split(" ", 1)[1].rsplit(".", 1)[0].lower()
            if "shipment" in owner or "request" in owner:
                offending.append(f"{path.relative_to(APP)}:{place}")
    assert offending == []
