"""POST /v1/plan-checks and GET /v1/knowledge-base/components."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from recommender import Recommender, check_plan, load_knowledge_base, parse_profile
from recommender.kb import default_rules_dir
from tests.api.support import VALID_PROFILE, assert_problem, fields_named

GRANT: dict[str, Any] = {
    "project_type": "data_analysis",
    "timeline_months": 18,
    "funding": "external_grant",
    "relationship": "prior_project",
    "staff_stability": "moderate",
    "proposed_initiation": "researcher",
    "uses_agency_data": True,
}


def test_a_plan_check_is_the_library_answer_as_json(client: TestClient, recommender: Recommender) -> None:
    in_place = ["aims_in_writing", "dated_deliverables"]

    response = client.post("/v1/plan-checks", json={"profile": GRANT, "plan": {"in_place": in_place}})

    assert response.status_code == 200, response.text
    expected = check_plan(parse_profile(GRANT), in_place=in_place, recommender=recommender)
    assert response.json() == expected.model_dump(mode="json")
    body = response.json()
    assert body["gaps"][0] == {**body["gaps"][0], "component": "data_access_agreement", "severity": "critical"}
    assert body["readiness"]["band"] == "concern"


def test_an_unknown_component_is_a_problem_naming_its_position(client: TestClient) -> None:
    body = {"profile": VALID_PROFILE, "plan": {"in_place": ["aims_in_writing", "mou"]}}

    problem = assert_problem(client.post("/v1/plan-checks", json=body), 422)

    assert fields_named(problem) == {"plan.in_place[1]"}
    assert problem["errors"][0]["value"] == "mou"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"profile": {**VALID_PROFILE, "funding": "grant"}, "plan": {"in_place": []}}, {"profile.funding"}),
        ({"profile": VALID_PROFILE, "plan": {"in_place": [7]}}, {"plan.in_place[0]"}),
        ({"profile": VALID_PROFILE, "plan": {"in_place": "aims_in_writing"}}, {"plan.in_place"}),
        ({"profile": VALID_PROFILE, "plan": {"in_place": [], "extra": 1}}, {"plan.extra"}),
        ({"profile": VALID_PROFILE}, {"plan"}),
        ({"plan": {"in_place": []}}, {"profile"}),
        ({"profile": VALID_PROFILE, "plan": {"in_place": []}, "notes": "x"}, {"notes"}),
        ([], {"(body)"}),
    ],
)
def test_a_bad_body_is_a_problem_naming_each_field(client: TestClient, body: Any, fields: set[str]) -> None:
    problem = assert_problem(client.post("/v1/plan-checks", json=body), 422)

    assert fields_named(problem) == fields


def test_a_malformed_body_is_a_problem(client: TestClient) -> None:
    response = client.post("/v1/plan-checks", content=b"{", headers={"content-type": "application/json"})

    assert_problem(response, 400)


def test_the_components_are_listed_for_clients(client: TestClient, recommender: Recommender) -> None:
    response = client.get("/v1/knowledge-base/components")

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == list(recommender.kb.components)
    assert all(item["findings"] and item["risks"] and item["add"] for item in body)


def test_the_documented_plan_body_offers_the_component_ids(client: TestClient, recommender: Recommender) -> None:
    document = client.get("/openapi.json").json()
    schema = _plan_check_request(document)

    assert schema["title"] == "PlanCheckRequest"
    assert schema["properties"]["profile"] == {"$ref": "#/components/schemas/ProjectProfile"}
    assert schema["properties"]["plan"]["properties"]["in_place"]["items"]["enum"] == list(recommender.kb.components)


def _rules_without_first_component(tmp_path: Path) -> tuple[Path, list[str]]:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    data = yaml.safe_load((rules / "components.yaml").read_text(encoding="utf-8"))
    data["components"] = data["components"][1:]
    (rules / "components.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return rules, [entry["id"] for entry in data["components"]]


def _plan_check_request(document: dict[str, Any]) -> Any:
    """The plan check's request schema: a named component, so that generated clients name it."""
    body = document["paths"]["/v1/plan-checks"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/PlanCheckRequest"}
    return document["components"]["schemas"]["PlanCheckRequest"]


def _documented_ids(document: dict[str, Any]) -> Any:
    schema = _plan_check_request(document)
    return schema["properties"]["plan"]["properties"]["in_place"]["items"].get("enum")


def test_the_documented_component_ids_follow_the_configured_knowledge_base(tmp_path: Path) -> None:
    rules, ids = _rules_without_first_component(tmp_path)
    shipped = list(load_knowledge_base().components)
    assert ids == shipped[1:]

    # Before start-up (the document is read from the settings' folder) and after it (the loaded one).
    assert _documented_ids(create_app(Settings(rules_dir=rules)).openapi()) == ids
    with TestClient(create_app(Settings(rules_dir=rules))) as client:
        assert _documented_ids(client.get("/openapi.json").json()) == ids
    # Another app in the same process still documents its own knowledge base.
    assert _documented_ids(create_app(Settings()).openapi()) == shipped


def test_a_knowledge_base_without_components_documents_no_component_enum(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    (rules / "components.yaml").unlink()

    document = create_app(Settings(rules_dir=rules)).openapi()

    assert _documented_ids(document) is None
    assert "x-component-ids" not in json.dumps(document)
