"""The recommendation report: what to do and why, risks by party, an action plan, the findings cited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from recommender.kb.fields import FieldGuideBook
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Mitigation
from recommender.recommendation import MitigationItem, Recommendation
from recommender.reports.context import base_context, risks_by_party
from recommender.reports.environment import render


@dataclass(frozen=True)
class Step:
    mitigation: Mitigation
    findings: list[str]
    in_plan: bool


def render_recommendation(
    rec: Recommendation, kb: KnowledgeBase, fmt: str = "html", *, links: Mapping[str, str] | None = None
) -> str:
    """The report on ``rec`` as a standalone HTML page (``fmt="html"``) or Markdown (``"md"``).

    ``links`` maps a label (for example ``"Markdown"``) to the address of the same report in
    another format; the report lists them. Text the user typed is escaped in both formats.

    Example:
        >>> from recommender import ProjectProfile, default_recommender
        >>> r = default_recommender()
        >>> rec = r.recommend(ProjectProfile(title="<b>Falls</b>", project_type="evaluation",
        ...     timeline_months=18, funding="co_funded", relationship="long_term", staff_stability="high"))
        >>> "&lt;b&gt;Falls&lt;/b&gt;" in render_recommendation(rec, r.kb, "html")
        True
    """
    return render("recommendation", fmt, recommendation_context(rec, kb, links=links))


def recommendation_context(
    rec: Recommendation, kb: KnowledgeBase, *, links: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Everything the recommendation templates print, looked up and ordered."""
    guide = kb.require_field_guide()
    initiation, level = rec.initiation_mode, rec.collaboration_level
    plan = _plan(rec, guide)
    return {
        **base_context(kb, rec.profile, initiation.recommended, level.recommended, links),
        "rec": rec,
        "mode_reasons": initiation.ranking[0].reasons,
        "mode_reasons_against": initiation.ranking[0].reasons_against,
        "close_call": _close_call(rec, guide),
        "risks_by_party": risks_by_party(rec.risks, rec.mitigations, guide),
        "plan": plan,
        "numbers": {m.id: n for n, m in enumerate((m for _, items in plan for m in items), start=1)},
        "steps": _steps(rec, kb),
    }


def _close_call(rec: Recommendation, guide: FieldGuideBook) -> dict[str, Any] | None:
    """The close call in words: the modes, and the labels of the fields that would separate them."""
    close = rec.initiation_mode.close_call
    if close is None:
        return None
    return {"modes": close.modes, "fields": [guide.field(name).label for name in close.deciding_fields]}


def _plan(rec: Recommendation, guide: FieldGuideBook) -> list[tuple[str, list[MitigationItem]]]:
    """The mitigations as an action plan, grouped by the kind of success component they build."""
    return [
        (label, items)
        for kind, label in guide.mitigation_kinds.items()
        if (items := [m for m in rec.mitigations if m.kind == kind])
    ]


def _steps(rec: Recommendation, kb: KnowledgeBase) -> list[Step]:
    """Steps toward co-production, one per mitigation, with the findings of every rule that asks for it."""
    merged: dict[str, list[str]] = {}
    for step in rec.collaboration_level.steps_toward_co_production:
        findings = merged.setdefault(step.mitigation, [])
        findings += [f for f in step.findings if f not in findings]
    planned = {m.id for m in rec.mitigations}
    return [Step(kb.mitigations[m_id], findings, m_id in planned) for m_id, findings in merged.items()]
