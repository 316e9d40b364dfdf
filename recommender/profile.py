"""The project profile: the input of every service (public contract, version 1)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from annotated_types import Ge, Le
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from recommender.errors import MAX_PROBLEMS, FieldProblem, ProfileError
from recommender.text import NO_CONTROL_SCHEMA, first_control
from recommender.vocabulary import (
    EvidenceNeed,
    Funding,
    InitiationMode,
    ProjectType,
    Relationship,
    StaffStability,
)


def _plain_text(text: str | None) -> str | None:
    """Refuse terminal controls and bidi overrides: a title is shown in HTML, Markdown and terminals."""
    control = first_control(text) if text is not None else None
    if control is not None:
        raise ValueError(f"must not contain the control character U+{ord(control):04X}")
    return text


def _document_plain_text(schema: dict[str, Any]) -> None:
    """Say in the JSON Schema what :func:`_plain_text` enforces, on the string branch of the title."""
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "string":
            branch.update(NO_CONTROL_SCHEMA)


def _integral(value: Any) -> Any:
    """``46.0`` as ``46``: JSON Schema, and so the documented contract, counts it as an integer."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


class ProjectProfile(BaseModel):
    """What a partnership project looks like; the engine's input.

    Unknown fields, wrong types and out-of-range values are rejected; nothing is coerced (but a
    float with no fractional part, such as ``46.0``, is the integer JSON Schema says it is).

    Example:
        >>> p = ProjectProfile(project_type="evaluation", timeline_months=18,
        ...                    funding="co_funded", relationship="long_term",
        ...                    staff_stability="high")
        >>> p.agency_evidence_need
        'general'
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=200,
            description="The project's name, shown in reports; no control characters.",
            json_schema_extra=_document_plain_text,
        ),
        AfterValidator(_plain_text),
    ] = None
    project_type: Annotated[ProjectType, Field(description="What the research does.")]
    timeline_months: Annotated[
        int, Field(ge=1, le=120, description="Months until the final deliverable."), BeforeValidator(_integral)
    ]
    funding: Annotated[Funding, Field(description="Who pays for the work.")]
    relationship: Annotated[Relationship, Field(description="How well the partners already know each other.")]
    staff_stability: Annotated[StaffStability, Field(description="Turnover of the agency's staff on the topic.")]
    proposed_initiation: Annotated[
        InitiationMode | None,
        Field(description="The initiation the user has in mind; the engine assesses it."),
    ] = None
    agency_evidence_need: Annotated[
        EvidenceNeed, Field(description="How clearly the agency needs this evidence (policy pull).")
    ] = "general"
    uses_agency_data: Annotated[
        bool, Field(description="The work depends on data or resources the agency must provide.")
    ] = False
    politically_sensitive: Annotated[
        bool, Field(description="The topic is exposed to changes in the political environment.")
    ] = False
    in_kind_contribution: Annotated[
        bool,
        Field(
            description=(
                "The agency commits staff time, data or other in-kind input: shared risk without shared funding."
            )
        ),
    ] = False
    standing_partnership: Annotated[
        bool,
        Field(
            description=(
                "The partners work within a standing arrangement, such as an agency-funded research centre "
                "or researchers embedded in the agency."
            )
        ),
    ] = False

    def engine_fields(self) -> dict[str, str | int | bool]:
        """The fields the rules may test, with defaults applied (free text and unset fields left out)."""
        data = self.model_dump(exclude={"title"}, exclude_none=True)
        return data


@dataclass(frozen=True)
class FieldDomain:
    """The values a profile field allows, as the model declares them.

    ``kind`` is ``choice`` (a ``Literal``: ``choices`` in declared order), ``flag`` (a bool),
    ``number`` (an int from ``low`` to ``high``) or ``text`` (free text). ``optional`` says
    that ``None`` (the field left out) is allowed too.
    """

    kind: Literal["choice", "flag", "number", "text"]
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    optional: bool = False

    @property
    def bounds(self) -> tuple[int, int]:
        """``(low, high)`` of a number field (``TypeError`` for the other kinds)."""
        if self.low is None or self.high is None:
            raise TypeError(f"a {self.kind} field has no bounds")
        return self.low, self.high


@functools.cache
def field_domain(name: str) -> FieldDomain:
    """The values the profile field ``name`` allows, read from :class:`ProjectProfile`.

    Raises ``KeyError`` for a name that is not a profile field and ``TypeError`` for a field
    whose type is none of the four kinds (or a number without both bounds).

    Example:
        >>> field_domain("staff_stability").choices
        ('low', 'moderate', 'high')
        >>> d = field_domain("timeline_months"); (d.kind, d.low, d.high)
        ('number', 1, 120)
        >>> field_domain("proposed_initiation").optional
        True
    """
    info = ProjectProfile.model_fields[name]
    annotation = info.annotation
    args = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    optional = NoneType in args
    kinds = [arg for arg in args if arg is not NoneType]
    if len(kinds) == 1 and kinds[0] is bool:
        return FieldDomain("flag", optional=optional)
    if len(kinds) == 1 and kinds[0] is int:
        bounds = {type(m): m for m in info.metadata}
        try:
            low, high = int(bounds[Ge].ge), int(bounds[Le].le)
        except KeyError as exc:
            raise TypeError(f"profile field {name!r} needs both bounds (ge, le) to be enumerated") from exc
        return FieldDomain("number", low=low, high=high, optional=optional)
    if len(kinds) == 1 and kinds[0] is str:
        return FieldDomain("text", optional=optional)
    if kinds and all(get_origin(arg) is Literal for arg in kinds):
        choices = tuple(str(value) for arg in kinds for value in get_args(arg))
        return FieldDomain("choice", choices=choices, optional=optional)
    raise TypeError(f"profile field {name!r} has a type with no domain: {annotation!r}")


def problems_from(exc: ValidationError) -> list[FieldProblem]:
    """Translate pydantic's errors into field problems that name the field and the reason.

    :class:`FieldProblem` bounds the echoed name and value, however long the input's.
    """
    problems = []
    for error in exc.errors(include_url=False, include_context=False):
        field = ".".join(str(part) for part in error["loc"]) or "(body)"
        reason = error["msg"]
        if error["type"] == "extra_forbidden":
            reason = "unknown field"
        problems.append(FieldProblem(field=field, reason=reason, value=error.get("input")))
    return problems


def parse_profile(data: Any) -> ProjectProfile:
    """Validate raw data (e.g. parsed JSON) into a profile, raising :class:`ProfileError`.

    Example:
        >>> parse_profile({"project_type": "survey"})
        Traceback (most recent call last):
        ...
        recommender.errors.ProfileError: invalid input: project_type: ...
    """
    return validate_strictly(ProjectProfile, data)


M = TypeVar("M", bound=BaseModel)


def validate_strictly(model: type[M], data: Any) -> M:
    """``model`` validated from ``data``, raising :class:`ProfileError`.

    The unknown keys of a mapping are counted here, not by pydantic: a body of 100,000 unknown
    keys would otherwise cost 100,000 error objects, where the error lists only the first few.
    """
    known, unknown = split_unknown(model, data)
    problems: list[FieldProblem] = []
    try:
        if not unknown:
            return model.model_validate(known)
        model.model_validate(known)
    except ValidationError as exc:
        problems = problems_from(exc)
    listed = [FieldProblem(field=str(key), reason="unknown field", value=data[key]) for key in unknown[:MAX_PROBLEMS]]
    raise ProfileError(problems + listed, total=len(problems) + len(unknown))


def split_unknown(model: type[BaseModel], data: Any) -> tuple[Any, list[Any]]:
    """``(data without the keys model does not know, those keys)`` for a mapping; ``(data, [])`` otherwise."""
    if not isinstance(data, dict):
        return data, []
    fields = model.model_fields
    unknown = [key for key in data if key not in fields]
    if not unknown:
        return data, []
    return {key: value for key, value in data.items() if key in fields}, unknown
