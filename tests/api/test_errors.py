"""Every error is an RFC 9457 problem, mapped from its exception in one place."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_recommender
from api.errors import problem_for
from api.settings import Settings
from recommender import KnowledgeBase, KnowledgeBaseError, ProfileError, Recommender, RecommenderError
from recommender.engine.base import Decide, Scalar
from recommender.errors import EngineError, FieldProblem
from tests.api.support import VALID_PROFILE, assert_problem


@pytest.mark.parametrize("path", ["/v0", "/v1", "/v2/recommendations", "/v1/knowledge-base/nothing", "/%00"])
def test_an_unknown_route_is_a_404_problem(client: TestClient, path: str) -> None:
    problem = assert_problem(client.get(path), 404)

    assert problem["type"] == "about:blank"
    assert problem["title"] == "Not Found"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/v1/recommendations", "POST"),
        ("PUT", "/v1/recommendations/batch", "POST"),
        ("DELETE", "/healthz", "GET"),
        ("POST", "/v1/knowledge-base/findings", "GET"),
        ("PATCH", "/readyz", "GET"),
    ],
)
def test_a_wrong_method_is_a_405_problem_that_names_the_allowed_one(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)

    assert_problem(response, 405)
    assert response.headers["allow"] == allowed


class ExplodingEvaluator:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def evaluate(self, profile: Mapping[str, Scalar], decide: Decide) -> list[str]:
        raise self.error


@pytest.mark.parametrize(
    ("error", "status", "kind"),
    [
        (EngineError("durable failed"), 500, "engine-error"),
        (KnowledgeBaseError("gone", file="rules.yaml", entry="r1"), 503, "knowledge-base-unavailable"),
        (RecommenderError("other"), 500, "recommender-error"),
    ],
)
def test_a_library_error_during_a_request_is_a_problem(
    kb: KnowledgeBase, error: Exception, status: int, kind: str
) -> None:
    app = create_app(Settings())
    app.dependency_overrides[get_recommender] = lambda: Recommender(kb, evaluator=ExplodingEvaluator(error))

    with TestClient(app) as client:
        problem = assert_problem(client.post("/v1/recommendations", json=VALID_PROFILE), status)

    assert problem["type"].endswith(kind)
    assert "durable" not in problem["detail"]


def test_an_unexpected_error_is_a_500_problem_that_reveals_nothing(kb: KnowledgeBase) -> None:
    app = create_app(Settings())
    secret = RuntimeError("secret internals")
    app.dependency_overrides[get_recommender] = lambda: Recommender(kb, evaluator=ExplodingEvaluator(secret))

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/v1/recommendations", json=VALID_PROFILE, headers={"X-Request-ID": "r-500"})

    problem = assert_problem(response, 500)
    assert "secret" not in response.text
    assert problem["type"] == "about:blank"
    assert problem["request_id"] == response.headers["x-request-id"] == "r-500"


def test_a_profile_error_names_every_field_and_echoes_short_values() -> None:
    error = ProfileError([FieldProblem("funding", "unknown value", "gift"), FieldProblem("title", "too long")])

    problem = problem_for(error, request_id="abc")

    assert problem.status == 422
    assert problem.request_id == "abc"
    assert [(e.field, e.reason, e.value) for e in problem.errors or []] == [
        ("funding", "unknown value", "gift"),
        ("title", "too long", None),
    ]


def test_a_framework_validation_error_is_the_same_invalid_input_problem() -> None:
    error = RequestValidationError([{"loc": ("query", "limit"), "msg": "Input should be a valid integer", "type": "x"}])

    problem = problem_for(error)

    assert problem.status == 422
    assert problem.type.endswith("invalid-input")
    assert [(e.field, e.reason) for e in problem.errors or []] == [("query.limit", "Input should be a valid integer")]
