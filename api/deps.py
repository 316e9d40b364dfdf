"""Dependencies of the routes, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request

from api.body import read_json
from api.problems import ProblemError
from api.schemas import BatchRequest
from api.settings import Settings
from recommender import KnowledgeBases, ProjectProfile, Recommender, parse_profile, validate_strictly


# Dependencies that only read app state are async: a sync one costs a thread-pool hop per request.
async def get_settings(request: Request) -> Settings:
    settings: Any = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def loaded_knowledge_bases(request: Request) -> KnowledgeBases:
    """The knowledge bases the lifespan loaded for this worker (503 before it has)."""
    bases: Any = getattr(request.app.state, "knowledge_bases", None)
    if not isinstance(bases, KnowledgeBases):
        raise ProblemError(503, "Not ready", "The knowledge base is not loaded yet.", slug="not-ready")
    return bases


async def get_knowledge_bases(request: Request) -> KnowledgeBases:
    return loaded_knowledge_bases(request)


KnowledgeBasesDep = Annotated[KnowledgeBases, Depends(get_knowledge_bases)]


async def get_recommender(
    request: Request,
    knowledge_base: Annotated[
        str | None,
        Query(
            max_length=80,
            description="The version of the knowledge base to answer with (`GET /v1/knowledge-bases` lists them); "
            "default: the service's default one. An unknown version is answered 404.",
        ),
    ] = None,
) -> Recommender:
    """The recommender on the knowledge base the request names, else the default one."""
    return loaded_knowledge_bases(request).get(knowledge_base)


RecommenderDep = Annotated[Recommender, Depends(get_recommender)]


async def profile_body(request: Request, settings: SettingsDep) -> ProjectProfile:
    """The request body as a project profile, validated strictly by the library."""
    return await read_json(request, limit=settings.max_body_bytes, then=parse_profile)


ProfileBody = Annotated[ProjectProfile, Depends(profile_body)]


async def batch_body(request: Request, settings: SettingsDep) -> BatchRequest:
    """The request body as a batch; its items are validated one by one later."""
    return await read_json(request, limit=settings.max_body_bytes, then=_batch, heavy=True)


def _batch(data: Any) -> BatchRequest:
    return validate_strictly(BatchRequest, data)


BatchBody = Annotated[BatchRequest, Depends(batch_body)]
