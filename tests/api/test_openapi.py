"""The OpenAPI document and the interactive docs."""

from __future__ import annotations

import re
from typing import Any, get_args

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from api.examples import INVALID_PROFILE
from api.problems import Problem
from api.routes import (
    components,
    health,
    knowledge_base,
    knowledge_bases,
    partnerships,
    plan_checks,
    recommendations,
    tender_briefs,
    what_if,
)
from api.settings import Settings
from recommender.profile import ProjectProfile
from recommender.vocabulary import ProjectType

JSON = {"Content-Type": "application/json"}

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
        ("GET", "/v1/knowledge-bases"),
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
        ("POST", "/v1/partnerships"),
        ("GET", "/v1/partnerships/{partnership_id}"),
        ("DELETE", "/v1/partnerships/{partnership_id}"),
        ("PUT", "/v1/partnerships/{partnership_id}/partners/{partner_id}/answers"),
        ("GET", "/v1/partnerships/{partnership_id}/partners/{partner_id}/answers"),
        ("POST", "/v1/partnerships/{partnership_id}/assessments"),
        ("GET", "/v1/partnerships/{partnership_id}/assessments"),
        ("GET", "/v1/partnerships/{partnership_id}/assessments/{number}/rerun"),
        ("GET", "/v1/partnerships/{partnership_id}/divergence"),
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


# --- for integrators: names, examples, servers ---


def test_every_operation_id_is_set_by_the_project(document: dict[str, Any]) -> None:
    """Generated clients name their methods after these: none may be FastAPI's generated name."""
    routers = (
        components,
        health,
        knowledge_base,
        knowledge_bases,
        plan_checks,
        recommendations,
        tender_briefs,
        what_if,
        partnerships,
    )
    routes = [r for m in routers for r in m.router.routes if isinstance(r, APIRoute) and r.include_in_schema]
    ids = [operation["operationId"] for item in document["paths"].values() for operation in item.values()]

    assert all(route.operation_id for route in routes), [r.path for r in routes if not r.operation_id]
    assert sorted(ids) == sorted(str(route.operation_id) for route in routes)
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", operation_id) for operation_id in ids), ids


def test_every_request_body_is_a_named_schema(document: dict[str, Any]) -> None:
    names = set()
    for item in document["paths"].values():
        for operation in item.values():
            if "requestBody" not in operation:
                continue
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            refs = schema.get("oneOf", [schema])
            assert all(set(ref) == {"$ref"} for ref in refs), schema
            names |= {ref["$ref"].rsplit("/", 1)[-1] for ref in refs}

    assert names == {"ProjectProfile", "BatchRequest", "PlanCheckRequest", "WhatIfRequest", "NewPartnership"}
    assert names <= document["components"]["schemas"].keys()
    assert not [name for name in document["components"]["schemas"] if name.startswith("Body_")]


def test_every_schema_has_the_name_of_its_model(document: dict[str, Any]) -> None:
    """Two models of one name would be told apart by their module paths (``recommender__...``):
    the contract's names are plain, and the partnerships' ``Assessment`` is the contract's."""
    names = document["components"]["schemas"].keys()

    assert all(re.fullmatch(r"[A-Z][A-Za-z]*", name) for name in names), sorted(names)
    assessment = document["components"]["schemas"]["Assessment"]
    assert {"number", "created_at", "profile", "recommendation", "knowledge_base", "changes"} <= assessment[
        "properties"
    ].keys()


def test_the_what_if_request_lists_the_fields_that_can_be_kept(document: dict[str, Any]) -> None:
    schema = document["components"]["schemas"]["WhatIfRequest"]

    assert schema["required"] == ["profile"]
    assert schema["properties"]["keep"]["items"]["enum"] == list(ProjectProfile.model_fields)


def test_a_servers_entry_is_given(client: TestClient, document: dict[str, Any]) -> None:
    assert document["servers"][0]["url"] == "/"
    other = create_app(Settings(public_url="https://recommender.example.org")).openapi()
    assert other["servers"][0]["url"] == "https://recommender.example.org"


def _problem_examples(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/problem+json")
                if content is None:
                    continue
                assert content.get("examples"), f"{method} {path} {status} has no example"
                found += [(status, example["value"]) for example in content["examples"].values()]
    return found


def test_every_problem_answer_has_an_example_that_is_a_problem(document: dict[str, Any]) -> None:
    examples = _problem_examples(document)

    assert {status for status, _ in examples} >= {"400", "406", "413", "415", "422", "503"}
    for status, value in examples:
        problem = Problem.model_validate(value)
        assert str(problem.status) == status


def test_the_problem_examples_are_what_the_api_answers(client: TestClient, document: dict[str, Any]) -> None:
    """Each example is compared with the real answer to the request it describes (less the request id)."""
    operation = document["paths"]["/v1/recommendations"]["post"]
    shown = {
        status: next(iter(r["content"]["application/problem+json"]["examples"].values()))["value"]
        for status, r in operation["responses"].items()
        if status != "200"
    }
    valid = operation["requestBody"]["content"]["application/json"]["examples"]["evaluation"]["value"]
    answers = {
        "400": client.post("/v1/recommendations", content=b'{"project_type": ', headers=JSON),
        "406": client.post("/v1/recommendations", json=valid, headers={"Accept": "image/png"}),
        "413": client.post("/v1/recommendations", content=b" " * (1024 * 1024 + 1), headers=JSON),
        "415": client.post("/v1/recommendations", content=b"{}", headers={"Content-Type": "text/plain"}),
        "422": client.post("/v1/recommendations", json=INVALID_PROFILE),
    }
    for status, response in answers.items():
        body = response.json()
        body.pop("request_id")
        assert body == shown[status], status
    assert shown["503"]["status"] == 503
    assert shown["503"]["type"].endswith(":not-ready")


def test_404_and_405_are_documented_once_and_answered_as_documented(
    client: TestClient, document: dict[str, Any]
) -> None:
    responses = document["components"]["responses"]
    for name, response in (
        ("NotFound", client.get("/v1/nothing-here")),
        ("MethodNotAllowed", client.delete("/readyz")),
    ):
        example = next(iter(responses[name]["content"]["application/problem+json"]["examples"].values()))["value"]
        body = response.json()
        body.pop("request_id")
        assert body == example
    assert client.delete("/readyz").headers["allow"] == "GET"
    assert "#/components/responses/NotFound" in document["info"]["description"]


def test_the_main_operations_show_an_answer_the_engine_computed(client: TestClient, document: dict[str, Any]) -> None:
    for path in ("/v1/recommendations", "/v1/tender-briefs", "/v1/plan-checks", "/v1/what-if"):
        operation = document["paths"][path]["post"]
        example = operation["responses"]["200"]["content"]["application/json"]["example"]
        body = next(iter(operation["requestBody"]["content"]["application/json"]["examples"].values()))["value"]
        assert client.post(path, json=body).json() == example, path
