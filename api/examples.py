"""Examples for the OpenAPI documentation: one profile per project type, and the problems the
API answers with, each made by the code that makes the real answer where that code is public."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from api.body import decode
from api.errors import problem_for
from api.negotiation import REPORT_FORMATS, not_acceptable
from api.problems import ProblemError
from api.settings import MIB
from recommender import (
    ForbiddenError,
    NotFoundError,
    UnauthenticatedError,
    UnknownKnowledgeBaseError,
    parse_plan_check,
    parse_profile,
    parse_what_if_request,
)

PROFILE_EXAMPLES: dict[str, dict[str, Any]] = {
    "evidence_review": {
        "summary": "A rapid evidence review the agency commissions",
        "value": {
            "title": "Rapid review of falls prevention",
            "project_type": "evidence_review",
            "timeline_months": 4,
            "funding": "agency_commissioned",
            "relationship": "none",
            "staff_stability": "moderate",
            "agency_evidence_need": "specific",
        },
    },
    "data_analysis": {
        "summary": "An analysis of the agency's linked data",
        "value": {
            "project_type": "data_analysis",
            "timeline_months": 9,
            "funding": "external_grant",
            "relationship": "prior_project",
            "staff_stability": "moderate",
            "uses_agency_data": True,
        },
    },
    "evaluation": {
        "summary": "A co-funded evaluation between long-standing partners",
        "value": {
            "project_type": "evaluation",
            "timeline_months": 24,
            "funding": "co_funded",
            "relationship": "long_term",
            "staff_stability": "high",
        },
    },
    "implementation": {
        "summary": "An implementation study proposed by researchers",
        "value": {
            "project_type": "implementation",
            "timeline_months": 36,
            "funding": "external_grant",
            "relationship": "prior_project",
            "staff_stability": "low",
            "proposed_initiation": "researcher",
            "politically_sensitive": True,
        },
    },
    "intervention": {
        "summary": "An unfunded intervention study with a new partner",
        "value": {
            "project_type": "intervention",
            "timeline_months": 18,
            "funding": "unfunded",
            "relationship": "none",
            "staff_stability": "high",
            "agency_evidence_need": "none",
        },
    },
}

BATCH_EXAMPLES: dict[str, dict[str, Any]] = {
    "portfolio": {
        "summary": "A portfolio with one project of each type",
        "value": {"profiles": [example["value"] for example in PROFILE_EXAMPLES.values()]},
    },
}

WHAT_IF_EXAMPLES: dict[str, dict[str, Any]] = {
    "grant_holder": {
        "summary": "A grant holder who cannot change who pays or the agency's staffing",
        "value": {"profile": PROFILE_EXAMPLES["data_analysis"]["value"], "keep": ["funding", "staff_stability"]},
    },
    "bare_profile": {
        "summary": "A bare profile: every field may change",
        "value": PROFILE_EXAMPLES["evaluation"]["value"],
    },
}

#: Invalid bodies, one per kind of request, whose 422 answers are documented as examples.
INVALID_PROFILE: dict[str, Any] = {**PROFILE_EXAMPLES["evaluation"]["value"], "timeline_months": 0, "funding": "?"}
INVALID_PLAN_CHECK: dict[str, Any] = {
    "profile": PROFILE_EXAMPLES["evaluation"]["value"],
    "plan": {"in_place": ["aims_in_writing", 7]},
}
INVALID_WHAT_IF: dict[str, Any] = {"profile": PROFILE_EXAMPLES["evaluation"]["value"], "keep": ["who_pays"]}


def _problem(exc: Exception) -> dict[str, Any]:
    """The problem the API answers ``exc`` with, as an example value."""
    return problem_for(exc).model_dump(mode="json", exclude_none=True)


def _raised(action: Callable[[], object]) -> Exception:
    try:
        action()
    except Exception as exc:  # the example is whatever the real code raises
        return exc
    raise AssertionError("the example input was accepted")  # pragma: no cover - a broken example


def _example(summary: str, exc: Exception) -> dict[str, dict[str, Any]]:
    return {"problem": {"summary": summary, "value": _problem(exc)}}


@functools.cache
def problem_examples() -> dict[int, dict[str, dict[str, Any]]]:
    """Status -> the examples of its problem answer (``examples`` of an OpenAPI media type)."""
    return {
        400: _example("The body is not JSON", _raised(lambda: decode(b'{"project_type": '))),
        404: _example("No such path", HTTPException(404)),
        405: _example("A path asked with a method it does not have", HTTPException(405)),
        406: _example("An Accept header no format satisfies", not_acceptable(REPORT_FORMATS)),
        413: _example(
            "A body over the limit (PARTNERSHIP_MAX_BODY_BYTES)",
            ProblemError(413, "Content Too Large", f"The body is larger than the limit of {MIB} bytes."),
        ),
        415: _example(
            "A body that is not sent as JSON",
            ProblemError(415, "Unsupported Media Type", "Send the body as application/json."),
        ),
        422: _example("Fields out of range or unknown", _raised(lambda: parse_profile(INVALID_PROFILE))),
        503: _example(
            "The knowledge base is not loaded yet",
            ProblemError(503, "Not ready", "The knowledge base is not loaded yet.", slug="not-ready"),
        ),
    }


@functools.cache
def json_only_examples() -> dict[int, dict[str, dict[str, Any]]]:
    """The 406 and 422 examples of a resource that is JSON only."""
    unknown_format = RequestValidationError(
        [{"loc": ("query", "format"), "msg": "Input should be 'json'", "type": "literal_error", "input": "html"}]
    )
    return {
        406: _example("An Accept header without JSON", not_acceptable(("json",))),
        422: _example("A format other than json", unknown_format),
    }


@functools.cache
def plan_check_examples() -> dict[int, dict[str, dict[str, Any]]]:
    """The 422 example of a plan check: a bad component id, named by its place."""
    return {422: _example("A component id that is not a string", _raised(lambda: parse_plan_check(INVALID_PLAN_CHECK)))}


@functools.cache
def what_if_examples() -> dict[int, dict[str, dict[str, Any]]]:
    """The 422 example of a what-if: a field to keep that the profile does not have."""
    return {422: _example("An unknown field to keep", _raised(lambda: parse_what_if_request(INVALID_WHAT_IF)))}


NEW_PARTNERSHIP_EXAMPLES: dict[str, dict[str, Any]] = {
    "two_partners": {
        "summary": "An agency team and a university",
        "value": {
            "title": "Evaluating the housing programme",
            "partners": [
                {"name": "Housing policy team", "party": "policy_agency"},
                {"name": "University evaluation group", "party": "researchers"},
            ],
        },
    }
}


@functools.cache
def unknown_knowledge_base_examples() -> dict[int, dict[str, dict[str, Any]]]:
    """The 404 of a request naming a knowledge-base version that is not loaded (``?knowledge_base=``)."""
    return {404: _example("An unknown knowledge_base", UnknownKnowledgeBaseError("1999.1", known=["2026.12.1"]))}


@functools.cache
def partnership_examples() -> dict[int, dict[str, dict[str, Any]]]:
    """The 401, 403 and 404 examples of the partnership routes (the token rules)."""
    return {
        401: _example(
            "No token, or one that opens no partnership", UnauthenticatedError("the token opens no partnership")
        ),
        403: _example(
            "A partner writing another partner's answers", ForbiddenError("only this partner may submit its answers")
        ),
        404: _example("A token of another partnership", NotFoundError("no such partnership")),
    }
