"""The web form: plain-language questions from rules/, errors beside their fields, reports linked."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from recommender import KnowledgeBase
from recommender.reports import load_field_guide

ANSWERS = {
    "title": "<script>alert(1)</script>",
    "project_type": "evaluation",
    "timeline_months": "18",
    "funding": "external_grant",
    "relationship": "prior_project",
    "staff_stability": "moderate",
    "proposed_initiation": "",
    "agency_evidence_need": "general",
    "uses_agency_data": "true",
}


def test_the_form_explains_every_field_in_words_from_rules(client: TestClient, kb: KnowledgeBase) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    text = page.text
    for field in load_field_guide(kb.root).fields:
        assert f'for="field-{field.id}"' in text or f'id="field-{field.id}"' in text
        assert f'id="hint-{field.id}"' in text
        for value in field.values:
            assert f'value="{value.id}"' in text
    assert "<script" not in text
    assert 'method="post"' in text


def test_every_input_has_a_label(client: TestClient) -> None:
    text = client.get("/").text
    inputs = re.findall(r'<input type="(?:text|radio|checkbox)" id="([^"]+)"', text)
    assert inputs
    for input_id in inputs:
        assert f'<label for="{input_id}">' in text


def test_the_form_answers_nothing_for_the_person(client: TestClient) -> None:
    text = client.get("/").text
    assert " checked" not in text, "no choice starts made"
    assert 'name="timeline_months" value=""' in text
    for name in ("project_type", "timeline_months", "funding", "relationship", "staff_stability"):
        assert re.search(rf'name="{name}"[^>]* required', text), f"{name} is marked required"
    assert "(optional)" in text


def test_the_untouched_form_names_each_required_field_as_an_error(client: TestClient) -> None:
    response = client.post("/", data={"title": "", "timeline_months": "", "next": "recommendation"})
    assert response.status_code == 422
    for name in ("project_type", "timeline_months", "funding", "relationship", "staff_stability"):
        assert f'<a href="#field-{name}">' in response.text
        assert f'id="error-{name}"' in response.text
    assert 'id="error-title"' not in response.text, "an optional field left empty is no error"


def test_a_valid_submission_goes_to_the_report(client: TestClient) -> None:
    response = client.post("/", data=ANSWERS, follow_redirects=False)
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/report"
    assert parse_qs(location.query)["timeline_months"] == ["18"]
    report = client.get(response.headers["location"])
    assert report.status_code == 200
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in report.text
    assert "Researcher-initiated" in report.text


@pytest.mark.parametrize(("next_page", "path"), [("plan-check", "/plan-check"), ("tender-brief", "/tender-brief")])
def test_the_plan_check_and_tender_brief_are_reachable_from_the_form(
    client: TestClient, next_page: str, path: str
) -> None:
    response = client.post("/", data={**ANSWERS, "next": next_page}, follow_redirects=False)
    assert urlsplit(response.headers["location"]).path == path
    assert client.get(response.headers["location"]).status_code == 200


@pytest.mark.parametrize("months", ["0", "500", "twelve", ""])
def test_an_invalid_timeline_is_shown_beside_the_field(client: TestClient, months: str) -> None:
    response = client.post("/", data={**ANSWERS, "timeline_months": months}, follow_redirects=False)
    assert response.status_code == 422
    text = response.text
    assert '<a href="#field-timeline_months">' in text, "the summary links to the field"
    error = re.search(r'<p class="error-message" id="error-timeline_months">(.*?)</p>', text, re.S)
    assert error is not None
    assert "whole number from 1 to 120" in error.group(1)
    field = re.search(r'<input type="text" id="field-timeline_months"[^>]*>', text)
    assert field is not None
    assert 'aria-invalid="true"' in field.group(0)
    assert "error-timeline_months" in field.group(0)
    assert f'value="{months}"' in field.group(0), "what the person typed is kept"
    assert "&lt;script&gt;" in text, "the other answers are kept, escaped"


def test_optional_fields_left_untouched_are_not_passed_on(client: TestClient) -> None:
    answers = {k: v for k, v in ANSWERS.items() if k not in ("uses_agency_data", "agency_evidence_need")}
    location = client.post("/", data=answers, follow_redirects=False).headers["location"]
    query = parse_qs(urlsplit(location).query)
    assert "uses_agency_data" not in query, "an unticked box is left to the default"
    assert "agency_evidence_need" not in query
    assert "proposed_initiation" not in query, "'not decided yet' (an empty value) is left to the default"
    assert client.get(f"{location}&format=json").json()["profile"]["uses_agency_data"] is False


def test_a_form_body_of_another_media_type_is_a_problem(client: TestClient) -> None:
    response = client.post("/", json=ANSWERS)
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"


def test_the_report_links_to_the_same_report_as_markdown_and_json(client: TestClient) -> None:
    report = client.get(client.post("/", data=ANSWERS, follow_redirects=False).headers["location"]).text
    links = dict(re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', report))
    by_label = {label: href.replace("&amp;", "&") for href, label in links.items()}
    markdown = client.get(by_label["Markdown"])
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.text.startswith("# \\<script\\>alert(1)\\</script\\>")
    as_json = client.get(by_label["JSON"])
    assert as_json.json()["initiation_mode"]["recommended"] == "researcher"
    change = client.get(by_label["Change your answers"]).text
    assert 'name="timeline_months" value="18"' in change


def test_the_plan_check_form_lists_the_components_and_checks_the_ticked_ones(
    client: TestClient, kb: KnowledgeBase
) -> None:
    location = client.post("/", data={**ANSWERS, "next": "plan-check"}, follow_redirects=False).headers["location"]
    form = client.get(location).text
    for component in kb.components.values():
        assert f'<label for="component-{component.id}">' in form
    query = urlsplit(location).query + "&in_place=aims_in_writing&in_place=data_access_agreement"
    report = client.get(f"/plan-check/report?{query}")
    assert report.status_code == 200
    assert "Readiness" in report.text
    statuses = client.get(f"/plan-check/report?{query}&format=json").json()["components"]
    assert {c["id"] for c in statuses if c["status"] == "in_place"} == {"aims_in_writing", "data_access_agreement"}


def test_a_report_address_with_a_bad_profile_shows_the_form_with_the_error(client: TestClient) -> None:
    response = client.get("/tender-brief?project_type=survey&timeline_months=12")
    assert response.status_code == 422
    assert 'id="error-project_type"' in response.text
    assert 'id="error-funding"' in response.text


def test_an_unknown_component_in_a_crafted_address_is_a_problem(client: TestClient) -> None:
    query = "project_type=evaluation&timeline_months=12&funding=co_funded&relationship=none&staff_stability=low"
    response = client.get(f"/plan-check/report?{query}&in_place=a_wish")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_the_report_links_to_what_could_change_it(client: TestClient) -> None:
    report = client.get(client.post("/", data=ANSWERS, follow_redirects=False).headers["location"]).text
    href = re.search(r'<a href="(/what-if\?[^"]+)">What could change it</a>', report)
    assert href is not None
    page = client.get(href.group(1).replace("&amp;", "&"))
    assert page.status_code == 200
    assert "Single changes that would change it" in page.text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("&".join(f"f{i}=1" for i in range(500)), 400),
        ("title=%FF%FE&timeline_months=%ZZ", 422),
        ("x" * 2_000_000, 413),
    ],
)
def test_a_malformed_or_huge_form_is_a_problem_never_a_server_error(client: TestClient, body: str, status: int) -> None:
    response = client.post("/", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == status


QUERY = (
    "title=T&project_type=evaluation&timeline_months=18&funding=external_grant&relationship=none"
    "&staff_stability=low&proposed_initiation=agency&uses_agency_data=true"
)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/report?{QUERY}",
        f"/plan-check?{QUERY}",
        f"/plan-check/report?{QUERY}&in_place=aims_in_writing",
        f"/tender-brief?{QUERY}",
        f"/what-if?{QUERY}",
        "/report?timeline_months=0",
    ],
)
def test_every_page_has_unique_ids_and_its_labels_and_descriptions_resolve(client: TestClient, path: str) -> None:
    html = client.get(path).text
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    referenced = [
        ref for refs in re.findall(r'aria-(?:describedby|labelledby)="([^"]+)"', html) for ref in refs.split()
    ]
    referenced += re.findall(r'\sfor="([^"]+)"', html)
    assert set(referenced) <= set(ids)
    assert '<html lang="en">' in html
    assert re.search(r"<title>[^<]+</title>", html)
