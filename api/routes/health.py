"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import RecommenderDep
from api.examples import json_only_examples
from api.negotiation import JsonOnlyDep
from api.openapi import problems
from api.problems import ProblemError
from api.schemas import Health, Readiness
from recommender import EngineError, ProjectProfile

router = APIRouter(
    tags=["operations"], responses=problems(406, 422, examples=json_only_examples()), dependencies=[JsonOnlyDep]
)

#: The profile the readiness probe asks about.
PROBE = ProjectProfile(
    project_type="evaluation",
    timeline_months=12,
    funding="co_funded",
    relationship="prior_project",
    staff_stability="moderate",
    proposed_initiation="researcher",
)


@router.get("/healthz", operation_id="getLiveness")
def healthz() -> Health:
    """200 while the process can answer HTTP."""
    return Health()


@router.get("/readyz", operation_id="getReadiness", responses=problems(503))
def readyz(recommender: RecommenderDep) -> Readiness:
    """200 once the knowledge base is loaded and the engine answers a probe profile; 503 otherwise."""
    try:
        recommender.fired_rules(PROBE)  # the engine itself, every time: never a cached answer
    except EngineError as exc:
        raise ProblemError(503, "Not ready", "The engine did not answer the probe profile.", slug="not-ready") from exc
    return Readiness(version=recommender.kb.version, digest=recommender.kb.digest)
