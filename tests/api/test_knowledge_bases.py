"""Several knowledge bases in one service: listed, chosen per request with ?knowledge_base=, and
two of one version refused at start-up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from recommender import KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from tests.api.support import VALID_PROFILE, assert_problem, fields_named
from tests.editions import change_words, copy_of, set_version

OTHER = "test.http.2"


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> KnowledgeBase:
    rules = copy_of(kb.root, tmp_path_factory.mktemp("edition") / "rules")
    set_version(rules, OTHER)
    change_words(rules / "fields.yaml")
    return load_knowledge_base(rules)


@pytest.fixture(scope="module")
def two(edition: KnowledgeBase) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(extra_knowledge_bases=[edition.root]))) as client:
        yield client


def test_the_list_names_every_knowledge_base_the_default_first(
    two: TestClient, kb: KnowledgeBase, edition: KnowledgeBase
) -> None:
    listed = two.get("/v1/knowledge-bases")

    assert listed.status_code == 200
    assert [(b["version"], b["digest"], b["default"]) for b in listed.json()] == [
        (kb.version, kb.digest, True),
        (OTHER, edition.digest, False),
    ]
    assert listed.json()[1]["counts"] == {
        "findings": len(edition.findings),
        "risks": len(edition.risks),
        "mitigations": len(edition.mitigations),
        "rules": len(edition.rules),
    }


def test_a_request_answers_with_the_knowledge_base_it_names(
    two: TestClient, kb: KnowledgeBase, edition: KnowledgeBase
) -> None:
    default = two.post("/v1/recommendations", json=VALID_PROFILE).json()
    named = two.post(f"/v1/recommendations?knowledge_base={OTHER}", json=VALID_PROFILE).json()
    shipped = two.post(f"/v1/recommendations?knowledge_base={kb.version}", json=VALID_PROFILE).json()

    assert default["knowledge_base"] == {"version": kb.version, "digest": kb.digest}
    assert named["knowledge_base"] == {"version": OTHER, "digest": edition.digest}
    assert shipped == default
    assert two.get(f"/v1/knowledge-base?knowledge_base={OTHER}").json()["digest"] == edition.digest


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/recommendations", VALID_PROFILE),
        ("POST", "/v1/tender-briefs", VALID_PROFILE),
        ("POST", "/v1/what-if", VALID_PROFILE),
        ("POST", "/v1/plan-checks", {"profile": VALID_PROFILE, "plan": {"in_place": []}}),
        ("GET", "/v1/knowledge-base/findings", None),
        ("GET", "/report", None),
    ],
)
def test_every_answering_route_takes_the_version(
    two: TestClient, edition: KnowledgeBase, method: str, path: str, body: object
) -> None:
    query = {"knowledge_base": OTHER} | ({k: str(v) for k, v in VALID_PROFILE.items()} if path == "/report" else {})
    answered = two.request(method, path, params=query, json=body)
    unknown = two.request(method, path, params=query | {"knowledge_base": "no.such.version"}, json=body)

    assert answered.status_code == 200, answered.text
    if path.startswith("/v1/") and "knowledge-base" not in path:
        assert answered.json()["knowledge_base"]["digest"] == edition.digest
    problem = assert_problem(unknown, 404)
    assert fields_named(problem) == {"knowledge_base"}
    assert "no.such.version" in problem["detail"]


def test_the_form_reads_the_words_of_the_knowledge_base_named(two: TestClient, edition: KnowledgeBase) -> None:
    page = two.get("/", params={"knowledge_base": OTHER})

    assert edition.require_field_guide().fields[0].label in page.text


def test_two_knowledge_bases_of_one_version_stop_start_up(tmp_path: Path, kb: KnowledgeBase) -> None:
    rules = copy_of(kb.root, tmp_path / "rules")
    change_words(rules / "fields.yaml")

    with (
        pytest.raises(KnowledgeBaseError, match=f"both version '{kb.version}'"),
        TestClient(create_app(Settings(extra_knowledge_bases=[rules]))),
    ):
        pass
