"""Word and PDF documents of every report, read back from the files the HTTP routes and the CLI
write (python-docx and pypdf): real headings and lists, numbered clauses with a box, the inputs
first with the defaults marked, page numbers, the action steps and the study's full reference."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from recommender import KnowledgeBase
from recommender.cli import app
from recommender.cli.reports import EXIT_INVALID
from recommender.reports import FORMATS

#: Five fields given; the optional ones (agency_evidence_need, uses_agency_data, ...) left at their defaults.
PROFILE = {
    "title": "Falls prevention <evaluation>",
    "project_type": "evaluation",
    "timeline_months": 4,
    "funding": "co_funded",
    "relationship": "long_term",
    "staff_stability": "high",
}
ENDPOINTS = {
    "/v1/recommendations": PROFILE,
    "/v1/tender-briefs": PROFILE,
    "/v1/plan-checks": {"profile": PROFILE, "plan": {"in_place": ["aims_in_writing"]}},
    "/v1/what-if": {"profile": PROFILE},
}
DOCX = FORMATS["docx"].media_type


def _docx(content: bytes) -> Any:
    return docx.Document(io.BytesIO(content))


def _pdf_text(content: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _headings(document: Any, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_every_report_is_a_word_document_with_real_headings_inputs_first_and_the_reference(
    client: TestClient, kb: KnowledgeBase, path: str
) -> None:
    response = client.post(f"{path}?format=docx", json=ENDPOINTS[path])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX
    assert re.fullmatch(r'attachment; filename="[a-z-]+\.docx"', response.headers["content-disposition"])

    document = _docx(response.content)
    level_one = _headings(document, "Heading 1")
    assert level_one[0] == "Your project", "the inputs come first"
    assert level_one[-1] == "Findings cited"
    assert _headings(document, "Title") == [PROFILE["title"]]
    text = "\n".join(p.text for p in document.paragraphs)
    assert kb.study is not None
    assert kb.study.reference in text
    assert f"knowledge base {kb.version}" in text
    inputs = [p.text for p in document.paragraphs if p.style.name == "List Bullet"][
        : len(kb.require_field_guide().fields) - 1
    ]
    assert "How clearly does the agency need this evidence?: A general interest (default)" in inputs
    assert "Months until the final deliverable: 4 months" in inputs, "a given answer is not marked"


def test_the_tender_brief_word_document_numbers_its_clauses_with_a_box_and_lists_the_bid_questions(
    client: TestClient,
) -> None:
    brief = client.post("/v1/tender-briefs", json=PROFILE).json()
    document = _docx(client.post("/v1/tender-briefs", json=PROFILE, headers={"Accept": DOCX}).content)

    paragraphs = document.paragraphs
    clauses_at = next(i for i, p in enumerate(paragraphs) if p.text == "Clauses to write into the tender")
    assert paragraphs[clauses_at].style.name == "Heading 1"
    clauses = paragraphs[clauses_at + 1 : clauses_at + 1 + len(brief["clauses"])]
    for paragraph, clause in zip(clauses, brief["clauses"], strict=True):
        assert paragraph.style.name == "List Number"
        assert paragraph.text.startswith(f"☐ {clause['title']}. {clause['text']}")
        assert paragraph._p.pPr.numPr is not None, "a numbered Word paragraph, not a typed number"
    numbering = {p._p.pPr.numPr.numId.val for p in clauses}
    assert len(numbering) == 1, "one list"
    text = "\n".join(p.text for p in paragraphs)
    for question in brief["questions"]:
        assert question["question"] in text
        assert f"Look for: {question['look_for']}" in text
        for sign in question["warning_signs"]:
            assert sign in text
    assert "Warning signs:" in text
    assert _headings(document, "Heading 2")[:2] == ["Why this initiation", "Why this level"]
    cells = " ".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert brief["clauses"][0]["text"] not in cells, "clauses are paragraphs, not text in a table"
    bullets = [p for p in paragraphs if p.style.name == "List Bullet 2"]
    assert bullets, "warning signs and mitigations are real nested lists"


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_every_report_is_a_pdf_with_numbered_pages_and_the_reference(
    client: TestClient, kb: KnowledgeBase, path: str
) -> None:
    response = client.post(f"{path}?format=pdf", json=ENDPOINTS[path])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")

    pages, text = _pdf_text(response.content)
    assert pages >= 2
    assert "Page 1 of" in text
    assert f"Page {pages} of {pages}" in text
    assert kb.study is not None
    assert _flat(kb.study.reference) in _flat(text)
    assert "Your project" in text.split("Findings cited")[0]
    assert "(default)" in text


def _text_sizes(content: bytes) -> list[float]:
    """The size in points at which each run of text is drawn (font size times the text and page matrices)."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            sizes.append(
                abs(size) * ((tm[0] * cm[0] + tm[1] * cm[2]) ** 2 + (tm[0] * cm[1] + tm[1] * cm[3]) ** 2) ** 0.5
            )

    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_the_printed_recommendation_keeps_every_action_step_and_nothing_is_under_9pt(client: TestClient) -> None:
    answer = client.post("/v1/recommendations", json=PROFILE).json()
    pdf = client.post("/v1/recommendations", json=PROFILE, headers={"Accept": "application/pdf"}).content
    _, text = _pdf_text(pdf)
    for mitigation in answer["mitigations"]:
        assert _flat(mitigation["action"]) in _flat(text), mitigation["id"]
    sizes = _text_sizes(pdf)
    assert sizes
    assert min(sizes) >= 8.99, "citations, sources and the footer included"


def test_the_cli_writes_word_and_pdf_files(tmp_path: Path, kb: KnowledgeBase) -> None:
    runner = CliRunner()
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(PROFILE), encoding="utf-8")
    for command in ("recommend", "tender-brief", "plan-check", "what-if"):
        out = tmp_path / f"{command}.docx"
        result = runner.invoke(app, [command, str(profile), "--format", "docx", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert f"Wrote {out}" in result.stderr
        document = _docx(out.read_bytes())
        assert _headings(document, "Heading 1")[0] == "Your project"
        assert kb.study is not None
        assert any(kb.study.reference in p.text for p in document.paragraphs)

    pdf = tmp_path / "brief.pdf"
    result = runner.invoke(app, ["tender-brief", str(profile), "-f", "pdf", "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    pages, text = _pdf_text(pdf.read_bytes())
    assert f"Page {pages} of {pages}" in text
    assert "Clauses to write into the tender" in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_cli_refuses_to_write_a_binary_document_to_standard_output(tmp_path: Path, fmt: str) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(PROFILE), encoding="utf-8")
    result = CliRunner().invoke(app, ["recommend", str(profile), "--format", fmt])
    assert result.exit_code == EXIT_INVALID
    assert result.stdout == ""
    assert f"error: --format {fmt}: " in result.stderr
    assert "-o FILE" in result.stderr


def test_every_report_page_links_to_its_word_and_pdf_downloads(client: TestClient) -> None:
    query = "&".join(f"{k}={v}" for k, v in PROFILE.items() if k != "title")
    for path in ("/report", "/tender-brief", "/what-if", "/plan-check/report"):
        page = client.get(f"{path}?{query}").text
        links = {
            label: href.replace("&amp;", "&")
            for href, label in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', page)
        }
        word = client.get(links["Word"])
        assert word.headers["content-type"] == DOCX, path
        assert _headings(_docx(word.content), "Heading 1")[0] == "Your project"
        assert links["PDF"].startswith(f"{path}?")
        assert "format=pdf" in links["PDF"]


class _Visible(HTMLParser):
    """The text a reader sees (not the stylesheet, not attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._style = self._style or tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.parts.append(data)


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_no_finding_or_rule_id_is_shown_before_the_sources(client: TestClient, kb: KnowledgeBase, path: str) -> None:
    for fmt in ("html", "md"):
        page = client.post(f"{path}?format={fmt}", json=ENDPOINTS[path]).text
        if fmt == "html":
            parser = _Visible()
            parser.feed(page)
            page = " ".join(parser.parts)
        body, sources = page.split("Findings cited", 1)
        body = body.replace("\\_", "_")
        shown = [i for i in (*kb.findings, *(rule.id for rule in kb.rules)) if re.search(rf"\b{re.escape(i)}\b", body)]
        assert shown == [], (path, fmt)
        assert re.search(r"\b[a-z]+\.[a-z_]+\b", sources), "the sources list keeps the finding ids"


@pytest.mark.parametrize("path", ["/v1/recommendations", "/v1/tender-briefs"])
def test_no_reason_is_printed_twice(client: TestClient, kb: KnowledgeBase, path: str) -> None:
    """A rule that scores the mode and bounds the level (here: applied work, a short timeline) is one
    reason, listed once under the initiation with a note that it also sets the level."""
    md = client.post(f"{path}?format=md", json=PROFILE).text
    assert "This also sets the level: at least Collaborative." in md
    # A proposed mode that is not recommended: its assessment does not repeat the winner's reasons.
    grant = {**PROFILE, "timeline_months": 18, "funding": "external_grant", "proposed_initiation": "agency"}
    for text in (md, client.post(f"{path}?format=md", json=grant).text):
        body = text.split("## Findings cited")[0]
        reasons = [line for line in body.splitlines() if line.startswith("- ") and "\\[" in line]
        texts = [re.sub(r" \\\[[\d, ]+\\\]$", "", line) for line in reasons]
        assert len(texts) == len(set(texts)), [t for t in texts if texts.count(t) > 1]


def test_the_answer_names_the_inputs_left_at_their_defaults_even_from_the_cache(client: TestClient) -> None:
    first = client.post("/v1/recommendations", json=PROFILE).json()
    explicit = {**PROFILE, "uses_agency_data": False, "agency_evidence_need": "general"}
    second = client.post("/v1/recommendations", json=explicit).json()

    assert first["defaulted_inputs"] == [
        "agency_evidence_need",
        "in_kind_contribution",
        "politically_sensitive",
        "proposed_initiation",
        "standing_partnership",
        "uses_agency_data",
    ]
    assert second["defaulted_inputs"] == [
        "in_kind_contribution",
        "politically_sensitive",
        "proposed_initiation",
        "standing_partnership",
    ]
    assert {k: v for k, v in first.items() if k != "defaulted_inputs"} == {
        k: v for k, v in second.items() if k != "defaulted_inputs"
    }, "the same answer otherwise"


def test_a_report_page_and_the_pages_it_links_to_mark_the_answers_left_at_their_defaults(client: TestClient) -> None:
    query = "&".join(f"{k}={v}" for k, v in PROFILE.items() if k != "title")
    page = client.get(f"/report?{query}").text
    marked = re.findall(r"<dt>([^<]+)</dt><dd class=\"defaulted\">", page)
    assert "How clearly does the agency need this evidence?" in marked
    assert "Months until the final deliverable" not in marked
    links = {
        label: href.replace("&amp;", "&") for href, label in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', page)
    }
    markdown = client.get(links["Markdown"]).text
    assert "| How clearly does the agency need this evidence? | A general interest *(default)* |" in markdown
    assert "| Months until the final deliverable | 4 months |" in markdown
    assert client.get(links["JSON"]).json()["defaulted_inputs"][0] == "agency_evidence_need"


def test_the_reports_package_exports_exactly_its_public_names() -> None:
    import recommender.reports

    assert sorted(recommender.reports.__all__) == sorted(
        [
            "FORMATS",
            "Document",
            "FieldGuide",
            "FieldGuideBook",
            "Format",
            "FormatName",
            "Rendered",
            "build_divergence",
            "build_plan_check",
            "build_recommendation",
            "build_report",
            "build_tender_brief",
            "build_what_if",
            "check_format",
            "load_field_guide",
            "md_escape",
            "profile_data_from_text",
            "render",
            "render_plan_check",
            "render_recommendation",
            "render_tender_brief",
            "render_what_if",
        ]
    )
    assert list(recommender.reports.FORMATS) == ["html", "md", "docx", "pdf"]
