"""The bare floor: what a user who needs only the answer's bytes would run instead of the API.

A plain Starlette app (no project middleware, no dependency injection, no content negotiation)
that reads the body, validates it as a :class:`~recommender.ProjectProfile` with pydantic
(422 otherwise) and answers a constant, pre-serialised recommendation of the size the API's
answers have under distinct traffic (the median of 400 drawn as that traffic draws them).
``bench/http_load.py`` serves it under the same uvicorn settings as
``partnership-recommender serve`` (uvloop, httptools, no access log), one worker:

    python -m uvicorn bench.bare_floor:app --workers 1 --no-access-log
"""

from __future__ import annotations

import random

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from recommender import ProjectProfile, Recommender


def _median_answer(sample: int = 400) -> bytes:
    """The answer of median size among the answers to ``sample`` profiles drawn as the distinct
    traffic draws them (every field at random, a title on each), serialised once: a constant of
    the size the API's answers have under that traffic."""
    from bench.mixed_load import random_profile

    recommender = Recommender.from_directory()
    rng = random.Random(20261202)
    answers = [
        recommender.recommend(ProjectProfile.model_validate(random_profile(rng, n))).model_dump_json().encode()
        for n in range(sample)
    ]
    answers.sort(key=len)
    return answers[len(answers) // 2]


#: The constant answer.
ANSWER = _median_answer()


async def recommend(request: Request) -> Response:
    try:
        ProjectProfile.model_validate_json(await request.body())
    except ValidationError:
        return Response(b'{"title":"invalid"}', status_code=422, media_type="application/json")
    return Response(ANSWER, media_type="application/json")


app = Starlette(routes=[Route("/v1/recommendations", recommend, methods=["POST"])])
