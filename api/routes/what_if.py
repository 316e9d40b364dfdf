"""What-if: which changes to a profile would change the recommendation."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ProfileBody, RecommenderDep
from api.examples import PROFILE_EXAMPLES
from api.openapi import json_body, problems
from recommender import WhatIf, what_if

router = APIRouter(prefix="/v1/what-if", tags=["what-if"])


@router.post(
    "",
    response_model=WhatIf,
    responses=problems(400, 413, 415, 422, 503),
    openapi_extra=json_body("ProjectProfile", PROFILE_EXAMPLES, "The project profile to explore."),
)
def create_what_if(profile: ProfileBody, recommender: RecommenderDep) -> WhatIf:
    """For each field, the other values that would change the recommended initiation mode or
    collaboration level, and to what (a timeline change comes with the range of months it stands
    for); and the smallest set of changes that would make co-production the recommended level.
    Every answer comes from running the engine on the changed profile.
    """
    return what_if(profile, recommender=recommender)
