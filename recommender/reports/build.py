"""One entry point from an answer to its document, and the text formats in one call."""

from __future__ import annotations

import datetime
from typing import Any

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.plan_check import PlanCheck
from recommender.recommendation import Recommendation
from recommender.reports.common import Links
from recommender.reports.document import Document
from recommender.reports.formats import render
from recommender.reports.plan_check_report import build_plan_check
from recommender.reports.recommendation_report import build_recommendation
from recommender.reports.tender_report import build_tender_brief
from recommender.reports.what_if_report import build_what_if
from recommender.tender import TenderBrief
from recommender.what_if import WhatIf

Answer = Recommendation | PlanCheck | TenderBrief | WhatIf


def build_report(
    answer: Answer,
    kb: KnowledgeBase,
    *,
    recommendation: Recommendation | None = None,
    links: Links = None,
    today: datetime.date | None = None,
) -> Document:
    """The document of any answer; a tender brief given its ``recommendation`` lists the risks too.

    Example:
        >>> from recommender import ProjectProfile, default_recommender, what_if
        >>> p = ProjectProfile(project_type="evaluation", timeline_months=18, funding="co_funded",
        ...     relationship="long_term", staff_stability="high")
        >>> r = default_recommender()
        >>> build_report(what_if(p, recommender=r), r.kb).kind
        'what_if'
    """
    if isinstance(answer, Recommendation):
        return build_recommendation(answer, kb, links=links, today=today)
    if isinstance(answer, PlanCheck):
        return build_plan_check(answer, kb, links=links, today=today)
    if isinstance(answer, TenderBrief):
        return build_tender_brief(answer, kb, recommendation=recommendation, links=links, today=today)
    return build_what_if(answer, kb, links=links, today=today)


def _text(answer: Answer, kb: KnowledgeBase, fmt: str, **options: Any) -> str:
    return render(build_report(answer, kb, **options), fmt).text


def render_recommendation(rec: Recommendation, kb: KnowledgeBase, fmt: str = "html", *, links: Links = None) -> str:
    """The recommendation report as a standalone HTML page (``fmt="html"``) or Markdown (``"md"``).

    Example:
        >>> from recommender import ProjectProfile, default_recommender
        >>> r = default_recommender()
        >>> rec = r.recommend(ProjectProfile(title="<b>Falls</b>", project_type="evaluation",
        ...     timeline_months=18, funding="co_funded", relationship="long_term", staff_stability="high"))
        >>> "&lt;b&gt;Falls&lt;/b&gt;" in render_recommendation(rec, r.kb, "html")
        True
    """
    return _text(rec, kb, fmt, links=links)


def render_plan_check(check: PlanCheck, kb: KnowledgeBase, fmt: str = "html", *, links: Links = None) -> str:
    """The plan-check report as HTML or Markdown."""
    return _text(check, kb, fmt, links=links)


def render_tender_brief(
    brief: TenderBrief,
    kb: KnowledgeBase,
    fmt: str = "html",
    *,
    recommendation: Recommendation | None = None,
    links: Links = None,
) -> str:
    """The tender brief as HTML or Markdown (with the risks by party, given the ``recommendation``)."""
    return _text(brief, kb, fmt, recommendation=recommendation, links=links)


def render_what_if(result: WhatIf, kb: KnowledgeBase, fmt: str = "html", *, links: Links = None) -> str:
    """The what-if report as HTML or Markdown."""
    return _text(result, kb, fmt, links=links)
