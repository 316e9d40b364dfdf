"""Request and response schemas of the HTTP API, where they differ from the library's models."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from api.problems import Problem
from recommender import ProjectProfile, Recommendation, WhatIfRequest
from recommender.partnerships import NewPartnership

#: The most profiles one batch request may hold.
MAX_BATCH = 500


class BatchRequest(BaseModel):
    """A portfolio of profiles. Each item is validated on its own, so one bad item fails only itself."""

    model_config = ConfigDict(extra="forbid", strict=True)

    profiles: Annotated[
        list[Any],
        Field(min_length=1, max_length=MAX_BATCH, description=f"1 to {MAX_BATCH} project profiles."),
        # Items are meant to be profiles, but any JSON value is accepted here: each item is
        # validated on its own and an invalid one is answered with its own problem.
        WithJsonSchema(
            {
                "type": "array",
                "items": {"anyOf": [{"$ref": "#/components/schemas/ProjectProfile"}, {}]},
                "minItems": 1,
                "maxItems": MAX_BATCH,
                "description": f"1 to {MAX_BATCH} project profiles; an invalid item gets its own problem.",
            }
        ),
    ]


class BatchRecommendation(BaseModel):
    """An item of the batch that was answered."""

    index: int = Field(ge=0, description="The item's position in `profiles`.")
    status: Literal[200] = 200
    recommendation: Recommendation


class BatchProblem(BaseModel):
    """An item of the batch that was rejected, with its own problem."""

    index: int = Field(ge=0, description="The item's position in `profiles`.")
    status: Literal[422] = 422
    problem: Problem


class BatchResponse(BaseModel):
    """One result per profile, in the order given."""

    results: list[BatchRecommendation | BatchProblem]


class Counts(BaseModel):
    findings: int
    risks: int
    mitigations: int
    rules: int


class KnowledgeBaseSummary(BaseModel):
    """Which knowledge base answers, and how much it holds."""

    version: str
    title: str
    digest: str = Field(description="SHA-256 of the validated content; part of every recommendation.")
    counts: Counts


class LoadedKnowledgeBase(KnowledgeBaseSummary):
    """One of the knowledge bases this service answers with."""

    default: bool = Field(description="Whether a request that names no `knowledge_base` gets this one.")


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    version: str
    digest: str


#: Models that only appear in request bodies, added to the OpenAPI components by hand.
REQUEST_MODELS: tuple[type[BaseModel], ...] = (ProjectProfile, BatchRequest, WhatIfRequest, Problem, NewPartnership)
