"""The what-if document: which single changes to the project would change the recommendation, and
the fewest changes that would make co-production the recommended level."""

from __future__ import annotations

import datetime

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.reports.common import Builder, Links, value_text
from recommender.reports.document import Block, Content, Document, Item, ItemList, Paragraph, Section, Table, Text, text
from recommender.what_if import Assignment, WhatIf


def build_what_if(
    result: WhatIf, kb: KnowledgeBase, *, links: Links = None, today: datetime.date | None = None
) -> Document:
    """The document of a what-if analysis.

    Example:
        >>> from recommender import ProjectProfile, default_recommender, what_if
        >>> r = default_recommender()
        >>> profile = ProjectProfile(project_type="evaluation", timeline_months=24,
        ...     funding="external_grant", relationship="long_term", staff_stability="high")
        >>> build_what_if(what_if(profile, recommender=r), r.kb).title
        'What could change the recommendation'
    """
    b = Builder(kb, result.profile)
    rows: list[tuple[Content, ...]] = []
    for field in result.fields:
        for change in field.changes:
            label, value = _assignment(b, Assignment(field=change.field, value=change.value, range=change.range))
            mode, level = change.initiation_mode, change.collaboration_level
            rows.append(
                (
                    text(label),
                    text(value),
                    text(b.modes[mode.before].title, "→", Text(b.modes[mode.after].title, strong=True))
                    if mode
                    else text("unchanged"),
                    text(b.levels[level.before].title, "→", Text(b.levels[level.after].title, strong=True))
                    if level
                    else text("unchanged"),
                    (b.cite(change.findings),),
                )
            )
    changes: Block = (
        Table(
            ("If", "were", "Who should initiate", "How closely to collaborate", "Findings"), tuple(rows), role="changes"
        )
        if rows
        else Paragraph(text("No single change to one answer changes the recommendation."))
    )
    path = result.co_production
    blocks: list[Block]
    if path is not None and path.already:
        blocks = [Paragraph(text("Co-production is already the recommended level.", b.cite(path.findings)))]
    elif path is not None:
        steps = tuple(
            Item(text(Text(label, strong=True), f": {value}"), checkbox=False)
            for label, value in (_assignment(b, a) for a in path.changes)
        )
        blocks = [ItemList(steps, role="checklist"), Paragraph(text(b.cite(path.findings)))]
        if path.alternatives:
            options = tuple(
                Item(text("; ".join(f"{label}: {value}" for label, value in (_assignment(b, a) for a in option))))
                for option in path.alternatives
            )
            blocks.append(Section("Other ways with as few changes", (ItemList(options),), level=2))
    else:
        blocks = [
            Paragraph(
                text(
                    f"No combination of up to {result.co_production_searched_up_to} changed answers makes "
                    "co-production the recommended level."
                )
            )
        ]
    sections = [
        Section(
            "Recommendation now",
            b.setup(result.baseline.initiation_mode, result.baseline.collaboration_level),
            anchor="answer-heading",
        ),
        Section("Single changes that would change it", (changes,), anchor="changes-heading"),
        Section(
            "The fewest changes that make co-production the recommended level", tuple(blocks), anchor="path-heading"
        ),
        b.trust([]),
    ]
    return b.document(
        kind="what_if",
        title="What could change the recommendation",
        subtitle=(
            "Which answers, if they were different, would change who should initiate or how closely to collaborate."
        ),
        sections=sections,
        links=links,
        today=today,
    )


def _assignment(b: Builder, assignment: Assignment) -> tuple[str, str]:
    """``(field label, value in words)``; a number stands for its whole range of equivalent values."""
    field = b.guide.field(assignment.field)
    if assignment.range is not None and assignment.range.min != assignment.range.max:
        unit = f" {field.unit}" if field.unit else ""
        return field.label, f"{assignment.range.min} to {assignment.range.max}{unit}"
    return field.label, value_text(b.guide, assignment.field, assignment.value)
