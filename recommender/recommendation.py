"""The recommendation: the engine's answer (public contract, version 1, with additions)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from recommender.profile import ProjectProfile
from recommender.vocabulary import CollaborationLevel, InitiationMode, MitigationKind, Party


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


class Fit(OutputModel):
    """Whether an initiation mode is coherent with the recommended collaboration level, and why."""

    viable: bool
    levels: list[CollaborationLevel] = Field(description="The levels this mode is coherent with.")
    text: str
    findings: list[str] = Field(min_length=1)


class RankedMode(OutputModel):
    mode: InitiationMode
    title: str
    score: int
    reasons: list[ModeReason] = Field(description="Reasons for this mode: each raises its score.")
    reasons_against: list[ModeReason] = Field(description="Reasons against this mode: each lowers its score.")
    fit: Fit


class CloseCall(OutputModel):
    """Viable modes whose scores are within the knowledge base's margin of the top one."""

    modes: list[InitiationMode] = Field(min_length=2)
    margin: int = Field(description="The tool's own margin, in score points (see own_calibrations).")
    deciding_fields: list[str] = Field(
        description="Profile fields of the rules that score these modes differently: what would separate them."
    )


class InitiationResult(OutputModel):
    recommended: InitiationMode
    ranking: list[RankedMode] = Field(
        description=(
            "All three modes, best first: those coherent with the recommended level first, then by score; "
            "ties go by the knowledge base's mode order."
        )
    )
    tie_broken: bool = Field(description="True when the top viable score was shared and the tie-break decided.")
    strength: Literal["clear_lead", "close_call", "only_fit"] = Field(
        description=(
            "clear_lead: the recommended mode leads every other viable mode by more than the margin; close_call: "
            "another viable mode is within the margin; only_fit: no other mode fits the recommended level."
        )
    )
    close_call: CloseCall | None = None


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
    party: Party
    title: str
    description: str
    findings: list[str] = Field(min_length=1)
    mitigations: list[str] = Field(min_length=1)
    raised_by: list[str] = Field(min_length=1, description="Rules that raised the risk.")
    blocking: bool = Field(description="Resolve before the partnership starts; its mitigations are listed first.")


class MitigationItem(OutputModel):
    id: str
    kind: MitigationKind
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


class ProposalAssessment(OutputModel):
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
    fit: Fit = Field(description="Whether the proposed mode is coherent with the recommended level, and why.")


class ProfileWarning(OutputModel):
    """The profile contradicts itself: the fields involved, and what the study says."""

    id: str
    text: str
    fields: list[str] = Field(min_length=1)
    findings: list[str] = Field(min_length=1)


class Calibrated(OutputModel):
    """A number behind this answer that is the tool's own calibration, not the study's."""

    source: str = Field(description="The rule id, or 'margin' or 'tie_break', whose numbers these are.")
    text: str = Field(description="What the number is and why this number.")
    findings: list[str] = Field(min_length=1)


class Statement(OutputModel):
    id: str
    text: str
    findings: list[str] = Field(min_length=1)


class Recommendation(OutputModel):
    """The recommended initiation mode and collaboration level, risks and mitigations, traced."""

    profile: ProjectProfile
    initiation_mode: InitiationResult
    collaboration_level: LevelResult
    risks: list[RiskItem]
    mitigations: list[MitigationItem] = Field(description="Those answering blocking risks first.")
    blockers: list[str] = Field(description="Ids of the blocking risks: resolve them before the partnership starts.")
    warnings: list[ProfileWarning] = Field(description="Contradictions within the profile itself; empty when none.")
    own_calibrations: list[Calibrated] = Field(
        description="The numbers behind this answer that are the tool's own calibration (the study gives none)."
    )
    success: list[Statement] = Field(description="What a successful partnership looks like, after the study.")
    limits: list[Statement] = Field(description="How far to trust this advice: the study's limits.")
    trace: list[TraceEntry]
    knowledge_base: KnowledgeBaseRef
    assessment: ProposalAssessment | None = None

    @computed_field(  # type: ignore[prop-decorator]
        description=(
            "Profile fields the caller did not give, sorted: the answer used their defaults (or, for an "
            "optional field without one, went without)."
        )
    )
    @property
    def defaulted_inputs(self) -> list[str]:
        return sorted(set(ProjectProfile.model_fields) - self.profile.model_fields_set)
