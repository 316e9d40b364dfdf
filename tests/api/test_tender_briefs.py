"""POST /v1/tender-briefs."""

from __future__ import annotations

from fastapi.testclient import TestClient

from recommender import Recommender, parse_profile, tender_brief
from tests.api.support import VALID_PROFILE, assert_problem, fields_named


def test_a_tender_brief_is_the_library_answer_as_json(client: TestClient, recommender: Recommender) -> None:
    response = client.post("/v1/tender-briefs", json=VALID_PROFILE)

    assert response.status_code == 200, response.text
    assert response.json() == tender_brief(parse_profile(VALID_PROFILE), recommender=recommender).model_dump(
        mode="json"
    )
    body = response.json()
    assert {"initiation_mode", "collaboration_level", "clauses", "questions", "commitments"} <= body.keys()


def test_an_invalid_profile_is_a_problem_naming_each_field(client: TestClient) -> None:
    bad = {**VALID_PROFILE, "timeline_months": 500, "budget": 3}

    problem = assert_problem(client.post("/v1/tender-briefs", json=bad), 422)

    assert fields_named(problem) == {"timeline_months", "budget"}
