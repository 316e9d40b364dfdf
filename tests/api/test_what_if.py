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


def test_kept_fields_are_held_fixed(client: TestClient, recommender: Recommender) -> None:
    response = client.post("/v1/what-if", json={"profile": TRUSTED, "keep": ["funding", "staff_stability"]})

    assert response.status_code == 200, response.text
    body = response.json()
    expected = what_if(parse_profile(TRUSTED), recommender=recommender, keep=["funding", "staff_stability"])
    assert body == expected.model_dump(mode="json")
    assert body["kept"] == ["funding", "staff_stability"]
    assert {"funding", "staff_stability"}.isdisjoint(field["field"] for field in body["fields"])
    path = body["co_production"]
    assert path is None or all(change["field"] not in ("funding", "staff_stability") for change in path["changes"])


def test_an_unknown_field_to_keep_is_a_problem_naming_it(client: TestClient) -> None:
    problem = assert_problem(client.post("/v1/what-if", json={"profile": TRUSTED, "keep": ["funding", "payer"]}), 422)

    assert fields_named(problem) == {"keep[1]"}
    assert problem["errors"][0]["value"] == "payer"
    assert "not a profile field" in problem["errors"][0]["reason"]


def test_the_request_envelope_names_bad_fields_from_the_top(client: TestClient) -> None:
    response = client.post("/v1/what-if", json={"profile": {**TRUSTED, "funding": "?"}, "keep": "funding", "x": 1})

    assert fields_named(assert_problem(response, 422)) == {"profile.funding", "keep", "x"}
    assert fields_named(assert_problem(client.post("/v1/what-if", json={"keep": []}), 422)) == {"profile"}
