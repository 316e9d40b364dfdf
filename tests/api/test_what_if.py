"""POST /v1/what-if."""

from __future__ import annotations

from fastapi.testclient import TestClient

from recommender import Recommender, parse_profile, what_if
from tests.api.support import VALID_PROFILE, assert_problem, fields_named

TRUSTED = {**VALID_PROFILE, "funding": "external_grant", "timeline_months": 24}


def test_a_what_if_is_the_library_answer_as_json(client: TestClient, recommender: Recommender) -> None:
    response = client.post("/v1/what-if", json=TRUSTED)

    assert response.status_code == 200, response.text
    assert response.json() == what_if(parse_profile(TRUSTED), recommender=recommender).model_dump(mode="json")
    changes = response.json()["co_production"]["changes"]
    assert changes == [{"field": "funding", "value": "co_funded", "range": None}]


def test_an_invalid_profile_is_a_problem_naming_each_field(client: TestClient) -> None:
    problem = assert_problem(client.post("/v1/what-if", json={**VALID_PROFILE, "relationship": "friends"}), 422)

    assert fields_named(problem) == {"relationship"}
