"""The web form on a knowledge base chosen with ``?knowledge_base=VERSION``: the form's action and
every link to the next page carry the version on, so the whole journey (form, report, downloads,
plan check, tender brief, what-if, changing the answers) answers with the edition chosen, and
each page names it. A journey that names no edition links as before."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import docx
import pypdf
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from recommender import KnowledgeBase, Recommender, parse_profile
from tests.api.support import assert_problem, fields_named
from tests.editions import edition_deciding_otherwise, edition_of, recommended_initiation, targets

OTHER = "test.form.2"
#: What the form sends for a grant-funded project (the edition recommends another initiation for it).
ANSWERS = {
    "title": "Falls prevention",
    "project_type": "evaluation",
    "timeline_months": "18",
    "funding": "external_grant",
    "relationship": "prior_project",
    "staff_stability": "moderate",
    "uses_agency_data": "true",
}
PROFILE = parse_profile({**ANSWERS, "timeline_months": 18, "uses_agency_data": True})
#: Local addresses outside the advice journey: the API documentation. (The stored partnerships'
#: pages, reached from the form, carry the edition on too: tests/partnerships/test_pages_on_an_edition.py.)
ELSEWHERE = ("/docs",)
PAGES = {"/", "/report", "/plan-check", "/plan-check/report", "/tender-brief", "/what-if", "/partnerships/new"}
REPORTS = {"/report", "/plan-check/report", "/tender-brief", "/what-if"}


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> KnowledgeBase:
    return edition_deciding_otherwise(kb.root, tmp_path_factory.mktemp("edition") / "rules", OTHER)


@pytest.fixture(scope="module")
def two(edition: KnowledgeBase) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(extra_knowledge_bases=[edition.root]))) as client:
        yield client


def _local(href: str) -> bool:
    return href.startswith("/") and not href.startswith(ELSEWHERE)


def _check_page(url: str, html: str) -> list[str]:
    """The next addresses of the page at ``url``, after checking that each carries the edition."""
    found = targets(html)
    assert f"edition {OTHER}" in found.text, f"{url} names the edition that answers"
    following = [href for href in found.links if _local(href)]
    assert following or found.forms, f"{url} leads somewhere"
    for href in following:
        assert edition_of(href) == [OTHER], f"{url} links to {href}"
    for form in found.forms:
        if form["method"] == "post":
            assert edition_of(form["action"]) == [OTHER], f"{url}: its form posts to {form['action']}"
        else:  # a GET form's address is its fields
            assert form["hidden"].get("knowledge_base") == OTHER, f"{url}: its form to {form['action']}"
            following.append(f"{form['action']}?{urlencode({**form['hidden'], 'in_place': form['boxes'][0]})}")
    return following


def _document_text(fmt: str, content: bytes) -> str:
    if fmt == "docx":
        return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8")


def test_the_whole_journey_stays_on_the_edition_chosen(
    two: TestClient, kb: KnowledgeBase, recommender: Recommender, edition: KnowledgeBase
) -> None:
    chosen = Recommender(edition).recommend(PROFILE).initiation_mode.recommended
    shipped = recommender.recommend(PROFILE).initiation_mode.recommended
    assert chosen != shipped, "the edition answers this project otherwise"

    start = two.get("/", params={"knowledge_base": OTHER})
    assert start.status_code == 200
    queue = _check_page("/", start.text)
    [form] = [f for f in targets(start.text).forms if f["method"] == "post"]
    for step in ("recommendation", "plan-check", "tender-brief"):
        sent = two.post(form["action"], data={**ANSWERS, "next": step}, follow_redirects=False)
        assert sent.status_code == 303, sent.text
        assert edition_of(sent.headers["location"]) == [OTHER], step
        queue.append(sent.headers["location"])

    seen: set[tuple[str, str]] = set()
    visited: set[tuple[str, str]] = set()
    while queue:
        url = queue.pop()
        path, query = urlsplit(url).path, parse_qs(urlsplit(url).query)
        fmt = query.get("format", ["html"])[-1]
        key = (path, "&".join(sorted(f"{k}={v}" for k, values in query.items() for v in values)))
        if key in seen:
            continue
        seen.add(key)
        visited.add((path, fmt))
        page = two.get(url)
        assert page.status_code == 200, (url, page.text)
        if fmt == "html":
            queue += _check_page(url, page.text)
        elif fmt == "json":
            assert page.json()["knowledge_base"] == {"version": OTHER, "digest": edition.digest}, url
            assert recommended_initiation(page.json()) == chosen, url
        else:
            text = " ".join(_document_text(fmt, page.content).split())
            assert f"edition {OTHER}" in text, url
            assert edition.digest[:12] in text, url
            assert kb.version not in text, url

    assert {path for path, _ in visited} == PAGES
    assert {(path, fmt) for path in REPORTS for fmt in ("html", "md", "docx", "pdf", "json")} <= visited


def test_a_journey_that_names_no_edition_links_as_before(two: TestClient, kb: KnowledgeBase) -> None:
    for url in ("/", f"/report?{urlencode(ANSWERS)}", f"/plan-check?{urlencode(ANSWERS)}"):
        page = two.get(url)
        found = targets(page.text)

        assert f"edition {kb.version}" in page.text
        assert "Answered with edition" not in page.text
        assert not [href for href in found.links if edition_of(href)]
        assert all(
            "knowledge_base" not in f["hidden"] and f["action"] in ("/", "/plan-check/report") for f in found.forms
        )


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/"), ("GET", "/report"), ("GET", "/plan-check"), ("GET", "/what-if")]
)
def test_answers_refused_show_the_form_again_on_the_edition_chosen(two: TestClient, method: str, path: str) -> None:
    answers = {**ANSWERS, "timeline_months": "500"}
    refused = two.request(
        method,
        path,
        params={"knowledge_base": OTHER, **({} if method == "POST" else answers)},
        data={**answers, "next": "recommendation"} if method == "POST" else None,
    )

    assert refused.status_code == 422
    assert "timeline_months" in refused.text
    _check_page(path, refused.text)


def _assert_unknown_edition(response: Any) -> None:
    problem = assert_problem(response, 404)
    assert fields_named(problem) == {"knowledge_base"}
    assert "no.such.version" in problem["detail"]


@pytest.mark.parametrize("path", sorted(PAGES))
def test_an_unknown_edition_is_a_404_problem_on_every_page(two: TestClient, path: str) -> None:
    _assert_unknown_edition(two.get(path, params={**ANSWERS, "knowledge_base": "no.such.version"}))


def test_a_form_sent_to_an_unknown_edition_is_a_404_problem(two: TestClient) -> None:
    sent = two.post("/", params={"knowledge_base": "no.such.version"}, data={**ANSWERS, "next": "recommendation"})

    _assert_unknown_edition(sent)
