"""The one place where errors become HTTP answers: every 4xx and 5xx is a problem (RFC 9457)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.middleware import REQUEST_ID_HEADER
from api.problems import PROBLEM_MEDIA_TYPE, FieldError, Problem, ProblemError
from recommender import (
    MAX_PROBLEMS,
    EngineError,
    FieldProblem,
    ForbiddenError,
    KnowledgeBaseError,
    NotFoundError,
    ProfileError,
    RecommenderError,
    StorageError,
    UnauthenticatedError,
    UnknownKnowledgeBaseError,
)

#: The most offending fields one answer lists; the detail says how many more there are.
MAX_LISTED_ERRORS = MAX_PROBLEMS


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _invalid(problems: Sequence[FieldProblem], total: int) -> ProblemError:
    """A 422 listing the first :data:`MAX_LISTED_ERRORS` of ``total`` problems (names and values bounded)."""
    detail = f"{total} field(s) are invalid; nothing was guessed."
    if total > min(len(problems), MAX_LISTED_ERRORS):
        listed = min(len(problems), MAX_LISTED_ERRORS)
        detail += f" The first {listed} are listed, and {total - listed} more."
    errors = [FieldError(field=p.field, reason=p.reason, value=p.value) for p in problems[:MAX_LISTED_ERRORS]]
    return ProblemError(422, "Invalid input", detail, slug="invalid-input", errors=errors)


def _classify(exc: Exception) -> ProblemError:
    """Domain and framework errors as problems; anything unknown is an internal error that says no more."""
    match exc:
        case ProblemError():
            return exc
        case ProfileError():
            return _invalid(exc.problems, exc.total)
        case RequestValidationError():
            locations = [(".".join(str(part) for part in e["loc"]) or "(body)", str(e["msg"])) for e in exc.errors()]
            return _invalid([FieldProblem(field=f, reason=r) for f, r in locations[:MAX_LISTED_ERRORS]], len(locations))
        case KnowledgeBaseError():
            # The file's name and the reason only: a KnowledgeBaseError never holds a server path.
            return ProblemError(503, "Knowledge base unavailable", str(exc), slug="knowledge-base-unavailable")
        case EngineError():
            detail = "The inference engine failed; this is a defect, not bad input."
            return ProblemError(500, "Engine error", detail, slug="engine-error")
        case StarletteHTTPException():
            return ProblemError(exc.status_code, _phrase(exc.status_code), str(exc.detail))
        case UnauthenticatedError():
            return ProblemError(401, "Unauthorized", str(exc), slug="unauthorized")
        case NotFoundError():
            return ProblemError(404, "Not Found", str(exc))
        case ForbiddenError():
            return ProblemError(403, "Forbidden", str(exc), slug="forbidden")
        case UnknownKnowledgeBaseError():
            detail = f"No knowledge base of version {exc.version!r} is loaded; GET /v1/knowledge-bases lists them."
            named = [
                FieldError(field="knowledge_base", reason="not a loaded knowledge-base version", value=exc.version)
            ]
            return ProblemError(404, "Not Found", detail, slug="unknown-knowledge-base", errors=named)
        case StorageError():
            return ProblemError(503, "Storage unavailable", "The partnerships database is unavailable.", slug="storage")
        case RecommenderError():
            return ProblemError(500, "Recommender error", "The recommender failed.", slug="recommender-error")
        case _:
            return ProblemError(500, _phrase(500), "An unexpected error occurred.")


def problem_for(exc: Exception, request_id: str | None = None) -> Problem:
    """The problem that answers ``exc``.

    Example:
        >>> problem_for(ProfileError([])).status
        422
    """
    known = _classify(exc)
    return Problem(
        type=known.type,
        title=known.title,
        status=known.status,
        detail=known.detail,
        request_id=request_id,
        errors=known.errors,
    )


def _routes(routes: Sequence[Any]) -> Iterator[Any]:
    """Every route, those of included routers too (FastAPI wraps an included router in one route)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        else:
            yield route


def _allowed(request: Request) -> list[str]:
    """Every method some route of the app answers on this request's path."""
    methods: set[str] = set()
    probe = {**request.scope, "method": "\x00"}  # no route has this method: a path match is PARTIAL
    for route in _routes(request.app.router.routes):
        match, _ = route.matches(probe)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def handle(request: Request, exc: Exception) -> ProblemResponse:
    """The exception handler for every error, registered once per error class in :func:`install`."""
    request_id: Any = getattr(request.state, "request_id", None)
    headers: dict[str, str] = dict(getattr(exc, "headers", None) or {})
    if isinstance(request_id, str):
        # Set here too: a 500 is sent from outside the middleware that adds it to every other answer.
        headers[REQUEST_ID_HEADER] = request_id
    problem = problem_for(exc, request_id if isinstance(request_id, str) else None)
    if isinstance(exc, UnauthenticatedError):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, StarletteHTTPException) and exc.status_code == 405:
        # Starlette names the methods of the first route on the path only; a path may have several.
        headers["Allow"] = ", ".join(_allowed(request)) or headers.get("Allow", "")
    return ProblemResponse(
        problem.model_dump(mode="json", exclude_none=True), status_code=problem.status, headers=headers
    )


def install(app: FastAPI) -> None:
    for error_class in (RecommenderError, ProblemError, StarletteHTTPException, RequestValidationError, Exception):
        app.add_exception_handler(error_class, handle)
