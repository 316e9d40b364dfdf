"""Recommendations: a profile in, a recommendation out; or a whole portfolio at once."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import BatchBody, ProfileBody, RecommenderDep
from api.errors import problem_for
from api.examples import BATCH_EXAMPLES, PROFILE_EXAMPLES, json_only_examples
from api.lanes import in_heavy_lane
from api.negotiation import MEDIA_TYPES, REPORT_RESPONSES, JsonOnlyDep, ReportFormatDep, negotiate_async
from api.openapi import answer_example, json_body, problems
from api.schemas import MAX_BATCH, BatchProblem, BatchResponse
from recommender import ProfileError, Recommendation, Recommender, parse_profile, recommend_each_json, render

router = APIRouter(prefix="/v1/recommendations", tags=["recommendations"])

_BODY_PROBLEMS = problems(400, 406, 413, 415, 422, 503)


def _example_answer(recommender: Recommender) -> Recommendation:
    return recommender.recommend(parse_profile(PROFILE_EXAMPLES["evidence_review"]["value"]))


answer_example("createRecommendation", _example_answer)


@router.post(
    "",
    operation_id="createRecommendation",
    response_model=Recommendation,
    responses=_BODY_PROBLEMS | REPORT_RESPONSES,
    openapi_extra=json_body("ProjectProfile", PROFILE_EXAMPLES, "The project profile (contract, version 1)."),
)
async def create_recommendation(profile: ProfileBody, recommender: RecommenderDep, fmt: ReportFormatDep) -> Response:
    """Recommend an initiation mode and a collaboration level for one project, with its risks and
    mitigations, every conclusion traced to the rules that fired and the findings behind them.

    Unknown fields, wrong types and out-of-range values are rejected (422) with each field named.
    `Accept: text/html`, `text/markdown`, the Word or the PDF media type (or `?format=html|md|docx|pdf`)
    returns the report a person reads; Word and PDF come as a named attachment.
    """
    # Inline on the event loop: one evaluation is a fraction of a millisecond of CPU under one
    # lock, so a thread-pool hop would only add queueing (measured with bench/http_load.py); a
    # report is written in the thread pool.
    if fmt == "json":  # the class's serialised answer with this profile spliced in: the same bytes, unserialised
        return Response(recommender.recommend_json(profile), media_type=MEDIA_TYPES["json"], headers={"Vary": "Accept"})
    rec = recommender.recommend(profile)
    return await negotiate_async(fmt, rec, lambda f: render(rec, f, recommender=recommender))


@router.post(
    "/batch",
    operation_id="createRecommendationBatch",
    response_model=BatchResponse,
    responses=problems(400, 406, 413, 415, 422, 503, examples=json_only_examples()),
    dependencies=[JsonOnlyDep],
    openapi_extra=json_body("BatchRequest", BATCH_EXAMPLES, f"Up to {MAX_BATCH} project profiles."),
)
async def create_recommendations(request: Request, batch: BatchBody, recommender: RecommenderDep) -> Response:
    """Recommend for a portfolio of up to 500 projects. The results come back in the order given,
    each either a recommendation (`status` 200) or that item's own problem (`status` 422): one bad
    item never fails the batch.
    """
    # The BatchResponse's JSON, written around each recommendation's own JSON (the bytes a single
    # request gets) rather than validating and serialising up to 500 answers again.
    body = await in_heavy_lane(request, lambda: _batch_json(batch.profiles, recommender))
    return Response(body, media_type=MEDIA_TYPES["json"], headers={"Vary": "Accept"})


def _batch_json(profiles: list[Any], recommender: Recommender) -> bytes:
    results = [
        BatchProblem(index=index, problem=problem_for(answer)).model_dump_json().encode()
        if isinstance(answer, ProfileError)
        else b'{"index":%d,"status":200,"recommendation":%b}' % (index, answer)
        for index, answer in enumerate(recommend_each_json(profiles, recommender=recommender))
    ]
    return b'{"results":[' + b",".join(results) + b"]}"
