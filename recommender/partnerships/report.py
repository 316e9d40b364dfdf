"""The divergence report in words: each differing field with each partner's value, the advice each
view gets, and what to talk through first with its findings quoted. One plain tree
(:class:`DivergenceReport`) feeds the HTML page and the document every report format writes
(:func:`recommender.reports.build_divergence`; :func:`divergence_markdown` for the CLI).

Example:
    >>> report = divergence_report(view, kb)  # doctest: +SKIP
    >>> print(divergence_markdown(report, kb))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.partnerships.views import Changes, PartnershipView

IN_PLACE_LABEL = "Plan components in place"


@dataclass(frozen=True)
class FieldRow:
    label: str
    values: list[tuple[str, str]]  # (partner name, value in words)


@dataclass(frozen=True)
class AdviceRow:
    partner: str
    initiation: str
    level: str
    risks: list[str]


@dataclass(frozen=True)
class CitedFinding:
    id: str
    statement: str
    section: str


@dataclass(frozen=True)
class TalkPoint:
    text: str
    findings: list[CitedFinding]


@dataclass(frozen=True)
class DivergenceReport:
    title: str
    kb_version: str
    #: Each partner: (name, the party it is on, in words).
    partners: list[tuple[str, str]]
    fields: list[FieldRow]
    advice: list[AdviceRow]
    advice_differs: bool
    talk_through: list[TalkPoint]


def value_text(kb: KnowledgeBase, field: str, value: Any) -> str:
    """A profile field's value (or ``in_place``'s components) in the form's words."""
    if value is None:
        return "not answered"
    if field == "in_place":
        return ", ".join(kb.components[c].title if c in kb.components else c for c in value) or "none"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    guide = kb.require_field_guide().fields_by_id.get(field)
    if guide is None:
        return str(value)
    return guide.value_label(value) + (f" {guide.unit}" if guide.unit else "")


def field_label(kb: KnowledgeBase, field: str) -> str:
    if field == "in_place":
        return IN_PLACE_LABEL
    guide = kb.require_field_guide().fields_by_id.get(field)
    return guide.label if guide is not None else field


def divergence_report(view: PartnershipView, kb: KnowledgeBase) -> DivergenceReport | None:
    """The report in words, or ``None`` while some partner has not answered."""
    divergence = view.divergence
    if divergence is None:
        return None
    names = {p.id: p.name for p in view.partners}
    modes = {m.id: m.title for m in kb.modes}
    levels = {lv.id: lv.title for lv in kb.levels}
    fields = [
        FieldRow(
            label=field_label(kb, row.field),
            values=[(names[pid], value_text(kb, row.field, value)) for pid, value in row.answers.items()],
        )
        for row in divergence.fields
    ]
    advice = [
        AdviceRow(
            partner=names[a.partner_id],
            initiation=modes.get(a.initiation, a.initiation),
            level=levels.get(a.level, a.level),
            risks=[kb.risks[r].title if r in kb.risks else r for r in a.risks],
        )
        for a in divergence.advice
    ]
    talk = [
        TalkPoint(text=t.text, findings=[_cited(kb, f) for f in t.findings if f in kb.findings])
        for t in divergence.talk_through
    ]
    parties = kb.require_field_guide().parties
    return DivergenceReport(
        title=view.title,
        kb_version=kb.version,
        partners=[(p.name, parties.get(p.party, p.party)) for p in view.partners],
        fields=fields,
        advice=advice,
        advice_differs=divergence.advice_differs,
        talk_through=talk,
    )


def _cited(kb: KnowledgeBase, finding_id: str) -> CitedFinding:
    finding = kb.findings[finding_id]
    return CitedFinding(id=finding_id, statement=finding.statement, section=finding.source.section)


def divergence_markdown(report: DivergenceReport, kb: KnowledgeBase) -> str:
    """The divergence report as Markdown, written by the reports' one registry."""
    from recommender.reports import build_divergence, render

    return render(build_divergence(report, kb), "md").content.decode("utf-8")


def changes_in_words(kb: KnowledgeBase, changes: Changes) -> list[str]:
    """An assessment's changes (since the previous one, or on a re-run) as sentences."""
    modes: dict[str, str] = {m.id: m.title for m in kb.modes}
    levels: dict[str, str] = {lv.id: lv.title for lv in kb.levels}

    def risks(ids: list[str]) -> str:
        return "; ".join(kb.risks[r].title if r in kb.risks else r for r in ids)

    lines = []
    if changes.fields:
        lines.append("Answers changed: " + ", ".join(field_label(kb, f) for f in changes.fields))
    if changes.initiation:
        old, new = changes.initiation
        lines.append(f"Who should initiate: {modes.get(old, old)} → {modes.get(new, new)}")
    if changes.level:
        was, now = changes.level
        lines.append(f"How closely to collaborate: {levels.get(was, was)} → {levels.get(now, now)}")
    if changes.risks_raised:
        lines.append("Risks raised: " + risks(changes.risks_raised))
    if changes.risks_cleared:
        lines.append("Risks cleared: " + risks(changes.risks_cleared))
    return lines or ["No change in the advice"]
