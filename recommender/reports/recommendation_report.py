"""The recommendation report: what to do and why, risks by party, an action plan, the findings cited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Mitigation
from recommender.recommendation import MitigationItem, Recommendation, RiskItem
from recommender.reports import charts
from recommender.reports.environment import Citations, check_format, environment
from recommender.reports.fields import FieldGuideBook, load_field_guide


@dataclass(frozen=True)
class PartyRisks:
    label: str
    risks: list[tuple[RiskItem, list[MitigationItem]]]


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
    template = environment(check_format(fmt)).get_template(f"recommendation.{fmt}.j2")
    return template.render(recommendation_context(rec, kb, links=links))


def recommendation_context(
    rec: Recommendation, kb: KnowledgeBase, *, links: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Everything the recommendation templates print, looked up and ordered."""
    guide = load_field_guide(kb.root)
    modes = {mode.id: mode for mode in kb.modes}
    levels = {level.id: level for level in kb.levels}
    initiation, level = rec.initiation_mode, rec.collaboration_level
    return {
        "rec": rec,
        "kb": kb,
        "title": rec.profile.title,
        "links": dict(links or {}),
        "profile_rows": profile_rows(rec.profile.model_dump(), guide),
        "mode": modes[initiation.recommended],
        "modes": modes,
        "level": levels[level.recommended],
        "continuum": charts.continuum([(lv.id, lv.title) for lv in kb.levels], level.recommended),
        "bars": charts.score_bars([(m.mode, m.title, m.score) for m in initiation.ranking], initiation.recommended),
        "mode_reasons": initiation.ranking[0].reasons,
        "risks_by_party": _risks_by_party(rec, guide),
        "plan": _plan(rec, guide),
        "steps": _steps(rec, kb),
        "cite": Citations(kb),
    }


def profile_rows(values: Mapping[str, Any], guide: FieldGuideBook) -> list[tuple[str, str]]:
    """``(label, value in words)`` for each field given, in the guide's order (the title is the heading)."""
    rows = []
    for field in guide.fields:
        value = values.get(field.id)
        if field.id == "title" or value is None:
            continue
        if isinstance(value, bool):
            text = "Yes" if value else "No"
        else:
            text = field.value_label(value) + (f" {field.unit}" if field.unit else "")
        rows.append((field.label, text))
    return rows


def _risks_by_party(rec: Recommendation, guide: FieldGuideBook) -> list[PartyRisks]:
    mitigations = {m.id: m for m in rec.mitigations}
    groups = []
    for party, label in guide.parties.items():
        risks = [(risk, [mitigations[m] for m in risk.mitigations]) for risk in rec.risks if risk.party == party]
        if risks:
            groups.append(PartyRisks(label, risks))
    return groups


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
