"""Unknown query parameters are refused with 422 naming them; a PATCH that changes nothing is a 422."""

from __future__ import annotations

from tests.factories import make_milestone


def test_an_unknown_query_parameter_is_named_in_a_422(client_as):
    response = client_as("coordinator").get("/api/v1/runs?stauts=running")
    assert response.status_code == 422
    assert response.json["errors"]["query"] == {"stauts": ["Unknown field."]}


def test_declared_query_parameters_still_work(client_as):
    assert client_as("coordinator").get("/api/v1/requests?status=requested&page=1").status_code == 200


def test_a_patch_without_a_body_is_refused(client_as, db_session):
    milestone = make_milestone(db_session)
    db_session.commit()
    supervisor = client_as("supervisor")
    assert supervisor.patch(f"/api/v1/milestones/{milestone.id}").status_code == 422
    assert supervisor.patch(f"/api/v1/milestones/{milestone.id}", json={}).status_code == 422
