"""Formats on every operation: an unknown ``?format=`` is a problem, and so is an ``Accept`` header
that no format of the resource satisfies (406), read off the app's own OpenAPI document so that a
new operation is covered without being listed here."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.support import assert_problem, fields_named


def _operations() -> list[tuple[str, str, Any]]:
    """Every documented operation as ``(method, path, body)``, the body being its first example."""
    document = create_app(Settings()).openapi()
    operations = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            body = None
            if "requestBody" in operation:
                examples = operation["requestBody"]["content"]["application/json"]["examples"]
                body = next(iter(examples.values()))["value"]
            operations.append((method.upper(), path, body))
    return operations


OPERATIONS = _operations()
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]
#: Those answered without a token (the partnership routes need one: tests/partnerships answers them).
OPEN = [(m, p, b) for m, p, b in OPERATIONS if not p.startswith("/v1/partnerships")]


def _call(client: TestClient, method: str, path: str, body: Any, **kwargs: Any) -> Any:
    return client.request(method, path, json=body, **kwargs)


def test_every_operation_is_covered() -> None:
    assert len(OPERATIONS) == 23
    assert len(OPEN) == 14
    assert ("GET", "/v1/knowledge-bases") in {(method, path) for method, path, _ in OPEN}
    assert ("POST", "/v1/what-if") in {(method, path) for method, path, _ in OPERATIONS}


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS, ids=IDS)
def test_an_unknown_format_is_a_problem_naming_the_parameter(
    client: TestClient, method: str, path: str, body: Any
) -> None:
    problem = assert_problem(_call(client, method, path, body, params={"format": "rtf"}), 422)

    assert fields_named(problem) == {"query.format"}


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS, ids=IDS)
def test_an_accept_header_nothing_satisfies_is_a_406_problem(
    client: TestClient, method: str, path: str, body: Any
) -> None:
    response = _call(client, method, path, body, headers={"Accept": "image/png, application/xml;q=0.5"})

    problem = assert_problem(response, 406)
    assert "application/json" in problem["detail"]


@pytest.mark.parametrize(("method", "path", "body"), OPEN, ids=[f"{m} {p}" for m, p, _ in OPEN])
def test_json_is_answered_when_asked_for(client: TestClient, method: str, path: str, body: Any) -> None:
    for options in ({"params": {"format": "json"}}, {"headers": {"Accept": "application/json"}}, {}):
        response = _call(client, method, path, body, **options)
        assert response.status_code == 200, (options, response.text)
        assert response.headers["content-type"] == "application/json"
        assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    "path", ["/v1/knowledge-base", "/v1/knowledge-base/findings", "/v1/knowledge-base/components", "/healthz"]
)
def test_a_json_only_resource_refuses_to_pretend_it_is_a_page(client: TestClient, path: str) -> None:
    assert_problem(client.get(path, headers={"Accept": "text/html"}), 406)
    assert fields_named(assert_problem(client.get(path, params={"format": "html"}), 422)) == {"query.format"}


def test_the_what_if_negotiates_like_the_other_reports(client: TestClient) -> None:
    profile = OPERATIONS[[p for _, p, _ in OPERATIONS].index("/v1/what-if")][2]

    page = client.post("/v1/what-if", json=profile, headers={"Accept": "text/html"})
    markdown = client.post("/v1/what-if?format=md", json=profile)

    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.text.startswith("# ")
