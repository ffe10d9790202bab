"""Property-based API tests: schemathesis against /api/openapi.json in-process, with a coordinator's and an
administrator's token, finds no 5xx and no schema mismatch."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import sessionmaker
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance, unsupported_method,
)

from app import create_app
from app.db import db, make_engine
from app.migrate import upgrade
from app.services.seeding import seed
from app.services.access.tokens import issue_token
from tests.conftest import scratch_database
from tests.factories import make_user

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          unsupported_method]

# schemathesis parametrizes at collection time, so the app it loads the schema from exists at import;
# its sessions go to a scratch database that the fuzzing may change at will.
FUZZ_APP = create_app({"TESTING": True, "DATABASE_URL": os.environ.get("DATABASE_URL") or "sqlite://",
                       "SECRET_KEY": "fuzz", "RATELIMIT_ENABLED": False, "RUNS_INLINE": True})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", FUZZ_APP)
schema.config.phases.coverage.enabled = False  # its hundreds of boundary cases per operation cost minutes


class _NoRuns:
    """Runs are queued, never solved: fuzzing must not start the optimizer for every example."""

    def submit(self, run_id: int) -> None:
        return None


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Iterator[sessionmaker]:
    """Seeded data in a scratch database of its own, seeded once for all operations and roles."""
    with scratch_database("fuzz", tmp_path_factory.mktemp("fuzz")) as url:
        upgrade(url)
        engine = make_engine(url)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        db.bound(FUZZ_APP).session_factory = factory
        FUZZ_APP.extensions["run_executor"] = _NoRuns()
        with factory() as session:
            seed(session, demo_accounts=False)
            session.commit()
        yield factory
        engine.dispose()


# The coordinator is who the issue names (most write operations are theirs); the administrator
# reaches what is left (accounts, tokens).
@pytest.fixture(scope="module", params=["coordinator", "admin"])
def bearer(request, scratch) -> dict[str, str]:
    with scratch() as session:
        _token, secret = issue_token(session, make_user(session, role=request.param, username=f"fuzz-{request.param}"),
                                     "fuzz")
        session.commit()
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_api_conforms_to_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
