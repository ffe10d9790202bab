"""Two coordinators publish clashing plans at the same moment: one wins, the other is told, nobody is double-booked."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from app.db import make_engine
from app.migrate import upgrade
from app.models import InspectorBooking, ScheduleAssignment, ScheduleRun, User
from app.services.errors import WorkflowError
from app.services.planning.publishing import publish_run
from tests.conftest import scratch_database
from tests.factories import make_inspector, make_rule, make_shift, make_shipment, make_site, make_user

T0 = datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def committed_database(tmp_path):
    """A migrated database whose transactions really commit, shared by several threads."""
    with scratch_database("concurrency", tmp_path) as url:
        upgrade(url)
        engine = make_engine(url)
        yield sessionmaker(bind=engine, expire_on_commit=False)
        engine.dispose()


def _two_clashing_runs(factory) -> tuple[int, int, int]:
    with factory() as session:
        site = make_site(session, bays=4)
        aphis, senasica = make_inspector(session, "APHIS", site), make_inspector(session, "SENASICA", site)
        for inspector in (aphis, senasica):
            make_shift(session, inspector, T0 - timedelta(hours=1), hours=10)
        coordinator = make_user(session, role="coordinator")
        make_rule(session)  # waives the avocado's border inspection: the plans need no CBP slot
        run_ids = []
        for offset in (0, 30):  # the second plan starts half an hour into the first
            request = make_shipment(session)
            run = ScheduleRun(horizon_start=T0 - timedelta(days=1), horizon_end=T0 + timedelta(days=6),
                              status="succeeded")
            assignment = ScheduleAssignment(request_id=request.id, kind="joint_inland", site_id=site.id,
                                            start=T0 + timedelta(minutes=offset),
                                            end=T0 + timedelta(minutes=offset + 90))
            assignment.inspectors = [aphis, senasica]
            run.assignments.append(assignment)
            session.add(run)
            session.flush()
            run_ids.append(run.id)
        session.commit()
        return coordinator.id, run_ids[0], run_ids[1]


def test_simultaneous_publishing_never_double_books(committed_database):
    factory = committed_database
    coordinator_id, first, second = _two_clashing_runs(factory)
    outcomes: dict[int, str] = {}
    barrier = threading.Barrier(2)

    def publish(run_id: int) -> None:
        with factory() as session:
            actor = session.get(User, coordinator_id)
            barrier.wait()
            try:
                publish_run(session, actor, run_id)
                session.commit()
                outcomes[run_id] = "published"
            except WorkflowError as error:
                session.rollback()
                outcomes[run_id] = f"refused: {error.message}"

    threads = [threading.Thread(target=publish, args=(run_id,)) for run_id in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["published", "refused"], outcomes
    # The second publisher started from no live plan, and one was published meanwhile.
    assert any("was published for these days after this run started" in o for o in outcomes.values())
    with factory() as session:
        active = session.scalars(sa.select(InspectorBooking).where(InspectorBooking.active)).all()
        assert len(active) == 2  # one inspection, its two inspectors
        published = session.scalars(sa.select(ScheduleRun).where(ScheduleRun.published_at.is_not(None))).all()
        assert len(published) == 1
