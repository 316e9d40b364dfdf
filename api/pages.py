"""The web pages' plumbing: their jinja2 environment, reading a form body, profile query strings,
and the edition a page was asked for, which its links and forms carry on.

The pages reuse the reports' stylesheet and base template, so a page and the report it links
to look like one site. Autoescaping is on.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode

from fastapi import Request

from api.problems import ProblemError
from recommender import FieldProblem, ProjectProfile, Recommender, field_domain

if TYPE_CHECKING:  # jinja2 is imported with the first page: a worker answers JSON without it
    from jinja2 import Environment

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
#: More fields than the plan-check form's components and the profile together; more is refused.
MAX_FIELDS = 200
#: The profile's fields, in the model's order; nothing else in a form becomes part of a profile.
PROFILE_FIELDS: tuple[str, ...] = tuple(ProjectProfile.model_fields)
_FORM_KINDS = {"flag": "checkbox", "number": "number", "text": "text", "choice": "choice"}


@functools.cache
def environment() -> Environment:
    from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

    loader = ChoiceLoader([PackageLoader("api", "templates"), PackageLoader("recommender.reports", "templates")])
    return Environment(loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_page(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


async def read_form(request: Request, *, limit: int) -> dict[str, list[str]]:
    """The url-encoded body as ``name -> values``, after checking its media type and size."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != FORM_MEDIA_TYPE:
        raise ProblemError(415, "Unsupported Media Type", f"Send the form as {FORM_MEDIA_TYPE}.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ProblemError(413, "Content Too Large", f"The form is larger than the limit of {limit} bytes.")
    try:
        return parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError as exc:  # more fields than any form of ours has
        raise ProblemError(400, "Bad Request", f"The form has more than {MAX_FIELDS} fields.") from exc


def query_values(request: Request) -> dict[str, list[str]]:
    """The query string as ``name -> values``."""
    values: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        values.setdefault(name, []).append(value)
    return values


def edition(request: Request, recommender: Recommender) -> dict[str, str]:
    """``{"knowledge_base": version}`` when the request named the edition that answers it (the
    recommender is that edition's), for the page's links and forms to carry on; else nothing, and
    the links name no edition, as before editions could be chosen."""
    return {"knowledge_base": recommender.kb.version} if "knowledge_base" in request.query_params else {}


def on_edition(path: str, chosen: Mapping[str, str]) -> str:
    """``path`` on the edition ``chosen`` (as :func:`edition` gives it): with its query, or as it is.

    >>> on_edition("/partnerships/new", {"knowledge_base": "2026.12.1"}), on_edition("/", {})
    ('/partnerships/new?knowledge_base=2026.12.1', '/')
    """
    return f"{path}?{urlencode(chosen)}" if chosen else path


def profile_text(values: Mapping[str, list[str]]) -> dict[str, str]:
    """The profile fields among ``values`` as typed (the last value of each); other names ignored."""
    return {name: values[name][-1] for name in PROFILE_FIELDS if name in values}


def profile_query(profile: ProjectProfile, **extra: str | list[str]) -> str:
    """A query string that spells ``profile`` (and ``extra`` parameters), for links to its pages.

    Only the fields the person gave are spelled out, so that every page reached by a link still
    marks the answers left at their defaults.
    """
    pairs: list[tuple[str, str]] = []
    for name, value in profile.model_dump(exclude_none=True, exclude_unset=True).items():
        pairs.append((name, ("true" if value else "false") if isinstance(value, bool) else str(value)))
    for name, extra_value in extra.items():
        pairs += [(name, v) for v in (extra_value if isinstance(extra_value, list) else [extra_value])]
    return urlencode(pairs)


def field_kind(name: str) -> str:
    """How the form asks for a profile field: ``choice``, ``number``, ``checkbox`` or ``text``."""
    return _FORM_KINDS[field_domain(name).kind]


def errors_by_field(problems: list[FieldProblem]) -> dict[str, list[str]]:
    """Each problem's reason under the profile field it names (``(body)`` for the rest)."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        field = problem.field.split(".")[-1].split("[")[0]
        errors.setdefault(field if field in PROFILE_FIELDS else "(body)", []).append(problem.reason)
    return errors
