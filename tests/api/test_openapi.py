"""The OpenAPI document and the interactive docs."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient

from recommender.profile import ProjectType

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _resolve(document: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    assert isinstance(node, dict)
    return node


def test_the_interactive_docs_are_served(client: TestClient) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert "swagger-ui" in response.text
    assert "/openapi.json" in response.text


def test_every_operation_of_the_contract_is_documented(document: dict[str, Any]) -> None:
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item}

    assert operations == {
        ("POST", "/v1/recommendations"),
        ("POST", "/v1/recommendations/batch"),
        ("GET", "/v1/knowledge-base"),
        ("GET", "/v1/knowledge-base/findings"),
        ("GET", "/v1/knowledge-base/risks"),
        ("GET", "/v1/knowledge-base/mitigations"),
        ("GET", "/v1/knowledge-base/rules"),
        ("POST", "/v1/plan-checks"),
        ("POST", "/v1/tender-briefs"),
        ("POST", "/v1/what-if"),
        ("GET", "/v1/knowledge-base/components"),
        ("GET", "/healthz"),
        ("GET", "/readyz"),
    }


def test_the_profile_body_has_an_example_for_every_project_type(document: dict[str, Any]) -> None:
    body = document["paths"]["/v1/recommendations"]["post"]["requestBody"]
    examples = body["content"]["application/json"]["examples"]

    assert body["required"] is True
    assert sorted(example["value"]["project_type"] for example in examples.values()) == sorted(get_args(ProjectType))


def test_the_profile_body_schema_is_the_strict_contract_profile(document: dict[str, Any]) -> None:
    body = document["paths"]["/v1/recommendations"]["post"]["requestBody"]
    profile = _resolve(document, body["content"]["application/json"]["schema"]["$ref"])

    assert profile["additionalProperties"] is False
    assert set(profile["required"]) == {"project_type", "timeline_months", "funding", "relationship", "staff_stability"}
    assert profile["properties"]["timeline_months"]["minimum"] == 1
    assert profile["properties"]["timeline_months"]["maximum"] == 120
    assert profile["properties"]["project_type"]["enum"] == list(get_args(ProjectType))


def test_the_batch_body_allows_at_most_500_items(document: dict[str, Any]) -> None:
    body = document["paths"]["/v1/recommendations/batch"]["post"]["requestBody"]
    batch = _resolve(document, body["content"]["application/json"]["schema"]["$ref"])

    assert batch["properties"]["profiles"]["maxItems"] == 500
    assert batch["required"] == ["profiles"]
    assert len(body["content"]["application/json"]["examples"]["portfolio"]["value"]["profiles"]) == 5


@pytest.mark.parametrize("path", ["/v1/recommendations", "/v1/recommendations/batch"])
def test_problem_answers_are_documented_as_problem_json(document: dict[str, Any], path: str) -> None:
    responses = document["paths"][path]["post"]["responses"]

    for status in ("400", "406", "413", "415", "422", "503"):
        assert list(responses[status]["content"]) == ["application/problem+json"]
        assert responses[status]["content"]["application/problem+json"]["schema"] == PROBLEM_REF
    problem = _resolve(document, PROBLEM_REF["$ref"])
    assert {"type", "title", "status", "detail"} <= set(problem["required"]) | set(problem["properties"])


def test_the_findings_answer_names_id_source_and_statement(document: dict[str, Any]) -> None:
    schema = document["paths"]["/v1/knowledge-base/findings"]["get"]["responses"]["200"]["content"]["application/json"]
    finding = _resolve(document, schema["schema"]["items"]["$ref"])

    assert {"id", "source", "statement"} <= set(finding["required"])


def test_the_recommendation_answer_is_the_contract_recommendation(document: dict[str, Any]) -> None:
    responses = document["paths"]["/v1/recommendations"]["post"]["responses"]
    recommendation = _resolve(document, responses["200"]["content"]["application/json"]["schema"]["$ref"])

    contract = {"initiation_mode", "collaboration_level", "risks", "mitigations", "trace", "knowledge_base"}
    assert contract <= set(recommendation["required"])
