"""The plan-check report: readiness, each component in place or missing, the gaps and what closes them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.plan_check import PlanCheck
from recommender.reports import charts
from recommender.reports.context import base_context, risks_by_party
from recommender.reports.environment import render


def render_plan_check(
    check: PlanCheck, kb: KnowledgeBase, fmt: str = "html", *, links: Mapping[str, str] | None = None
) -> str:
    """The report on a plan check as a standalone HTML page (``fmt="html"``) or Markdown (``"md"``).

    Example:
        >>> from recommender import ProjectProfile, check_plan, default_recommender
        >>> r = default_recommender()
        >>> profile = ProjectProfile(project_type="data_analysis", timeline_months=18,
        ...     funding="external_grant", relationship="prior_project", staff_stability="moderate")
        >>> md = render_plan_check(check_plan(profile, in_place=[], recommender=r), r.kb, "md")
        >>> md.splitlines()[0]
        '# Partnership plan check'
    """
    return render("plan_check", fmt, plan_check_context(check, kb, links=links))


def plan_check_context(
    check: PlanCheck, kb: KnowledgeBase, *, links: Mapping[str, str] | None = None
) -> dict[str, Any]:
    guide = kb.require_field_guide()
    severities = {s.id: s.title for s in kb.readiness.severities} if kb.readiness else {}
    open_risks = list(dict.fromkeys(risk.id for gap in check.gaps for risk in gap.risks_left_open))
    bands = {b.id: b.title for b in kb.readiness.bands} if kb.readiness else {}
    readiness = check.readiness
    return {
        **base_context(kb, check.profile, check.initiation_mode, check.collaboration_level, links),
        "own_calibrations": (
            [{"text": kb.readiness.calibration.why, "findings": kb.readiness.findings}]
            if kb.readiness and kb.readiness.calibration and kb.readiness.calibration.by == "tool"
            else []
        ),
        "check": check,
        "severities": severities,
        "bands": bands,
        "gauge": charts.gauge(readiness.score, [(bands[t.band], t.min_score) for t in readiness.thresholds]),
        "components_by_kind": [
            (label, items)
            for kind, label in guide.mitigation_kinds.items()
            if (items := [c for c in check.components if c.kind == kind])
        ],
        "risks_by_party": risks_by_party([kb.risks[r] for r in open_risks], kb.mitigations, guide),
    }
