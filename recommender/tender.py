"""The tender scoping brief: for an agency about to tender, the recommended initiation and
level, the clauses to write into the tender, questions for assessing bids (with the signs of
over-promising) and what the agency itself commits to provide.

Every item and its text comes from ``rules/tender.yaml``; an item with ``applies`` conditions is
included only when they hold for the profile and the engine's conclusions.
"""

from __future__ import annotations

from pydantic import Field

from recommender.applicability import holds, situation_of
from recommender.errors import KnowledgeBaseError
from recommender.profile import ProjectProfile
from recommender.recommendation import KnowledgeBaseRef, OutputModel, Reason, Recommendation
from recommender.service import Recommender
from recommender.vocabulary import CollaborationLevel, InitiationMode


class Clause(OutputModel):
    """A clause to put in the tender."""

    id: str
    title: str
    text: str
    mitigations: list[str]
    findings: list[str] = Field(min_length=1)


class AssessmentQuestion(OutputModel):
    """A question for assessing bids: what a good answer shows, and signs of over-promising."""

    id: str
    question: str
    look_for: str
    warning_signs: list[str]
    findings: list[str] = Field(min_length=1)


class Commitment(OutputModel):
    """Something the agency commits to provide."""

    id: str
    title: str
    text: str
    findings: list[str] = Field(min_length=1)


class Notice(OutputModel):
    """What the agency should do instead of tendering, when agency initiation is not recommended."""

    id: str
    title: str
    text: str
    findings: list[str] = Field(min_length=1)


class TenderBrief(OutputModel):
    """The tender scoping brief for one profile."""

    profile: ProjectProfile
    notice: Notice | None = Field(
        description="Set when the recommended initiation is not the agency's: what to do instead of a tender."
    )
    initiation_mode: InitiationMode
    collaboration_level: CollaborationLevel
    initiation_reasons: list[Reason] = Field(description="Why the recommended initiation mode scores highest.")
    level_reasons: list[Reason] = Field(description="The rules that set the recommended level.")
    clauses: list[Clause]
    questions: list[AssessmentQuestion]
    commitments: list[Commitment]
    knowledge_base: KnowledgeBaseRef


def tender_brief(profile: ProjectProfile, *, recommender: Recommender) -> TenderBrief:
    """The tender scoping brief for ``profile``: clauses, bid questions and agency commitments.

    Example:
        >>> from recommender import ProjectProfile, default_recommender, tender_brief
        >>> brief = tender_brief(ProjectProfile(project_type="evidence_review", timeline_months=4,
        ...     funding="agency_commissioned", relationship="none", staff_stability="moderate",
        ...     agency_evidence_need="specific"), recommender=default_recommender())
        >>> brief.initiation_mode, brief.clauses[0].id
        ('agency', 'synthesis_and_recommendations')
    """
    return tender_brief_and_recommendation(profile, recommender=recommender)[0]


def tender_brief_and_recommendation(
    profile: ProjectProfile, *, recommender: Recommender
) -> tuple[TenderBrief, Recommendation]:
    """The tender brief for ``profile`` and the recommendation it rests on, from one evaluation.

    The tender-brief report lists that recommendation's risks by party; a caller that renders
    the report takes both from here rather than asking for the recommendation again.

    Example:
        >>> from recommender import ProjectProfile, default_recommender
        >>> brief, recommendation = tender_brief_and_recommendation(ProjectProfile(
        ...     project_type="evidence_review", timeline_months=4, funding="agency_commissioned",
        ...     relationship="none", staff_stability="moderate"), recommender=default_recommender())
        >>> brief.initiation_mode == recommendation.initiation_mode.recommended
        True
    """
    engine = recommender
    kb = engine.kb
    if not (kb.tender_clauses or kb.bid_questions or kb.agency_commitments):
        raise KnowledgeBaseError(
            "this knowledge base defines no tender clauses, questions or commitments", file="tender.yaml"
        )
    recommendation, outcome = engine.recommend_with_outcome(profile)
    situation = situation_of(kb, profile, outcome)
    top = recommendation.initiation_mode.ranking[0]
    notices = [
        Notice(id=n.id, title=n.title, text=n.text, findings=list(n.findings))
        for n in kb.tender_notices
        if holds(n.applies, situation)
    ]
    brief = TenderBrief(
        profile=profile,
        notice=notices[0] if notices else None,
        initiation_mode=recommendation.initiation_mode.recommended,
        collaboration_level=recommendation.collaboration_level.recommended,
        initiation_reasons=[
            Reason(rule=r.rule, text=r.text, findings=r.findings) for r in top.reasons if r.contribution > 0
        ],
        level_reasons=[
            Reason(rule=r.rule, text=r.text, findings=r.findings) for r in recommendation.collaboration_level.reasons
        ],
        clauses=[
            Clause(id=c.id, title=c.title, text=c.text, mitigations=list(c.mitigations), findings=list(c.findings))
            for c in kb.tender_clauses
            if holds(c.applies, situation)
        ],
        questions=[
            AssessmentQuestion(
                id=q.id,
                question=q.question,
                look_for=q.look_for,
                warning_signs=list(q.warning_signs),
                findings=list(q.findings),
            )
            for q in kb.bid_questions
            if holds(q.applies, situation)
        ],
        commitments=[
            Commitment(id=c.id, title=c.title, text=c.text, findings=list(c.findings))
            for c in kb.agency_commitments
            if holds(c.applies, situation)
        ],
        knowledge_base=recommendation.knowledge_base,
    )
    return brief, recommendation
