"""The knowledge bases this service answers with, side by side: a request names one with
``?knowledge_base=VERSION``."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import KnowledgeBasesDep
from api.examples import json_only_examples
from api.negotiation import JsonOnlyDep
from api.openapi import problems
from api.routes.knowledge_base import counts_of
from api.schemas import LoadedKnowledgeBase

router = APIRouter(
    prefix="/v1/knowledge-bases",
    tags=["knowledge base"],
    responses=problems(406, 422, 503, examples=json_only_examples()),
    dependencies=[JsonOnlyDep],
)


@router.get("", operation_id="listKnowledgeBases")
def list_knowledge_bases(bases: KnowledgeBasesDep) -> list[LoadedKnowledgeBase]:
    """Every knowledge base this service answers with, the default first: its version (what
    `?knowledge_base=` names), title, digest and counts."""
    default = bases.default
    return [
        LoadedKnowledgeBase(
            version=r.kb.version, title=r.kb.title, digest=r.kb.digest, counts=counts_of(r.kb), default=r is default
        )
        for r in bases
    ]
