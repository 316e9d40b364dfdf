"""Recommendations: a profile in, a recommendation out; or a whole portfolio at once."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api.deps import BatchBody, ProfileBody, RecommenderDep
from api.errors import problem_for
from api.examples import BATCH_EXAMPLES, PROFILE_EXAMPLES, json_only_examples
from api.negotiation import MEDIA_TYPES, REPORT_RESPONSES, JsonOnlyDep, ReportFormatDep, negotiate
from api.openapi import answer_example, json_body, problems
from api.schemas import MAX_BATCH, BatchProblem, BatchRecommendation, BatchResponse
from recommender import ProfileError, Recommendation, Recommender, parse_profile
from recommender.reports import render_recommendation

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
    `Accept: text/html` or `text/markdown` (or `?format=html|md`) returns the report a person reads.
    """
    # Inline on the event loop: one evaluation is a fraction of a millisecond of CPU under one
    # lock, so a thread-pool hop would only add queueing (measured with bench/http_load.py).
    if fmt == "json":  # the class's serialised answer with this profile spliced in: the same bytes, unserialised
        return Response(recommender.recommend_json(profile), media_type=MEDIA_TYPES["json"], headers={"Vary": "Accept"})
    rec = recommender.recommend(profile)
    return negotiate(fmt, rec, lambda f: render_recommendation(rec, recommender.kb, f))


@router.post(
    "/batch",
    operation_id="createRecommendationBatch",
    response_model=BatchResponse,
    responses=problems(400, 406, 413, 415, 422, 503, examples=json_only_examples()),
    dependencies=[JsonOnlyDep],
    openapi_extra=json_body("BatchRequest", BATCH_EXAMPLES, f"Up to {MAX_BATCH} project profiles."),
)
def create_recommendations(batch: BatchBody, recommender: RecommenderDep) -> BatchResponse:
    """Recommend for a portfolio of up to 500 projects. The results come back in the order given,
    each either a recommendation (`status` 200) or that item's own problem (`status` 422): one bad
    item never fails the batch.
    """
    results: list[BatchRecommendation | BatchProblem] = []
    with recommender.bulk():  # many evaluations: every single request takes the engine first
        for index, item in enumerate(batch.profiles):
            try:
                profile = parse_profile(item)
            except ProfileError as exc:
                results.append(BatchProblem(index=index, problem=problem_for(exc)))
                continue
            results.append(BatchRecommendation(index=index, recommendation=recommender.recommend(profile)))
    return BatchResponse(results=results)
