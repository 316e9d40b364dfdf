"""Content negotiation on the API: JSON by default, the report for text/html, text/markdown or ?format=."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.negotiation import preferred_format

PROFILE = {
    "title": "<script>alert(1)</script>",
    "project_type": "evaluation",
    "timeline_months": 18,
    "funding": "co_funded",
    "relationship": "long_term",
    "staff_stability": "high",
}

ENDPOINTS = {
    "/v1/recommendations": PROFILE,
    "/v1/tender-briefs": PROFILE,
    "/v1/plan-checks": {"profile": PROFILE, "plan": {"in_place": ["aims_in_writing"]}},
    "/v1/what-if": {"profile": PROFILE, "keep": ["funding"]},
}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "json"),
        ("*/*", "json"),
        ("application/json", "json"),
        ("text/html", "html"),
        ("text/markdown", "md"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        ("text/*", "html"),
        ("text/markdown, text/html;q=0.9", "md"),
        ("text/html;q=0.2, application/json;q=0.5", "json"),
        ("image/png", None),
        ("text/html;q=0, application/json;q=0", None),
        ("text/html;q=0, */*", "json"),
        ("text/html;q=nonsense, text/markdown", "md"),
        ("garbage", "json"),
    ],
)
def test_the_accept_header_picks_the_format(accept: str, expected: str | None) -> None:
    assert preferred_format(accept) == expected


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_json_stays_the_default(client: TestClient, path: str) -> None:
    response = client.post(path, json=ENDPOINTS[path])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["vary"] == "Accept"
    assert response.json()["profile"]["title"] == PROFILE["title"]


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_accept_text_html_returns_the_report_page(client: TestClient, path: str) -> None:
    response = client.post(path, json=ENDPOINTS[path], headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    assert response.text.startswith("<!DOCTYPE html>")
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in response.text
    assert "<script>" not in response.text


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_accept_text_markdown_returns_the_markdown_report(client: TestClient, path: str) -> None:
    response = client.post(path, json=ENDPOINTS[path], headers={"Accept": "text/markdown"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    assert response.text.startswith("# \\<script\\>alert(1)\\</script\\>\n")


@pytest.mark.parametrize("path", list(ENDPOINTS))
@pytest.mark.parametrize(
    ("fmt", "media"), [("html", "text/html"), ("md", "text/markdown"), ("json", "application/json")]
)
def test_the_format_parameter_overrides_accept(client: TestClient, path: str, fmt: str, media: str) -> None:
    response = client.post(f"{path}?format={fmt}", json=ENDPOINTS[path], headers={"Accept": "image/png, text/x-none"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media


def test_an_unknown_format_is_a_problem_naming_the_parameter(client: TestClient) -> None:
    response = client.post("/v1/recommendations?format=rtf", json=PROFILE)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert any("format" in error["field"] for error in response.json()["errors"])


def test_invalid_input_is_still_a_problem_when_a_report_is_asked_for(client: TestClient) -> None:
    response = client.post(
        "/v1/recommendations", json={**PROFILE, "timeline_months": 0}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_the_openapi_document_lists_the_report_media_types(client: TestClient, path: str) -> None:
    operation = client.get("/openapi.json").json()["paths"][path]["post"]
    assert {"application/json", "text/html", "text/markdown"} <= operation["responses"]["200"]["content"].keys()
    assert any(p["name"] == "format" and p["in"] == "query" for p in operation["parameters"])
