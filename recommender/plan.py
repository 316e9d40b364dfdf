"""The plan check's input: a partnership plan (the components in place) with its profile.

Example:
    >>> request = parse_plan_check({"profile": {"project_type": "evaluation", "timeline_months": 12,
    ...     "funding": "co_funded", "relationship": "long_term", "staff_stability": "high"},
    ...     "plan": {"in_place": ["aims_in_writing"]}})
    >>> request.plan.in_place
    ['aims_in_writing']
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from recommender.errors import MAX_PROBLEMS, FieldProblem, ProfileError
from recommender.profile import ProjectProfile, parse_profile, split_unknown


class Plan(BaseModel):
    """A partnership plan: the ids of the components already in place."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    in_place: Annotated[
        list[str], Field(description="Ids of the plan components in place (see the knowledge base's components).")
    ]


class PlanCheckRequest(BaseModel):
    """A profile and the plan to check against it."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    profile: ProjectProfile
    plan: Plan


def parse_plan_check(data: Any) -> PlanCheckRequest:
    """Validate raw data ``{"profile": {...}, "plan": {"in_place": [...]}}``, naming every bad field.

    Fields are named from the top: ``profile.timeline_months``, ``plan.in_place[2]``.

    Example:
        >>> parse_plan_check({"profile": {}, "plan": {"in_place": [1]}})
        Traceback (most recent call last):
        ...
        recommender.errors.ProfileError: invalid input: profile.project_type: Field required; ...
    """
    if not isinstance(data, dict):
        raise ProfileError([FieldProblem("(body)", "expected a JSON object with profile and plan")])
    _, unknown = split_unknown(PlanCheckRequest, data)
    problems = [FieldProblem(str(name), "unknown field") for name in unknown[:MAX_PROBLEMS]]
    unlisted = len(unknown) - len(problems)  # counted, not listed (a body may hold 100,000 of them)
    for name in ("profile", "plan"):
        if name not in data:
            problems.append(FieldProblem(name, "Field required"))
    profile: ProjectProfile | None = None
    if "profile" in data:
        try:
            profile = parse_profile(data["profile"])
        except ProfileError as exc:
            problems += [FieldProblem(_under("profile", p.field), p.reason, p.value) for p in exc.problems]
            unlisted += exc.total - len(exc.problems)
    plan: Plan | None = None
    if "plan" in data:
        known, unknown_in_plan = split_unknown(Plan, data["plan"])
        try:
            plan = Plan.model_validate(known)
        except ValidationError as exc:
            problems += [_plan_problem(error) for error in exc.errors(include_url=False)]
        listed = [FieldProblem(f"plan.{name}", "unknown field") for name in unknown_in_plan[:MAX_PROBLEMS]]
        problems += listed
        unlisted += len(unknown_in_plan) - len(listed)
    if problems or profile is None or plan is None:
        raise ProfileError(problems, total=len(problems) + unlisted)
    return PlanCheckRequest(profile=profile, plan=plan)


def _under(prefix: str, field: str) -> str:
    return prefix if field == "(body)" else f"{prefix}.{field}"


def _plan_problem(error: Any) -> FieldProblem:
    where = "plan"
    for part in error["loc"]:
        where += f"[{part}]" if isinstance(part, int) else f".{part}"
    reason = "unknown field" if error["type"] == "extra_forbidden" else error["msg"]
    value = error.get("input")
    return FieldProblem(where, reason, value if isinstance(value, (str, int, float, bool)) else None)
