"""The plan check's document: readiness, each component in place or missing, the gaps and what closes them."""

from __future__ import annotations

import datetime

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.plan_check import PlanCheck
from recommender.reports.common import Builder, Links
from recommender.reports.document import Block, Document, Gauge, Item, ItemList, Paragraph, Section, Text, text

#: The en dash between a component and its status.
DASH = "\u2013"


def build_plan_check(
    check: PlanCheck, kb: KnowledgeBase, *, links: Links = None, today: datetime.date | None = None
) -> Document:
    """The document of a plan check.

    Example:
        >>> from recommender import ProjectProfile, check_plan, default_recommender
        >>> r = default_recommender()
        >>> profile = ProjectProfile(project_type="data_analysis", timeline_months=18,
        ...     funding="external_grant", relationship="prior_project", staff_stability="moderate")
        >>> build_plan_check(check_plan(profile, in_place=[], recommender=r), r.kb).sections[0].title
        'Readiness: Concern (0 out of 100)'
    """
    b = Builder(kb, check.profile)
    readiness = check.readiness
    severities = {s.id: s.title for s in kb.readiness.severities} if kb.readiness else {}
    bands = {band.id: band for band in kb.readiness.bands} if kb.readiness else {}
    explained: list[Block] = [
        Gauge(
            readiness.score,
            readiness.band_title,
            tuple((bands[t.band].title, t.min_score) for t in readiness.thresholds),
        ),
        Paragraph(text(bands[readiness.band].description, b.cite(readiness.findings))),
        *(Paragraph(text(cap.reason, b.cite(cap.findings))) for cap in readiness.caps_applied),
    ]
    kinds: list[Block] = [
        Section(
            label,
            (
                ItemList(
                    tuple(
                        Item(
                            text(
                                Text(c.title, strong=True),
                                f"{DASH} in place"
                                if c.status == "in_place"
                                else f"{DASH} missing, {severities[c.severity]}",
                            ),
                            checkbox=c.status == "in_place",
                            role=c.status,
                        )
                        for c in items
                    ),
                    role="components",
                ),
            ),
            level=2,
        )
        for kind, label in b.guide.mitigation_kinds.items()
        if (items := [c for c in check.components if c.kind == kind])
    ]
    gaps: list[Block]
    if check.gaps:
        gap_items = []
        for gap in check.gaps:
            head = text(Text(gap.title, strong=True), f"({severities[gap.severity]})", b.cite(gap.findings))
            because = tuple(Paragraph(text(r.because, b.cite(r.findings))) for r in gap.raised_because)
            adds = ItemList(
                tuple(
                    Item(text(Text(f"{m.title}.", strong=True), Text(m.action, role="action"), b.cite(m.findings)))
                    for m in gap.add
                ),
                role="mitigations",
            )
            gap_items.append(Item(head, (*because, adds), checkbox=False))
        gaps = [ItemList(tuple(gap_items), numbered=True, role="checklist")]
    else:
        gaps = [Paragraph(text("Every component is in place."))]
    open_risks = list(dict.fromkeys(risk.id for gap in check.gaps for risk in gap.risks_left_open))
    own = (
        [kb.readiness.calibration]
        if kb.readiness and kb.readiness.calibration and kb.readiness.calibration.by == "tool"
        else []
    )
    sections = [
        Section(
            f"Readiness: {readiness.band_title} ({readiness.score} out of 100)",
            tuple(explained),
            anchor="readiness-heading",
            role="readiness",
        ),
        Section(
            "Recommended set-up for this project",
            b.setup(check.initiation_mode, check.collaboration_level),
            anchor="answer-heading",
        ),
        Section("Plan components", tuple(kinds), anchor="components-heading", role="component-kinds"),
        Section("Action plan: gaps to close, most serious first", tuple(gaps), anchor="gaps-heading"),
        b.risks([kb.risks[r] for r in open_risks], kb.mitigations),
        b.success(),
        b.trust([_Calibration(c.why, kb.readiness.findings) for c in own] if kb.readiness else []),
    ]
    return b.document(
        kind="plan_check",
        title="Partnership plan check",
        subtitle="How ready this partnership plan is, what is missing and what to add.",
        sections=sections,
        links=links,
        today=today,
    )


class _Calibration:
    """The readiness calibration as the trust section lists it: its text and findings."""

    def __init__(self, text: str, findings: tuple[str, ...] | list[str]) -> None:
        self.text = text
        self.findings = findings
