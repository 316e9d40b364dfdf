"""Problem details (RFC 9457): the body of every 4xx and 5xx answer, and the API's own request errors."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
#: Problems that are plain HTTP statuses, with no more specific meaning (RFC 9457, section 4.2.1).
ABOUT_BLANK = "about:blank"
_TYPE_PREFIX = "urn:partnership-recommender:problem:"


def problem_type(slug: str) -> str:
    """The ``type`` URI of one of this API's problem kinds, e.g. ``invalid-input``."""
    return _TYPE_PREFIX + slug


class FieldError(BaseModel):
    """One offending field of the input and what is wrong with it."""

    model_config = ConfigDict(extra="forbid")

    field: str = Field(
        description="The field at fault: a name, a dotted path (`profiles.3`), or `(body)`; cut to 80 characters."
    )
    reason: str = Field(description="What is wrong with it.")
    value: Any = Field(default=None, description="The offending value, when it is short enough to echo.")


class Problem(BaseModel):
    """An RFC 9457 problem: why a request was not answered."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(default=ABOUT_BLANK, description="A URI naming the kind of problem.")
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(ge=400, le=599, description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request.")
    request_id: str | None = Field(default=None, description="The request's X-Request-ID.")
    errors: list[FieldError] | None = Field(
        default=None, description="For invalid input: the offending fields, at most 20 (`detail` counts the rest)."
    )


class ProblemError(Exception):
    """A request the API refuses before the library sees it (media type, size, JSON syntax, readiness).

    Example:
        >>> ProblemError(415, "Unsupported Media Type", "send application/json").status
        415
    """

    def __init__(
        self, status: int, title: str, detail: str, *, slug: str | None = None, errors: list[FieldError] | None = None
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.type = problem_type(slug) if slug else ABOUT_BLANK
        self.errors = errors
        super().__init__(f"{status} {title}: {detail}")
