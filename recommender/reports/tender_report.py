"""The tender-brief report: what to ask for, how to assess bids, what the agency commits to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.recommendation import Recommendation
from recommender.reports.context import base_context, risks_by_party
from recommender.reports.environment import render
from recommender.tender import TenderBrief


def render_tender_brief(
    brief: TenderBrief,
    kb: KnowledgeBase,
    fmt: str = "html",
    *,
    recommendation: Recommendation | None = None,
    links: Mapping[str, str] | None = None,
) -> str:
    """The tender brief as a standalone HTML page (``fmt="html"``) or Markdown (``"md"``).

    Given the ``recommendation`` for the same profile, the report also lists the risks by party
    with their mitigations.

    Example:
        >>> from recommender import ProjectProfile, default_recommender, tender_brief
        >>> r = default_recommender()
        >>> profile = ProjectProfile(project_type="evidence_review", timeline_months=4,
        ...     funding="agency_commissioned", relationship="none", staff_stability="moderate")
        >>> render_tender_brief(tender_brief(profile, recommender=r), r.kb, "md").splitlines()[0]
        '# Tender brief'
    """
    return render("tender_brief", fmt, tender_context(brief, kb, recommendation=recommendation, links=links))


def tender_context(
    brief: TenderBrief,
    kb: KnowledgeBase,
    *,
    recommendation: Recommendation | None = None,
    links: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    guide = kb.require_field_guide()
    risks = risks_by_party(recommendation.risks, recommendation.mitigations, guide) if recommendation else []
    return {
        **base_context(kb, brief.profile, brief.initiation_mode, brief.collaboration_level, links),
        "own_calibrations": recommendation.own_calibrations if recommendation else [],
        "brief": brief,
        "risks_by_party": risks,
    }
