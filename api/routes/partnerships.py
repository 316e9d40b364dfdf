"""Stored partnerships (contract: "Partnerships"). Thin: each route reads the token and the body,
calls one service, and answers; the services check every token rule."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

import recommender.partnerships as partnerships  # its services (the ORM) are imported on first use
from api.body import read_json
from api.deps import RecommenderDep, SettingsDep
from api.examples import NEW_PARTNERSHIP_EXAMPLES, PROFILE_EXAMPLES, json_only_examples, partnership_examples
from api.negotiation import (
    REPORT_FORMATS,
    REPORT_RESPONSES,
    JsonOnlyDep,
    not_acceptable,
    preferred_format,
    report_response,
)
from api.openapi import json_body, problems
from api.problems import ProblemError
from recommender import AnswerFormat, ProjectProfile, parse_profile, validate_strictly
from recommender.partnerships import (
    Answers,
    Assessment,
    AssessmentList,
    CreatedPartnership,
    Divergence,
    NewPartnership,
    PartnershipView,
    Rerun,
    SqlAlchemyUnitOfWork,
    Submitted,
    database,
    divergence_report,
)
from recommender.reports import build_divergence, render

#: Sent with every answer here: requests and some answers carry tokens.
NO_LEAK_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _no_leak(response: Response) -> None:
    response.headers.update(NO_LEAK_HEADERS)


router = APIRouter(
    prefix="/v1/partnerships",
    tags=["partnerships"],
    dependencies=[Depends(_no_leak)],
    responses=problems(400, 401, 404, 406, 422, 503, examples=partnership_examples() | json_only_examples()),
)
#: Every route but the divergence (JSON or its report in any format) answers JSON only.
_JSON = [JsonOnlyDep]
_BODY = (413, 415, 422)


async def get_uow(request: Request) -> SqlAlchemyUnitOfWork:
    storage: Any = getattr(request.app.state, "partnerships", None)
    if not isinstance(storage, database.Storage):
        raise ProblemError(503, "Not ready", "The partnerships database is not open yet.", slug="not-ready")
    return SqlAlchemyUnitOfWork(storage.engine)


async def get_token(request: Request) -> str | None:
    """The bearer token of ``Authorization``, if any (never logged)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


UowDep = Annotated[SqlAlchemyUnitOfWork, Depends(get_uow)]
TokenDep = Annotated[str | None, Depends(get_token)]


async def _new_partnership(request: Request, settings: SettingsDep) -> NewPartnership:
    return await read_json(request, limit=settings.max_body_bytes, then=lambda d: validate_strictly(NewPartnership, d))


async def _profile(request: Request, settings: SettingsDep) -> ProjectProfile:
    return await read_json(request, limit=settings.max_body_bytes, then=parse_profile)


async def _answers(
    request: Request, settings: SettingsDep, recommender: RecommenderDep
) -> tuple[ProjectProfile, list[str] | None]:
    return await read_json(
        request, limit=settings.max_body_bytes, then=lambda d: partnerships.services.parse_answers(d, recommender)
    )


@router.post(
    "",
    dependencies=_JSON,
    operation_id="createPartnership",
    status_code=201,
    responses=problems(*_BODY),
    openapi_extra=json_body("NewPartnership", NEW_PARTNERSHIP_EXAMPLES, "The partnership and its 2 to 10 partners."),
)
def create_partnership(uow: UowDep, new: Annotated[NewPartnership, Depends(_new_partnership)]) -> CreatedPartnership:
    """Store a partnership with 2 to 10 partners. The answer holds the owner's token and each
    partner's: they are shown only this once."""
    return partnerships.services.create_partnership(uow, new)


@router.get("/{partnership_id}", operation_id="getPartnership", dependencies=_JSON)
def get_partnership(partnership_id: str, uow: UowDep, token: TokenDep, recommender: RecommenderDep) -> PartnershipView:
    """The partnership and who has answered; once every partner has, where their views diverge."""
    return partnerships.services.get_partnership(uow, partnership_id, token, recommender)


@router.delete(
    "/{partnership_id}",
    dependencies=_JSON,
    operation_id="deletePartnership",
    status_code=204,
    responses=problems(403, examples=partnership_examples()),
)
def delete_partnership(partnership_id: str, uow: UowDep, token: TokenDep) -> Response:
    """Delete the partnership and everything about it (the owner only)."""
    partnerships.services.delete_partnership(uow, partnership_id, token)
    return Response(status_code=204, headers=NO_LEAK_HEADERS)


@router.put(
    "/{partnership_id}/partners/{partner_id}/answers",
    dependencies=_JSON,
    operation_id="submitPartnerAnswers",
    responses=problems(403, *_BODY, examples=partnership_examples()),
    openapi_extra=json_body(
        "ProjectProfile",
        PROFILE_EXAMPLES,
        'This partner\'s view of the profile; optionally `"in_place": [component id]`.',
    ),
)
def submit_answers(
    partnership_id: str,
    partner_id: str,
    uow: UowDep,
    token: TokenDep,
    answers: Annotated[tuple[ProjectProfile, list[str] | None], Depends(_answers)],
) -> Submitted:
    """Store this partner's view of the project profile (optionally with `in_place`) as a new revision."""
    profile, in_place = answers
    return partnerships.services.submit_answers(uow, partnership_id, partner_id, token, profile, in_place)


@router.get(
    "/{partnership_id}/partners/{partner_id}/answers",
    dependencies=_JSON,
    operation_id="getPartnerAnswers",
    responses=problems(403, examples=partnership_examples()),
)
def read_answers(partnership_id: str, partner_id: str, uow: UowDep, token: TokenDep) -> Answers:
    """This partner's latest answers: for that partner, and for everyone once all have answered."""
    return partnerships.services.read_answers(uow, partnership_id, partner_id, token)


@router.post(
    "/{partnership_id}/assessments",
    dependencies=_JSON,
    operation_id="createAssessment",
    status_code=201,
    responses=problems(403, *_BODY, examples=partnership_examples()),
    openapi_extra=json_body("ProjectProfile", PROFILE_EXAMPLES, "The profile the partners agreed."),
)
def record_assessment(
    partnership_id: str,
    uow: UowDep,
    token: TokenDep,
    recommender: RecommenderDep,
    profile: Annotated[ProjectProfile, Depends(_profile)],
) -> Assessment:
    """Record an assessment on the agreed profile (the owner only), with what changed since the last."""
    return partnerships.services.record_assessment(uow, partnership_id, token, profile, recommender)


@router.get("/{partnership_id}/assessments", operation_id="listAssessments", dependencies=_JSON)
def list_assessments(partnership_id: str, uow: UowDep, token: TokenDep) -> AssessmentList:
    """Every assessment, oldest first, each with what changed since the one before."""
    return partnerships.services.list_assessments(uow, partnership_id, token)


@router.get(
    "/{partnership_id}/assessments/{number}/rerun",
    operation_id="rerunAssessment",
    dependencies=_JSON,
)
def rerun_assessment(
    partnership_id: str, number: str, uow: UowDep, token: TokenDep, recommender: RecommenderDep
) -> Rerun:
    """Assessment `number`'s profile advised by the current knowledge base (owner or partner).

    The assessment itself still reads as it was made; this answer says what the newer knowledge
    advises and what changed: initiation, level, risks raised and cleared. Nothing is stored.
    A number that is no assessment's (not 1, 2, ...) is a 404."""
    return partnerships.services.rerun_assessment(uow, partnership_id, number, token, recommender)


DivergenceFormat = Annotated[
    Literal[AnswerFormat, "markdown"] | None,
    Query(description="json (default), html, md (or markdown), docx or pdf; overrides the Accept header."),
]


@router.get(
    "/{partnership_id}/divergence",
    operation_id="getDivergence",
    response_model=Divergence,
    responses=problems(403, examples=partnership_examples()) | REPORT_RESPONSES,
)
def get_divergence(
    partnership_id: str,
    request: Request,
    uow: UowDep,
    token: TokenDep,
    recommender: RecommenderDep,
    format: DivergenceFormat = None,
) -> Response:
    """Where the partners' views diverge (owner or partner) once every partner has answered (403
    before): as JSON, or as the report in words (`?format=html|md|docx|pdf`, `markdown` for `md`,
    or the matching `Accept`): the answers that differ, each view's advice, what to talk through first."""
    chosen = "md" if format == "markdown" else format or preferred_format(request.headers.get("accept", ""))
    if chosen is None:
        raise not_acceptable(REPORT_FORMATS)
    view = partnerships.services.get_divergence(uow, partnership_id, token, recommender)
    headers = NO_LEAK_HEADERS | {"Vary": "Accept"}
    if chosen == "json":
        assert view.divergence is not None
        return Response(view.divergence.model_dump_json(), media_type="application/json", headers=headers)
    report = divergence_report(view, recommender.kb)
    assert report is not None
    return report_response(render(build_divergence(report, recommender.kb), chosen), headers=headers)
