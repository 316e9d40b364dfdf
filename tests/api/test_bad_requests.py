"""The bad-request corpus: every request below is a 4xx problem, naming the field where there is one."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.support import VALID_PROFILE, assert_problem, fields_named

JSON = {"content-type": "application/json"}
ENDPOINTS = ["/v1/recommendations", "/v1/recommendations/batch"]


def _profile(**changes: Any) -> dict[str, Any]:
    return {**VALID_PROFILE, **changes}


def _without(field: str) -> dict[str, Any]:
    return {key: value for key, value in VALID_PROFILE.items() if key != field}


INVALID_PROFILES = [
    pytest.param(_profile(project_type="survey"), "project_type", id="unknown enum value"),
    pytest.param(_profile(staff_stability="HIGH"), "staff_stability", id="enum value in the wrong case"),
    pytest.param(_profile(timeline_months=121), "timeline_months", id="number above the range"),
    pytest.param(_profile(timeline_months=0), "timeline_months", id="number below the range"),
    pytest.param(_profile(timeline_months="5"), "timeline_months", id="number as a string"),
    pytest.param(_profile(timeline_months=5.5), "timeline_months", id="number with a fraction"),
    pytest.param(_profile(timeline_months=True), "timeline_months", id="number as a boolean"),
    pytest.param(_profile(uses_agency_data="true"), "uses_agency_data", id="boolean as a string"),
    pytest.param(_profile(uses_agency_data=1), "uses_agency_data", id="boolean as a number"),
    pytest.param(_profile(title=""), "title", id="empty title"),
    pytest.param(_profile(title="x" * 201), "title", id="title too long"),
    pytest.param(_profile(funding=["co_funded"]), "funding", id="list for an enum"),
    pytest.param(_profile(relationship={"kind": "none"}), "relationship", id="object for an enum"),
    pytest.param(_profile(budget=100_000), "budget", id="extra field"),
    pytest.param(_without("funding"), "funding", id="missing field"),
]


@pytest.mark.parametrize(("profile", "field"), INVALID_PROFILES)
def test_an_invalid_profile_is_a_422_problem_naming_the_field(
    client: TestClient, profile: dict[str, Any], field: str
) -> None:
    problem = assert_problem(client.post("/v1/recommendations", json=profile), 422)

    assert fields_named(problem) == {field}
    assert problem["type"].endswith("invalid-input")


@pytest.mark.parametrize(("profile", "field"), INVALID_PROFILES)
def test_an_invalid_profile_in_a_batch_is_that_items_problem(
    client: TestClient, profile: dict[str, Any], field: str
) -> None:
    response = client.post("/v1/recommendations/batch", json={"profiles": [VALID_PROFILE, profile]})

    assert response.status_code == 200
    first, second = response.json()["results"]
    assert first["status"] == 200
    assert second["status"] == 422
    assert {error["field"] for error in second["problem"]["errors"]} == {field}


NESTED_5000 = b'{"project_type": ' + b"[" * 5000 + b"]" * 5000 + b"}"

MALFORMED_BODIES = [
    pytest.param(b'{"project_type": "evaluation",', id="truncated JSON"),
    pytest.param(b"{'project_type': 'evaluation'}", id="single quotes"),
    pytest.param(b"", id="empty body"),
    pytest.param(b"   ", id="blank body"),
    pytest.param(b'{"timeline_months": NaN}', id="NaN"),
    pytest.param(b'{"timeline_months": Infinity}', id="Infinity"),
    pytest.param(b'{"timeline_months": 1e999}', id="number overflowing a float"),
    pytest.param(b'{"timeline_months": ' + b"9" * 5000 + b"}", id="integer with 5000 digits"),
    pytest.param(b'{"title": "\\ud800"}', id="unpaired surrogate"),
    pytest.param(b'{"\\udfff": 1}', id="unpaired surrogate in a key"),
    pytest.param(b'{"title": "\xff\xfe"}', id="invalid UTF-8"),
    pytest.param(b"[" * 5000 + b"]" * 5000, id="5000-deep array"),
    pytest.param(b'{"a":' * 5000 + b"1" + b"}" * 5000, id="5000-deep object"),
    pytest.param(NESTED_5000, id="5000-deep value of a field"),
    pytest.param(b'{"a":' * 40 + b"1" + b"}" * 40, id="40-deep object"),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_a_malformed_body_is_a_400_problem(client: TestClient, endpoint: str, body: bytes) -> None:
    problem = assert_problem(client.post(endpoint, content=body, headers=JSON), 400)

    assert problem["type"].endswith(("malformed-json", "too-deeply-nested"))


@pytest.mark.parametrize(
    "body",
    [b"[]", b"[1, 2]", b'"a profile"', b"42", b"true", b"null"],
    ids=["empty array", "array", "string", "number", "boolean", "null"],
)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_json_that_is_not_an_object_is_a_422_problem_about_the_body(
    client: TestClient, endpoint: str, body: bytes
) -> None:
    problem = assert_problem(client.post(endpoint, content=body, headers=JSON), 422)

    assert fields_named(problem) == {"(body)"}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_3_mb_body_is_a_413_problem(client: TestClient, endpoint: str) -> None:
    body = json.dumps({**VALID_PROFILE, "title": "x" * (3 * 1024 * 1024)}).encode()

    problem = assert_problem(client.post(endpoint, content=body, headers=JSON), 413)

    assert "1048576 bytes" in problem["detail"]


def test_a_large_body_without_a_declared_length_is_cut_off_at_the_limit(client: TestClient) -> None:
    def chunks() -> Any:
        for _ in range(3 * 1024):
            yield b" " * 1024

    response = client.post("/v1/recommendations", content=chunks(), headers=JSON)

    assert "content-length" not in response.request.headers
    assert_problem(response, 413)


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"],
)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_body_that_is_not_json_is_a_415_problem(client: TestClient, endpoint: str, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}

    response = client.post(endpoint, content=json.dumps(VALID_PROFILE).encode(), headers=headers)

    assert_problem(response, 415)


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "application/vnd.partnership+json", "Application/JSON"]
)
def test_json_media_types_with_parameters_or_suffixes_are_accepted(client: TestClient, content_type: str) -> None:
    response = client.post(
        "/v1/recommendations", content=json.dumps(VALID_PROFILE).encode(), headers={"content-type": content_type}
    )

    assert response.status_code == 200
