"""What the partnership services answer: the shapes of the HTTP contract's "Partnerships" section."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from recommender.recommendation import KnowledgeBaseRef
from recommender.vocabulary import CollaborationLevel, InitiationMode, PartnerParty

Party = PartnerParty
#: The characters ``str.strip`` removes, as literal characters and ranges (a pattern both the
#: validator's engine and a JSON Schema client read alike).
_STRIPPED = "\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: A name or title: something other than white space (the schema says so too, so a client that
#: follows it never sends a blank one), stripped, at most 200 characters.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=f"[^{_STRIPPED}]")]
MIN_PARTNERS = 2
MAX_PARTNERS = 10


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class NewPartner(_In):
    name: Name
    party: Party


class NewPartnership(_In):
    title: Name
    partners: list[NewPartner] = Field(min_length=MIN_PARTNERS, max_length=MAX_PARTNERS)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class CreatedPartner(_Out):
    id: str
    name: str
    party: Party
    token: str = Field(description="This partner's secret: shown once, never again.")


class CreatedPartnership(_Out):
    id: str
    title: str
    owner_token: str = Field(description="The owner's secret: shown once, never again.")
    partners: list[CreatedPartner]


class PartnerStatus(_Out):
    id: str
    name: str
    party: Party
    answered: bool


class FieldDivergence(_Out):
    field: str
    answers: dict[str, Any] = Field(description="Each partner's value, by partner id.")


class PartnerAdvice(_Out):
    partner_id: str
    initiation: InitiationMode
    level: CollaborationLevel
    risks: list[str] = Field(description="Ids of the risks this partner's view raises.")


class TalkThrough(_Out):
    text: str
    findings: list[str]


class Divergence(_Out):
    fields: list[FieldDivergence] = Field(description="Only the fields on which partners differ.")
    advice: list[PartnerAdvice]
    advice_differs: bool = Field(description="Whether the partners' views get a different initiation, level or risks.")
    talk_through: list[TalkThrough]


class PartnershipView(_Out):
    id: str
    title: str
    partners: list[PartnerStatus]
    divergence: Divergence | None = Field(description="null until every partner has answered.")


class Submitted(_Out):
    partner_id: str
    revision: int


class Answers(_Out):
    partner_id: str
    revision: int
    created_at: datetime
    profile: dict[str, Any]
    in_place: list[str] | None = None


class Changes(_Out):
    fields: list[str]
    initiation: tuple[InitiationMode, InitiationMode] | None
    level: tuple[CollaborationLevel, CollaborationLevel] | None
    risks_raised: list[str]
    risks_cleared: list[str]


class Assessment(_Out):
    number: int
    created_at: datetime
    profile: dict[str, Any]
    recommendation: dict[str, Any] = Field(description="The recommendation as it was made (a Recommendation).")
    knowledge_base: KnowledgeBaseRef
    changes: Changes | None = Field(description="null for the first; otherwise what changed since the previous one.")


class AssessmentList(_Out):
    assessments: list[Assessment]


class Rerun(_Out):
    number: int = Field(description="The assessment re-run.")
    made_with: KnowledgeBaseRef = Field(description="The knowledge base the assessment was made with.")
    current: KnowledgeBaseRef = Field(description="The knowledge base that answered now.")
    same_knowledge_base: bool
    recommendation: dict[str, Any] = Field(description="What the current knowledge base advises (a Recommendation).")
    changes: Changes = Field(description="From the advice as it was made to the current advice (fields: none).")
