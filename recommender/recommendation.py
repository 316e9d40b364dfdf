"""The recommendation: the engine's answer (public contract, version 1, with additions)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from recommender.profile import CollaborationLevel, InitiationMode, ProjectProfile


class OutputModel(BaseModel):
    """Base of every answer the services give: immutable, and no field beyond those declared."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Reason(OutputModel):
    """Why a conclusion was drawn: the rule, its rationale and the findings behind it."""

    rule: str
    text: str
    findings: list[str] = Field(min_length=1)


class ModeReason(Reason):
    """A rule's contribution to one initiation mode's score."""

    contribution: int


class ComparedReason(ModeReason):
    """A contribution that separates a higher-ranked mode from the proposed one."""

    mode: InitiationMode


class LevelReason(Reason):
    """A rule's bound on the collaboration level."""

    bound: Literal["at_least", "at_most"]
    level: CollaborationLevel


class RankedMode(OutputModel):
    mode: InitiationMode
    title: str
    score: int
    reasons: list[ModeReason]


class InitiationResult(OutputModel):
    recommended: InitiationMode
    ranking: list[RankedMode] = Field(
        description="All three modes, best first; ties go by the knowledge base's mode order."
    )
    tie_broken: bool = Field(description="True when the top score was shared and the tie-break decided.")


class Step(OutputModel):
    """An action that moves the partnership toward co-production."""

    mitigation: str
    rule: str
    findings: list[str] = Field(min_length=1)


class LevelResult(OutputModel):
    recommended: CollaborationLevel
    reasons: list[LevelReason]
    steps_toward_co_production: list[Step]


class RiskItem(OutputModel):
    id: str
    party: Literal["researchers", "policy_agency", "shared"]
    title: str
    description: str
    findings: list[str] = Field(min_length=1)
    mitigations: list[str] = Field(min_length=1)
    raised_by: list[str] = Field(min_length=1, description="Rules that raised the risk.")


class MitigationItem(OutputModel):
    id: str
    kind: Literal["relationship", "practical", "cross_cutting"]
    title: str
    action: str
    findings: list[str] = Field(min_length=1)
    addresses: list[str] = Field(description="Ids of the listed risks this mitigation answers.")


class TraceEntry(OutputModel):
    rule: str
    findings: list[str] = Field(min_length=1)


class KnowledgeBaseRef(OutputModel):
    version: str
    digest: str


class Assessment(OutputModel):
    """How the initiation the user proposed compares with the recommended one."""

    proposed: InitiationMode
    rank: int = Field(ge=1, le=3)
    score: int
    is_recommended: bool
    outranked_by: list[InitiationMode] = Field(description="Modes ranked above the proposed one.")
    reasons_for_higher: list[ComparedReason] = Field(
        description="Why the modes above rank higher: their gains the proposed mode lacks, and its own penalties."
    )
    risks: list[str] = Field(description="Risks raised because of the proposed mode.")


class Recommendation(OutputModel):
    """The recommended initiation mode and collaboration level, risks and mitigations, traced."""

    profile: ProjectProfile
    initiation_mode: InitiationResult
    collaboration_level: LevelResult
    risks: list[RiskItem]
    mitigations: list[MitigationItem]
    trace: list[TraceEntry]
    knowledge_base: KnowledgeBaseRef
    assessment: Assessment | None = None
