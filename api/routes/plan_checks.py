"""Plan checks: a profile and the plan's components in place; each gap, its severity, readiness."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.body import read_json
from api.deps import RecommenderDep, SettingsDep
from api.examples import PROFILE_EXAMPLES, plan_check_examples
from api.negotiation import REPORT_RESPONSES, ReportFormatDep, negotiate
from api.openapi import COMPONENT_IDS, answer_example, json_body, problems, request_schema
from recommender import Plan, PlanCheck, PlanCheckRequest, Recommender, check_plan, parse_plan_check, render

router = APIRouter(prefix="/v1/plan-checks", tags=["plan checks"])


def _request_schema() -> dict[str, Any]:
    plan = Plan.model_json_schema()
    # The enum of component ids is the loaded knowledge base's, filled in by api.openapi.
    items: dict[str, Any] = {"type": "string", COMPONENT_IDS: True}
    plan["properties"]["in_place"].update(items=items, uniqueItems=True)
    return {
        "title": "PlanCheckRequest",
        "type": "object",
        "properties": {"profile": {"$ref": "#/components/schemas/ProjectProfile"}, "plan": plan},
        "required": ["profile", "plan"],
        "additionalProperties": False,
    }


_EXAMPLES = {
    "grant_plan": {
        "summary": "A researcher's grant plan that uses agency data",
        "value": {
            "profile": PROFILE_EXAMPLES["data_analysis"]["value"] | {"proposed_initiation": "researcher"},
            "plan": {"in_place": ["aims_in_writing", "dated_deliverables", "adequate_budget"]},
        },
    }
}
_BODY = json_body(
    request_schema("PlanCheckRequest", _request_schema()),
    _EXAMPLES,
    "The project profile and the ids of the plan components already in place.",
)


async def plan_check_body(request: Request, settings: SettingsDep) -> PlanCheckRequest:
    """The request body as a profile and a plan, every bad field named (``profile.funding``, ``plan.in_place[1]``)."""
    return await read_json(request, limit=settings.max_body_bytes, then=parse_plan_check)


PlanCheckBody = Annotated[PlanCheckRequest, Depends(plan_check_body)]


def _example_answer(recommender: Recommender) -> PlanCheck:
    body = parse_plan_check(_EXAMPLES["grant_plan"]["value"])
    return check_plan(body.profile, in_place=body.plan.in_place, recommender=recommender)


answer_example("checkPlan", _example_answer)


@router.post(
    "",
    operation_id="checkPlan",
    response_model=PlanCheck,
    responses=problems(400, 406, 413, 415, 422, 503, examples=plan_check_examples()) | REPORT_RESPONSES,
    openapi_extra=_BODY,
)
def create_plan_check(body: PlanCheckBody, recommender: RecommenderDep, fmt: ReportFormatDep) -> PlanCheck | Response:
    """Check a partnership plan against the project: each component in place or missing, each gap's
    severity for this profile with the reasons it is raised, the risks it leaves open and what to
    add, and a readiness score (strong, borderline or concern) with every input of its computation.

    An unknown or repeated component id is rejected (422) naming `plan.in_place[i]`.
    `Accept: text/html`, `text/markdown`, the Word or the PDF media type (or `?format=html|md|docx|pdf`)
    returns the report a person reads; Word and PDF come as a named attachment.
    """
    check = check_plan(body.profile, in_place=body.plan.in_place, recommender=recommender)
    return negotiate(fmt, check, lambda f: render(check, f, recommender=recommender))
