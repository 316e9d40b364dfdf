"""The recommendation's document: what to do and why, risks by party, an action plan, the findings cited."""

from __future__ import annotations

import datetime

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.recommendation import Recommendation
from recommender.reports.common import NO_REASON_FOR, Builder, Links
from recommender.reports.document import Block, Document, Item, ItemList, Paragraph, Section, Table, Text, text

_STRENGTH = {
    "clear_lead": "a clear lead",
    "close_call": "a close call",
    "only_fit": "the only mode that fits the level",
}


def build_recommendation(
    rec: Recommendation, kb: KnowledgeBase, *, links: Links = None, today: datetime.date | None = None
) -> Document:
    """The document of ``rec``: the answer, the checks, why, the risks, the action plan, the findings.

    Example:
        >>> from recommender import ProjectProfile, default_recommender
        >>> r = default_recommender()
        >>> rec = r.recommend(ProjectProfile(project_type="evaluation", timeline_months=18,
        ...     funding="co_funded", relationship="long_term", staff_stability="high"))
        >>> [s.title for s in build_recommendation(rec, r.kb).sections][:2]
        ['Recommendation', 'Why']
    """
    b = Builder(kb, rec.profile)
    initiation, level = rec.initiation_mode, rec.collaboration_level
    sections = [
        Section(
            "Recommendation",
            (*b.setup(initiation.recommended, level.recommended), _ranking(rec)),
            anchor="answer-heading",
        ),
        *_checks(b, rec),
        _why(b, rec),
    ]
    plan_kinds = [
        (label, items)
        for kind, label in b.guide.mitigation_kinds.items()
        if (items := [m for m in rec.mitigations if m.kind == kind])
    ]
    numbers = {m.id: n for n, m in enumerate((m for _, items in plan_kinds for m in items), start=1)}
    sections.append(b.risks(rec.risks, {m.id: m for m in rec.mitigations}, numbers))
    plan: list[Block] = [
        Section(
            label,
            (
                ItemList(
                    tuple(
                        Item(
                            text(Text(f"{m.title}.", strong=True), Text(m.action, role="action"), b.cite(m.findings)),
                            checkbox=False,
                            anchor=f"action-{numbers[m.id]}",
                        )
                        for m in items
                    ),
                    numbered=True,
                    role="checklist",
                ),
            ),
            level=2,
        )
        for label, items in plan_kinds
    ]
    steps = _steps(b, rec, numbers)
    if steps:
        plan.append(Section("Steps toward co-production", (ItemList(steps, role="checklist"),), level=2))
    sections.append(Section("Action plan", tuple(plan), anchor="plan-heading"))
    sections += [b.success(), b.trust(rec.own_calibrations)]
    return b.document(
        kind="recommendation",
        title="Partnership recommendation",
        subtitle="How to set up this research/policy partnership, and why.",
        sections=sections,
        links=links,
        today=today,
    )


def standing(rec: Recommendation, index: int) -> str:
    """Where the mode ranked ``index`` stands, in words."""
    initiation = rec.initiation_mode
    entry = initiation.ranking[index]
    if index == 0:
        return f"Recommended, {_STRENGTH[initiation.strength]}"
    if not entry.fit.viable:
        return "Does not fit the recommended level"
    if initiation.close_call and entry.mode in initiation.close_call.modes:
        return "Also viable, within the margin"
    return "Viable, behind"


def _ranking(rec: Recommendation) -> Table:
    rows = tuple(
        (text(Text(entry.title, strong=i == 0)), text(standing(rec, i)))
        for i, entry in enumerate(rec.initiation_mode.ranking)
    )
    return Table(("Initiation mode", "Standing"), rows, caption="Initiation modes, best first", role="ranking")


def _checks(b: Builder, rec: Recommendation) -> list[Section]:
    sections = []
    if rec.warnings:
        sections.append(
            Section(
                "Check your answers",
                (b.reasons(rec.warnings, role="plain"),),
                anchor="warnings-heading",
                role="warnings",
            )
        )
    if rec.blockers:
        items = tuple(
            Item(text(Text(f"{r.title}.", strong=True), r.description, b.cite(r.findings)))
            for r in rec.risks
            if r.blocking
        )
        sections.append(Section("Before you start", (ItemList(items),), anchor="blockers-heading", role="blockers"))
    return sections


def _why(b: Builder, rec: Recommendation) -> Section:
    """The reasons for the mode, then the level's; a rule that does both is listed once, under the mode."""
    initiation, level = rec.initiation_mode, rec.collaboration_level
    top = initiation.ranking[0]
    level_rules = {r.rule for r in level.reasons}
    shown: set[str] = set()
    mode_blocks: list[Block] = []
    if top.reasons:
        items = []
        for r in top.reasons:
            shown.add(r.rule)
            also = b.also_sets_level(r.rule) if r.rule in level_rules else ()
            items.append(Item(text(r.text, *also, b.cite(r.findings))))
        mode_blocks.append(ItemList(tuple(items), role="reasons"))
    else:
        mode_blocks.append(Paragraph(text(NO_REASON_FOR)))
    mode_blocks.append(Paragraph(text("It fits the recommended level:", top.fit.text, b.cite(top.fit.findings))))
    if top.reasons_against:
        mode_blocks.append(Paragraph(text("Against it, and outweighed:")))
        items = []
        for r in top.reasons_against:
            shown.add(r.rule)
            also = b.also_sets_level(r.rule) if r.rule in level_rules else ()
            items.append(Item(text(r.text, *also, b.cite(r.findings))))
        mode_blocks.append(ItemList(tuple(items), role="reasons against"))
    close = initiation.close_call
    if close is not None:
        names = " and ".join(b.modes[m].title for m in close.modes)
        fields = ", ".join(b.guide.field(name).label for name in close.deciding_fields)
        parts: list[str | Text] = [
            Text("A close call.", strong=True),
            f"{names} are both viable and within the tool's margin of each other. What would separate them: "
            f"{fields} (try the what-if analysis on these).",
        ]
        content = text(*parts)
        if initiation.tie_broken:
            content += text(
                "Their scores are equal: the tool's documented order decided.", b.cite(b.kb.tie_break_findings)
            )
        mode_blocks.append(Paragraph(content, role="close-call"))
    rest = [r for r in level.reasons if r.rule not in shown]
    level_blocks: list[Block] = [b.reasons(rest)] if rest else []
    if len(rest) < len(level.reasons):
        level_blocks.append(Paragraph(text("The reasons marked above also set the level.")))
    subsections: list[Block] = [
        Section(b.modes[initiation.recommended].title, tuple(mode_blocks), level=2),
        Section(b.levels[level.recommended].title, tuple(level_blocks), level=2),
    ]
    if rec.assessment is not None:
        subsections.append(_assessment(b, rec))
    return Section("Why", tuple(subsections), anchor="why-heading")


def _assessment(b: Builder, rec: Recommendation) -> Section:
    a = rec.assessment
    assert a is not None
    blocks: list[Block] = []
    if a.is_recommended:
        tail = ", once the points under “Before you start” are resolved" if rec.blockers else ""
        blocks.append(Paragraph(text(f"Your plan matches the recommendation{tail}.")))
    else:
        above = " and ".join(b.modes[o].title for o in a.outranked_by)
        blocks.append(Paragraph(text(f"Your plan ranks {a.rank} of 3, below {above}.")))
        items = []
        if not a.fit.viable:
            items.append(Item(text("It does not fit the recommended level.", a.fit.text, b.cite(a.fit.findings))))
        # A reason listed above (for the mode or the level) is pointed to, not printed again.
        top = rec.initiation_mode.ranking[0]
        listed = {r.rule for r in (*top.reasons, *top.reasons_against, *rec.collaboration_level.reasons)}
        said = [r for r in a.reasons_for_higher if r.rule in listed]
        items += [Item(text(r.text, b.cite(r.findings))) for r in a.reasons_for_higher if r not in said]
        if said:
            ahead = " and ".join(b.modes[m].title for m in dict.fromkeys(r.mode for r in said))
            blocks.append(Paragraph(text(f"Reasons listed above also put {ahead} ahead of it.")))
        if items:
            blocks.append(ItemList(tuple(items), role="reasons"))
    return Section(f"Your plan: {b.modes[a.proposed].title}", tuple(blocks), level=2, role="assessment")


def _steps(b: Builder, rec: Recommendation, numbers: dict[str, int]) -> tuple[Item, ...]:
    """Steps toward co-production, one per mitigation, with the findings of every rule that asks for it."""
    merged: dict[str, list[str]] = {}
    for step in rec.collaboration_level.steps_toward_co_production:
        findings = merged.setdefault(step.mitigation, [])
        findings += [f for f in step.findings if f not in findings]
    items = []
    for m_id, findings in merged.items():
        mitigation = b.kb.mitigations[m_id]
        if m_id in numbers:
            content = text(
                Text(mitigation.title, strong=True), f"(action {numbers[m_id]} in the plan above)", b.cite(findings)
            )
        else:
            content = text(
                Text(f"{mitigation.title}.", strong=True), Text(mitigation.action, role="action"), b.cite(findings)
            )
        items.append(Item(content, checkbox=False))
    return tuple(items)
