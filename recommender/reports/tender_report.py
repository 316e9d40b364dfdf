"""The tender brief's document: what to ask for, how to assess bids, what the agency commits to.

Made to be pasted into a tender pack: the clauses are numbered with a box to tick, the bid
questions numbered with what to look for and the warning signs.
"""

from __future__ import annotations

import datetime

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.recommendation import Recommendation
from recommender.reports.common import NO_REASON_FOR, Builder, Links
from recommender.reports.document import (
    Block,
    Clause,
    Clauses,
    Document,
    Item,
    ItemList,
    Paragraph,
    Question,
    Questions,
    Section,
    Text,
    text,
)
from recommender.tender import TenderBrief


def build_tender_brief(
    brief: TenderBrief,
    kb: KnowledgeBase,
    *,
    recommendation: Recommendation | None = None,
    links: Links = None,
    today: datetime.date | None = None,
) -> Document:
    """The document of a tender brief; given the ``recommendation`` for the same profile, it also
    lists the risks by party with their mitigations.

    Example:
        >>> from recommender import ProjectProfile, default_recommender, tender_brief
        >>> r = default_recommender()
        >>> profile = ProjectProfile(project_type="evidence_review", timeline_months=4,
        ...     funding="agency_commissioned", relationship="none", staff_stability="moderate")
        >>> doc = build_tender_brief(tender_brief(profile, recommender=r), r.kb)
        >>> [s.title for s in doc.sections][1]
        'Clauses to write into the tender'
    """
    b = Builder(kb, brief.profile)
    sections: list[Section] = []
    if brief.notice:
        sections.append(
            Section(
                brief.notice.title,
                (Paragraph(text(brief.notice.text, b.cite(brief.notice.findings))),),
                anchor="notice-heading",
                role="notice",
            )
        )
    level_rules = {r.rule for r in brief.level_reasons}
    initiation: Block = (
        ItemList(
            tuple(
                Item(text(r.text, *(b.also_sets_level(r.rule) if r.rule in level_rules else ()), b.cite(r.findings)))
                for r in brief.initiation_reasons
            ),
            role="reasons",
        )
        if brief.initiation_reasons
        else Paragraph(text(NO_REASON_FOR))
    )
    # A rule that scores the mode and bounds the level is one reason: listed once, under the initiation.
    shown = {r.rule for r in brief.initiation_reasons}
    rest = [r for r in brief.level_reasons if r.rule not in shown]
    level: list[Block] = [b.reasons(rest)] if rest else []
    if len(rest) < len(brief.level_reasons):
        level.append(Paragraph(text("The reasons marked above also set the level.")))
    sections.append(
        Section(
            "Recommended set-up",
            (
                *b.setup(brief.initiation_mode, brief.collaboration_level),
                Section("Why this initiation", (initiation,), level=2),
                Section("Why this level", tuple(level), level=2),
            ),
            anchor="answer-heading",
            role="setup",
        )
    )
    sections.append(
        Section(
            "Clauses to write into the tender",
            (
                Clauses(
                    tuple(Clause(n, c.title, text(c.text, b.cite(c.findings))) for n, c in enumerate(brief.clauses, 1))
                ),
            ),
            anchor="clauses-heading",
        )
    )
    sections.append(
        Section(
            "Questions for assessing bids",
            (
                Questions(
                    tuple(
                        Question(n, q.question, b.cite(q.findings), q.look_for, tuple(q.warning_signs))
                        for n, q in enumerate(brief.questions, start=1)
                    )
                ),
            ),
            anchor="questions-heading",
        )
    )
    commitments = tuple(
        Item(text(Text(f"{c.title}.", strong=True), Text(c.text, role="action"), b.cite(c.findings)), checkbox=False)
        for c in brief.commitments
    )
    sections.append(
        Section(
            "Action plan: what the agency commits to",
            (ItemList(commitments, numbered=True, role="checklist"),),
            anchor="commitments-heading",
        )
    )
    if recommendation is not None:
        sections.append(b.risks(recommendation.risks, {m.id: m for m in recommendation.mitigations}))
    sections += [b.success(), b.trust(recommendation.own_calibrations if recommendation else [])]
    return b.document(
        kind="tender_brief",
        title="Tender brief",
        subtitle="What to write into the tender, how to assess the bids, and what the agency commits to.",
        sections=sections,
        links=links,
        today=today,
    )
