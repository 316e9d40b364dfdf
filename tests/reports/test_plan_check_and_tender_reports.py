"""The plan-check, tender-brief and what-if reports in HTML and Markdown (and what every report shares)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from markupsafe import escape

from recommender import KnowledgeBase, ProjectProfile, Recommender, check_plan, tender_brief, what_if
from recommender.reports import (
    md_escape,
    render_plan_check,
    render_recommendation,
    render_tender_brief,
    render_what_if,
)
from tests.reports.conftest import HOSTILE_TITLE

Renderer = Callable[[ProjectProfile, Recommender, str], str]


def _recommendation(profile: ProjectProfile, recommender: Recommender, fmt: str) -> str:
    return render_recommendation(recommender.recommend(profile), recommender.kb, fmt)


def _plan_check(profile: ProjectProfile, recommender: Recommender, fmt: str) -> str:
    check = check_plan(profile, in_place=["aims_in_writing"], recommender=recommender)
    return render_plan_check(check, recommender.kb, fmt)


def _tender_brief(profile: ProjectProfile, recommender: Recommender, fmt: str) -> str:
    brief = tender_brief(profile, recommender=recommender)
    return render_tender_brief(brief, recommender.kb, fmt, recommendation=recommender.recommend(profile))


def _what_if(profile: ProjectProfile, recommender: Recommender, fmt: str) -> str:
    return render_what_if(what_if(profile, recommender=recommender), recommender.kb, fmt)


REPORTS = pytest.mark.parametrize(
    "render", [_recommendation, _plan_check, _tender_brief, _what_if], ids=lambda f: f.__name__
)


def shown(text: str, fmt: str) -> str:
    return str(escape(text)) if fmt == "html" else md_escape(text)


@REPORTS
def test_every_report_escapes_a_script_title_in_html(
    render: Renderer, recommender: Recommender, hostile_profile: ProjectProfile
) -> None:
    html = render(hostile_profile, recommender, "html")
    assert HOSTILE_TITLE not in html
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html
    assert "<script" not in html


@REPORTS
def test_every_report_makes_a_script_title_harmless_in_markdown(
    render: Renderer, recommender: Recommender, hostile_profile: ProjectProfile
) -> None:
    md = render(hostile_profile, recommender, "md")
    assert md.startswith("# \\<script\\>alert(1)\\</script\\>\n")
    assert not re.search(r"(?<!\\)<", md)


@REPORTS
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_every_report_lists_the_findings_it_cites_with_their_source(
    render: Renderer, recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile, fmt: str
) -> None:
    text = render(hostile_profile, recommender, fmt)
    body, findings = text.split("Findings cited", 1)
    numbers = {int(n) for group in re.findall(r"\[(\d+(?:, \d+)*)\\?\]", body) for n in group.split(", ")}
    numbers |= {int(n) for n in re.findall(r'href="#finding-(\d+)"', body)}
    assert numbers == set(range(1, len(numbers) + 1))
    listed = re.findall(r'id="finding-(\d+)"', findings) if fmt == "html" else re.findall(r"^(\d+)\. ", findings, re.M)
    assert {int(n) for n in listed} == numbers
    assert shown(next(iter(kb.findings.values())).source.section.split(":")[0], fmt) in findings


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_plan_check_shows_readiness_components_and_gaps(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile, fmt: str
) -> None:
    check = check_plan(hostile_profile, in_place=["aims_in_writing"], recommender=recommender)
    text = render_plan_check(check, kb, fmt)
    assert f"({check.readiness.score} out of 100)" in text
    assert shown(check.readiness.band_title, fmt) in text
    for gap in check.gaps:
        assert shown(gap.title, fmt) in text
        for mitigation in gap.add:
            assert shown(mitigation.action, fmt) in text
    for heading in ("Plan components", "Action plan", "Risks and how to lower them", "Findings cited"):
        assert heading in text
    if fmt == "md":
        assert "- [x] **Aims and scope agreed in writing at the outset**" in text
        assert text.count("- [ ] ") >= len(check.gaps)
    else:
        assert text.count("<svg") == 2, "the readiness gauge and the continuum"


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_tender_brief_shows_clauses_questions_and_commitments(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile, fmt: str
) -> None:
    brief = tender_brief(hostile_profile, recommender=recommender)
    rec = recommender.recommend(hostile_profile)
    text = render_tender_brief(brief, kb, fmt, recommendation=rec)
    for clause in brief.clauses:
        assert shown(clause.text, fmt) in text
    for question in brief.questions:
        assert shown(question.question, fmt) in text
        assert shown(question.look_for, fmt) in text
    for commitment in brief.commitments:
        assert shown(commitment.title, fmt) in text
    for risk in rec.risks:
        assert shown(risk.title, fmt) in text


def test_the_tender_brief_without_a_recommendation_leaves_out_the_risks(
    recommender: Recommender, kb: KnowledgeBase, hostile_profile: ProjectProfile
) -> None:
    text = render_tender_brief(tender_brief(hostile_profile, recommender=recommender), kb, "md")
    assert "Risks and how to lower them" not in text


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_what_if_report_shows_each_change_and_the_way_to_co_production(
    recommender: Recommender, kb: KnowledgeBase, fmt: str
) -> None:
    profile = ProjectProfile(
        project_type="evaluation",
        timeline_months=18,
        funding="external_grant",
        relationship="long_term",
        staff_stability="high",
    )
    result = what_if(profile, recommender=recommender)
    text = render_what_if(result, kb, fmt)
    changes = [change for field in result.fields for change in field.changes]
    assert changes
    assert text.count("→") >= len(changes)
    assert result.co_production is not None
    assert result.co_production.changes
    assert shown("Both partners share the cost", fmt) in text, "the one change that makes co-production the level"


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_timeline_change_is_shown_as_the_range_of_months_it_stands_for(
    recommender: Recommender, kb: KnowledgeBase, fmt: str
) -> None:
    profile = ProjectProfile(
        project_type="evaluation",
        timeline_months=18,
        funding="co_funded",
        relationship="long_term",
        staff_stability="high",
    )
    result = what_if(profile, recommender=recommender)
    text = render_what_if(result, kb, fmt)
    ranges = [c.range for f in result.fields for c in f.changes if c.range is not None and c.range.min != c.range.max]
    assert ranges, "a shorter timeline changes the level"
    for months in ranges:
        assert f"{months.min} to {months.max} months" in text
    assert "Co-production is already the recommended level." in text
