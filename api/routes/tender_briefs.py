"""Tender briefs: a profile in; clauses, bid-assessment questions and agency commitments out."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ProfileBody, RecommenderDep
from api.examples import PROFILE_EXAMPLES
from api.openapi import json_body, problems
from recommender import TenderBrief, tender_brief

router = APIRouter(prefix="/v1/tender-briefs", tags=["tender briefs"])


@router.post(
    "",
    response_model=TenderBrief,
    responses=problems(400, 413, 415, 422, 503),
    openapi_extra=json_body("ProjectProfile", PROFILE_EXAMPLES, "The project profile of the work to tender."),
)
def create_tender_brief(profile: ProfileBody, recommender: RecommenderDep) -> TenderBrief:
    """Scope a tender: the recommended initiation and collaboration level with their reasons, the
    clauses to put in the tender, questions for assessing bids (with the signs of over-promising)
    and what the agency commits to provide. Every item cites findings of the study.
    """
    return tender_brief(profile, recommender=recommender)
