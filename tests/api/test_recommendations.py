"""POST /v1/recommendations and /v1/recommendations/batch."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.examples import PROFILE_EXAMPLES
from recommender import Recommender, parse_profile
from tests.api.support import VALID_PROFILE, assert_problem, fields_named


def test_a_profile_gets_the_library_recommendation_as_json(client: TestClient, recommender: Recommender) -> None:
    response = client.post("/v1/recommendations", json=VALID_PROFILE)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    expected = recommender.recommend(parse_profile(VALID_PROFILE)).model_dump(mode="json")
    assert response.json() == expected


def test_the_same_profile_gives_the_same_bytes(client: TestClient) -> None:
    first = client.post("/v1/recommendations", json=VALID_PROFILE)
    second = client.post("/v1/recommendations", json=VALID_PROFILE)

    assert first.content == second.content


@pytest.mark.parametrize("project_type", sorted(PROFILE_EXAMPLES))
def test_every_documented_example_is_answered(client: TestClient, recommender: Recommender, project_type: str) -> None:
    profile = PROFILE_EXAMPLES[project_type]["value"]

    response = client.post("/v1/recommendations", json=profile)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["profile"]["project_type"] == project_type
    assert body == recommender.recommend(parse_profile(profile)).model_dump(mode="json")


def test_a_recommendation_carries_the_contract_fields(client: TestClient) -> None:
    body = client.post("/v1/recommendations", json=VALID_PROFILE).json()

    assert {"initiation_mode", "collaboration_level", "risks", "mitigations", "trace", "knowledge_base"} <= body.keys()
    assert body["initiation_mode"]["ranking"][0]["mode"] == body["initiation_mode"]["recommended"]
    assert len(body["initiation_mode"]["ranking"]) == 3
    mitigation_ids = {m["id"] for m in body["mitigations"]}
    assert all(set(risk["mitigations"]) <= mitigation_ids for risk in body["risks"])


def test_an_invalid_profile_is_a_problem_naming_each_field(client: TestClient) -> None:
    bad = {**VALID_PROFILE, "project_type": "survey", "timeline_months": 0, "colour": "blue"}

    problem = assert_problem(client.post("/v1/recommendations", json=bad), 422)

    assert fields_named(problem) == {"project_type", "timeline_months", "colour"}
    reasons = {error["field"]: error["reason"] for error in problem["errors"]}
    assert reasons["colour"] == "unknown field"
    assert reasons["timeline_months"] == "Input should be greater than or equal to 1"


def test_a_batch_is_answered_in_order_with_each_bad_item_its_own_problem(
    client: TestClient, recommender: Recommender
) -> None:
    evidence_review = PROFILE_EXAMPLES["evidence_review"]["value"]
    profiles = [VALID_PROFILE, {**VALID_PROFILE, "timeline_months": "5"}, evidence_review, ["not", "an", "object"]]

    response = client.post("/v1/recommendations/batch", json={"profiles": profiles})

    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(r["index"], r["status"]) for r in results] == [(0, 200), (1, 422), (2, 200), (3, 422)]
    assert results[0]["recommendation"] == recommender.recommend(parse_profile(VALID_PROFILE)).model_dump(mode="json")
    assert results[2]["recommendation"]["profile"]["project_type"] == "evidence_review"
    assert results[1]["problem"]["status"] == 422
    assert {e["field"] for e in results[1]["problem"]["errors"]} == {"timeline_months"}
    assert {e["field"] for e in results[3]["problem"]["errors"]} == {"(body)"}


def test_a_batch_of_five_hundred_profiles_is_answered(client: TestClient) -> None:
    profiles = [{**VALID_PROFILE, "timeline_months": 1 + index % 120} for index in range(500)]

    response = client.post("/v1/recommendations/batch", json={"profiles": profiles})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["index"] for r in results] == list(range(500))
    assert all(r["status"] == 200 for r in results)
    assert [r["recommendation"]["profile"]["timeline_months"] for r in results] == [
        p["timeline_months"] for p in profiles
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"profiles": [VALID_PROFILE] * 501}, "profiles"),
        ({"profiles": []}, "profiles"),
        ({"profiles": VALID_PROFILE}, "profiles"),
        ({}, "profiles"),
        ({"profiles": [VALID_PROFILE], "extra": 1}, "extra"),
        ([VALID_PROFILE], "(body)"),
    ],
    ids=["over 500", "empty", "not a list", "missing", "extra field", "not an object"],
)
def test_a_malformed_batch_is_one_problem_naming_the_field(client: TestClient, body: object, field: str) -> None:
    response = client.post(
        "/v1/recommendations/batch", content=json.dumps(body), headers={"content-type": "application/json"}
    )

    problem = assert_problem(response, 422)
    assert fields_named(problem) == {field}
