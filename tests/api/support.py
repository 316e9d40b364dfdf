"""Helpers shared by the HTTP API tests."""

from __future__ import annotations

from typing import Any

import httpx2

PROBLEM = "application/problem+json"

VALID_PROFILE: dict[str, Any] = {
    "project_type": "evaluation",
    "timeline_months": 18,
    "funding": "co_funded",
    "relationship": "long_term",
    "staff_stability": "high",
}


def assert_problem(response: httpx2.Response, status: int) -> dict[str, Any]:
    """Check that ``response`` is an RFC 9457 problem with ``status``, and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert all(isinstance(body[key], str) and body[key] for key in ("type", "title", "detail"))
    return body


def fields_named(problem: dict[str, Any]) -> set[str]:
    """The fields a problem names in its ``errors``."""
    return {error["field"] for error in problem.get("errors", [])}
