"""Tender briefs: a profile in; clauses, bid-assessment questions and agency commitments out."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api.deps import ProfileBody, RecommenderDep
from api.examples import PROFILE_EXAMPLES
from api.negotiation import REPORT_RESPONSES, ReportFormatDep, negotiate
from api.openapi import answer_example, json_body, problems
from recommender import Recommender, TenderBrief, parse_profile, render, tender_brief, tender_brief_and_recommendation

router = APIRouter(prefix="/v1/tender-briefs", tags=["tender briefs"])


def _example_answer(recommender: Recommender) -> TenderBrief:
    return tender_brief(parse_profile(PROFILE_EXAMPLES["evidence_review"]["value"]), recommender=recommender)


answer_example("createTenderBrief", _example_answer)


@router.post(
    "",
    operation_id="createTenderBrief",
    response_model=TenderBrief,
    responses=problems(400, 406, 413, 415, 422, 503) | REPORT_RESPONSES,
    openapi_extra=json_body("ProjectProfile", PROFILE_EXAMPLES, "The project profile of the work to tender."),
)
def create_tender_brief(
    profile: ProfileBody, recommender: RecommenderDep, fmt: ReportFormatDep
) -> TenderBrief | Response:
    """Scope a tender: the recommended initiation and collaboration level with their reasons, the
    clauses to put in the tender, questions for assessing bids (with the signs of over-promising)
    and what the agency commits to provide. Every item cites findings of the study.
    `Accept: text/html`, `text/markdown`, the Word or the PDF media type (or `?format=html|md|docx|pdf`)
    returns the report a person reads; Word and PDF come as a named attachment.
    """
    brief, rec = tender_brief_and_recommendation(profile, recommender=recommender)
    return negotiate(fmt, brief, lambda f: render(brief, f, recommender=recommender, recommendation=rec))
