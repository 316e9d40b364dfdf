"""The bare floor: what a user who needs only the answer's bytes would run instead of the API.

A plain Starlette app (no project middleware, no dependency injection, no content negotiation)
that reads the body, validates it as a :class:`~recommender.ProjectProfile` with pydantic
(422 otherwise) and answers a constant, pre-serialised recommendation of the same size as the
API's. ``bench/http_load.py`` serves it under the same uvicorn settings as
``partnership-recommender serve`` (uvloop, httptools, no access log), one worker:

    python -m uvicorn bench.bare_floor:app --workers 1 --no-access-log
"""

from __future__ import annotations

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from recommender import ProjectProfile, Recommender

#: The answer to a typical profile, serialised once.
ANSWER = (
    Recommender.from_directory()
    .recommend(
        ProjectProfile(
            title="A typical project, named",
            project_type="evaluation",
            timeline_months=18,
            funding="external_grant",
            relationship="prior_project",
            staff_stability="moderate",
            proposed_initiation="researcher",
        )
    )
    .model_dump_json()
    .encode()
)


async def recommend(request: Request) -> Response:
    try:
        ProjectProfile.model_validate_json(await request.body())
    except ValidationError:
        return Response(b'{"title":"invalid"}', status_code=422, media_type="application/json")
    return Response(ANSWER, media_type="application/json")


app = Starlette(routes=[Route("/v1/recommendations", recommend, methods=["POST"])])
