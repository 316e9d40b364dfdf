"""The plan components the plan check knows, so that clients can offer them as choices."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import RecommenderDep
from api.examples import json_only_examples
from api.negotiation import JsonOnlyDep
from api.openapi import problems
from recommender import Component

router = APIRouter(
    prefix="/v1/knowledge-base",
    tags=["knowledge base"],
    responses=problems(406, 422, 503, examples=json_only_examples()),
    dependencies=[JsonOnlyDep],
)


@router.get("/components", operation_id="listComponents")
def list_components(recommender: RecommenderDep) -> list[Component]:
    """Every plan component the plan check looks for: its id (for `plan.in_place`), what it is, the
    findings behind it, the risks its absence leaves open, what to add, and how its severity is set.
    """
    return list(recommender.kb.components.values())
