"""Dependencies of the routes, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from api.body import read_json
from api.problems import ProblemError
from api.schemas import BatchRequest
from api.settings import Settings
from recommender import ProjectProfile, Recommender, parse_profile
from recommender.profile import validate_strictly


# Dependencies that only read app state are async: a sync one costs a thread-pool hop per request.
async def get_settings(request: Request) -> Settings:
    settings: Any = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_recommender(request: Request) -> Recommender:
    """The recommender the lifespan built for this worker."""
    recommender: Any = getattr(request.app.state, "recommender", None)
    if not isinstance(recommender, Recommender):
        raise ProblemError(503, "Not ready", "The knowledge base is not loaded yet.", slug="not-ready")
    return recommender


RecommenderDep = Annotated[Recommender, Depends(get_recommender)]


async def profile_body(request: Request, settings: SettingsDep) -> ProjectProfile:
    """The request body as a project profile, validated strictly by the library."""
    return await read_json(request, limit=settings.max_body_bytes, then=parse_profile)


ProfileBody = Annotated[ProjectProfile, Depends(profile_body)]


async def batch_body(request: Request, settings: SettingsDep) -> BatchRequest:
    """The request body as a batch; its items are validated one by one later."""
    return await read_json(request, limit=settings.max_body_bytes, then=_batch)


def _batch(data: Any) -> BatchRequest:
    return validate_strictly(BatchRequest, data)


BatchBody = Annotated[BatchRequest, Depends(batch_body)]
