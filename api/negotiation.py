"""Content negotiation: a resource answered as JSON (the default) or as a report in any format of
the reports' registry (:data:`recommender.reports.FORMATS`: an HTML page, Markdown, Word, PDF).

``?format=json|html|md|docx|pdf`` wins; otherwise the ``Accept`` header decides, by quality and then by
the server's preference (JSON first). An ``Accept`` header that none of the formats satisfies is
answered 406 (a problem); one with no media range in it at all counts as absent. A route takes
:data:`ReportFormatDep` and returns ``negotiate(fmt, result, render)``; the OpenAPI document
lists the formats through :data:`REPORT_RESPONSES`. A route that answers only JSON takes
:data:`JsonOnlyDep`, which refuses any other ``?format=`` and an ``Accept`` without JSON alike.

Example:
    >>> preferred_format("text/html,application/xhtml+xml,*/*;q=0.8")
    'html'
    >>> preferred_format("text/markdown;q=0.5, application/json")
    'json'
    >>> preferred_format("image/png") is None
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from fastapi import Response as FastAPIResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.problems import ProblemError
from recommender import ANSWER_FORMATS, AnswerFormat
from recommender.reports import FORMATS, Rendered

ReportFormat = AnswerFormat
REPORT_FORMATS: tuple[ReportFormat, ...] = ANSWER_FORMATS

MEDIA_TYPES: dict[str, str] = {"json": "application/json"} | {f.name: f.media_type for f in FORMATS.values()}

#: ``responses`` entries for a route that negotiates: the report's media types for 200.
REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The result as JSON (default), or as a report: "
        + ", ".join(f"{f.label} ({f.name})" for f in FORMATS.values())
        + ".",
        "content": {
            f.media_type: {"schema": {"type": "string", **({"format": "binary"} if f.binary else {})}}
            for f in FORMATS.values()
        },
    }
}


def preferred_format(accept: str, formats: tuple[ReportFormat, ...] = REPORT_FORMATS) -> ReportFormat | None:
    """The one of ``formats`` the ``Accept`` header prefers (the first when it names no media
    range at all); ``None`` when it accepts none of them."""
    ranges = [r for r in (_media_range(part) for part in accept.split(",")) if r is not None]
    if not ranges:
        return formats[0]
    best: ReportFormat | None = None
    best_q = 0.0
    for fmt in formats:
        q = _quality(MEDIA_TYPES[fmt], ranges)
        if q > best_q:
            best, best_q = fmt, q
    return best


def not_acceptable(formats: tuple[ReportFormat, ...]) -> ProblemError:
    """The 406 problem for an ``Accept`` header that none of ``formats`` satisfies."""
    offered = ", ".join(MEDIA_TYPES[fmt] for fmt in formats)
    return ProblemError(
        406, "Not Acceptable", f"This resource is available as {offered}; the Accept header allows none of them."
    )


def _negotiated(request: Request, formats: tuple[ReportFormat, ...]) -> ReportFormat:
    fmt = preferred_format(request.headers.get("accept", ""), formats)
    if fmt is None:
        raise not_acceptable(formats)
    return fmt


def _media_range(part: str) -> tuple[str, float] | None:
    media, *params = (piece.strip() for piece in part.split(";"))
    if "/" not in media:
        return None
    q = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = min(max(float(value), 0.0), 1.0)
            except ValueError:
                q = 0.0
    return media.lower(), q


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The quality of the most specific range matching ``media_type`` (0 when none matches)."""
    kind = media_type.split("/")[0]
    found: tuple[int, float] = (-1, 0.0)
    for media, q in ranges:
        specificity = 2 if media == media_type else 1 if media == f"{kind}/*" else 0 if media == "*/*" else -1
        if specificity > found[0]:
            found = (specificity, q)
    return found[1]


async def report_format(  # async: it only reads headers, so no thread-pool hop
    request: Request,
    response: FastAPIResponse,
    format: Annotated[
        ReportFormat | None,
        Query(description="json (default), html, md, docx or pdf; overrides the Accept header."),
    ] = None,
) -> ReportFormat:
    """The format asked for, by ``?format=`` or by ``Accept`` (406 when it accepts none)."""
    response.headers["Vary"] = "Accept"
    return format or _negotiated(request, REPORT_FORMATS)


ReportFormatDep = Annotated[ReportFormat, Depends(report_format)]


async def json_only(
    request: Request,
    response: FastAPIResponse,
    format: Annotated[
        Literal["json"] | None,
        Query(description="json, the only format of this resource (any other value is refused)."),
    ] = None,
) -> Literal["json"]:
    """For a resource that is JSON only: ``?format=json`` or an ``Accept`` that allows JSON (406 otherwise)."""
    response.headers["Vary"] = "Accept"
    if format is None:
        _negotiated(request, ("json",))
    return "json"


JsonOnlyDep = Depends(json_only)


def negotiate(fmt: ReportFormat, result: BaseModel, render: Callable[[str], Rendered]) -> Response:
    """``result`` as JSON, else the rendered report (a binary document as an attachment, named).

    JSON is serialised here from the already-validated result: letting the route's response
    model re-validate a 20 kB answer on every request would cost more than computing it.
    The route's ``response_model`` still documents the schema.
    """
    if fmt == "json":
        return Response(result.model_dump_json(), media_type=MEDIA_TYPES["json"], headers={"Vary": "Accept"})
    return report_response(render(fmt), headers={"Vary": "Accept"})


async def negotiate_async(fmt: ReportFormat, result: BaseModel, render: Callable[[str], Rendered]) -> Response:
    """:func:`negotiate` for a route on the event loop: JSON inline, a report (a PDF takes seconds)
    written in the thread pool, so that the loop keeps answering other requests meanwhile."""
    if fmt == "json":
        return negotiate(fmt, result, render)
    return await run_in_threadpool(negotiate, fmt, result, render)


def report_response(rendered: Rendered, headers: dict[str, str] | None = None) -> Response:
    """A rendered report as an answer: text shown in the browser, a Word or PDF file downloaded."""
    extra = dict(headers or {})
    if rendered.format.binary:
        extra["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return Response(rendered.content, media_type=rendered.media_type, headers=extra)
