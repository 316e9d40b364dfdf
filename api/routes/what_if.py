"""What-if: which changes to a profile would change the recommendation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.body import read_json
from api.deps import RecommenderDep, SettingsDep
from api.examples import WHAT_IF_EXAMPLES, what_if_examples
from api.lanes import in_heavy_lane
from api.negotiation import REPORT_RESPONSES, ReportFormatDep, negotiate_async
from api.openapi import answer_example, json_body, problems
from recommender import Recommender, WhatIf, WhatIfRequest, parse_profile, parse_what_if_request, render, what_if

router = APIRouter(prefix="/v1/what-if", tags=["what-if"])

_ENVELOPE = ("profile", "keep")


def _what_if_request(data: Any) -> WhatIfRequest:
    if isinstance(data, dict) and any(name in data for name in _ENVELOPE):
        return parse_what_if_request(data)
    return WhatIfRequest(profile=parse_profile(data))


async def what_if_body(request: Request, settings: SettingsDep) -> WhatIfRequest:
    """``{"profile": {...}, "keep": [...]}``, or a bare profile (nothing held fixed), every bad field named
    (a large body is parsed and validated off the event loop)."""
    return await read_json(request, limit=settings.max_body_bytes, then=_what_if_request, heavy=True)


WhatIfBody = Annotated[WhatIfRequest, Depends(what_if_body)]


def _example_answer(recommender: Recommender) -> WhatIf:
    body = parse_what_if_request(WHAT_IF_EXAMPLES["grant_holder"]["value"])
    return what_if(body.profile, recommender=recommender, keep=body.keep)


answer_example("whatIf", _example_answer)


@router.post(
    "",
    operation_id="whatIf",
    response_model=WhatIf,
    responses=problems(400, 406, 413, 415, 422, 503, examples=what_if_examples()) | REPORT_RESPONSES,
    openapi_extra=json_body(
        ["WhatIfRequest", "ProjectProfile"],
        WHAT_IF_EXAMPLES,
        "The project profile to explore and the fields to hold fixed (`keep`); a bare profile holds none.",
    ),
)
async def create_what_if(
    request: Request, body: WhatIfBody, recommender: RecommenderDep, fmt: ReportFormatDep
) -> WhatIf | Response:
    """For each field, the other values that would change the recommended initiation mode or
    collaboration level, and to what (a timeline change comes with the range of months it stands
    for); and the smallest set of changes that would make co-production the recommended level.
    Every answer comes from running the engine on the changed profile.

    Fields named in `keep` are held fixed (a grant holder cannot change who pays): they are not
    varied and no path to co-production changes them. A name that is not a profile field is
    rejected (422) naming `keep[i]`.
    `Accept: text/html`, `text/markdown`, the Word or the PDF media type (or `?format=html|md|docx|pdf`)
    returns the report a person reads; Word and PDF come as a named attachment.
    """
    # Up to hundreds of evaluations: in the worker's lane for long work, off the event loop.
    result = await in_heavy_lane(request, lambda: what_if(body.profile, recommender=recommender, keep=body.keep))
    return await negotiate_async(fmt, result, lambda f: render(result, f, recommender=recommender))
