"""The recommendation report in HTML and Markdown: content, citations, charts and escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape as html_escape

from recommender import KnowledgeBase, ProjectProfile, Recommender
from recommender.reports import md_escape, render_recommendation
from tests.reports.conftest import HOSTILE_TITLE


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids += [value or "" for name, value in attrs if name == "id"]


def shown(text: str, fmt: str) -> str:
    """``text`` as the report prints it: HTML-escaped or Markdown-escaped."""
    return str(html_escape(text)) if fmt == "html" else md_escape(text)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_a_script_title_comes_out_escaped_in_html(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile
) -> None:
    html = render_recommendation(recommender.recommend(hostile_profile), kb, "html")
    assert HOSTILE_TITLE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "script" not in _parse(html).tags


def test_a_script_title_is_harmless_in_markdown(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile
) -> None:
    md = render_recommendation(recommender.recommend(hostile_profile), kb, "md")
    assert HOSTILE_TITLE not in md
    assert md.splitlines()[0] == r"# \<script\>alert(1)\</script\>"
    assert not re.search(r"(?<!\\)<", md), "no raw '<' may reach a Markdown renderer"


@pytest.mark.parametrize(
    ("title", "escaped"),
    [
        ("[click](javascript:alert(1))", r"\[click\](javascript:alert(1))"),
        ("line one\n# heading", r"line one \# heading"),
        ("a | b **bold** `code`", r"a \| b \*\*bold\*\* \`code\`"),
        ("1. not a list", r"1\. not a list"),
        ("- not a list", r"\- not a list"),
        ("&amp; entity", r"\&amp; entity"),
        ("2026.11.1 stays readable", "2026.11.1 stays readable"),
    ],
)
def test_markdown_escaping_neutralises_markup(title: str, escaped: str) -> None:
    assert md_escape(title) == escaped


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_report_shows_the_recommendation_risks_plan_and_findings(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile, fmt: str
) -> None:
    rec = recommender.recommend(hostile_profile)
    text = render_recommendation(rec, kb, fmt)
    modes = {m.id: m for m in kb.modes}
    levels = {level.id: level for level in kb.levels}
    assert shown(modes[rec.initiation_mode.recommended].title, fmt) in text
    assert shown(levels[rec.collaboration_level.recommended].title, fmt) in text
    for reason in rec.collaboration_level.reasons:
        assert shown(reason.text, fmt) in text
    for heading in ("For the researchers", "For the policy agency", "Action plan", "Findings cited"):
        assert heading in text
    for risk in rec.risks:
        assert shown(risk.title, fmt) in text
    for mitigation in rec.mitigations:
        assert shown(mitigation.action, fmt) in text
    assert rec.knowledge_base.version in text


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_every_cited_finding_is_listed_with_its_source(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile, fmt: str
) -> None:
    rec = recommender.recommend(hostile_profile)
    text = render_recommendation(rec, kb, fmt)
    cited = {f for risk in rec.risks for f in risk.findings} | {f for m in rec.mitigations for f in m.findings}
    findings_section = text.split("Findings cited", 1)[1]
    for finding_id in cited:
        finding = kb.findings[finding_id]
        assert shown(finding.statement, fmt) in findings_section
        assert shown(finding.source.section, fmt) in findings_section
        if finding.source.table:
            assert shown(finding.source.table, fmt) in findings_section
        assert finding_id in findings_section


def test_html_citations_link_to_the_findings_list(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile
) -> None:
    html = render_recommendation(recommender.recommend(hostile_profile), kb, "html")
    targets = set(re.findall(r'href="#(finding-\d+)"', html))
    assert targets
    assert targets <= set(_parse(html).ids)


def test_the_html_page_draws_the_continuum_and_ranks_the_modes_by_standing_without_javascript(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile
) -> None:
    rec = recommender.recommend(hostile_profile)
    html = render_recommendation(rec, kb, "html")
    tags = _parse(html).tags
    assert tags.count("svg") == 1, "the continuum; the modes are ranked in words, not by bare scores"
    assert "script" not in tags
    assert "Recommended</text>" in html
    assert html.count('<th scope="row">') == 3, "one row per initiation mode"
    assert "How far to trust this advice" in html
    assert "What success looks like" in html
    assert "@media print" in html
    assert "size: A4" in html


def test_the_markdown_report_is_a_checklist_with_the_modes_by_standing(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile
) -> None:
    rec = recommender.recommend(hostile_profile)
    md = render_recommendation(rec, kb, "md")
    assert md.count("- [ ] ") >= len(rec.mitigations)
    for ranked in rec.initiation_mode.ranking:
        assert re.search(rf"\| (\*\*)?{re.escape(ranked.title)}(\*\*)? \| [A-Z][a-z]", md)
    assert "## How far to trust this advice" in md
    for calibration in rec.own_calibrations:
        assert calibration.text.split()[0] in md


def test_the_assessment_of_a_proposed_mode_is_shown(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile
) -> None:
    rec = recommender.recommend(hostile_profile)
    assert rec.assessment is not None
    assert not rec.assessment.is_recommended
    assert f"ranks {rec.assessment.rank} of 3" in render_recommendation(rec, kb, "html")


def test_the_same_recommendation_renders_byte_for_byte_the_same(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile
) -> None:
    rec = recommender.recommend(hostile_profile)
    assert render_recommendation(rec, kb, "md") == render_recommendation(rec, kb, "md")


def test_links_to_other_formats_are_escaped(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile
) -> None:
    rec = recommender.recommend(hostile_profile)
    html = render_recommendation(rec, kb, "html", links={"Markdown": '/report?title="><b>x'})
    assert 'href="/report?title=&#34;&gt;&lt;b&gt;x"' in html


def test_an_unknown_format_is_refused(recommender: Recommender, kb: KnowledgeBase) -> None:
    rec = recommender.recommend(
        ProjectProfile(
            project_type="evaluation",
            timeline_months=12,
            funding="co_funded",
            relationship="none",
            staff_stability="low",
        )
    )
    with pytest.raises(ValueError, match="unknown report format 'rtf'"):
        render_recommendation(rec, kb, "rtf")
