"""The one helper the step definitions use: Gherkin tables in, the library's answers out.

Every step asks the shipped knowledge base through the same recommender; :func:`advise_afresh`
evaluates on a recommender that keeps no answers, for steps about evaluating again.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from recommender import (
    KnowledgeBase,
    PlanCheck,
    ProjectProfile,
    Recommendation,
    Recommender,
    TenderBrief,
    WhatIf,
    check_plan,
    default_recommender,
    field_domain,
    tender_brief,
    what_if,
)

PARTIES = {"policy agency": "policy_agency", "researchers": "researchers", "both parties": "shared"}


def profile_from_table(rows: Sequence[Sequence[str]]) -> dict[str, object]:
    """A two-column Gherkin table (field | value) as profile data, typed as the profile expects."""
    data: dict[str, object] = {}
    for field, value in rows:
        kind = field_domain(field).kind
        if kind == "number":
            data[field] = int(value)
        elif kind == "flag":
            data[field] = {"true": True, "false": False}[value]
        else:
            data[field] = value
    return data


def profile(data: dict[str, object]) -> ProjectProfile:
    return ProjectProfile.model_validate(data)


def knowledge_base() -> KnowledgeBase:
    return default_recommender().kb


def advise(data: dict[str, object]) -> Recommendation:
    return default_recommender().recommend(profile(data))


@functools.cache
def _uncached() -> Recommender:
    return Recommender(knowledge_base(), cache_size=0)


def advise_afresh(data: dict[str, object]) -> Recommendation:
    """The recommendation for ``data`` from a new evaluation on the engine: no answer is kept."""
    return _uncached().recommend(profile(data))


def check(data: dict[str, object], in_place: Sequence[str]) -> PlanCheck:
    return check_plan(profile(data), in_place=in_place, recommender=default_recommender())


def brief(data: dict[str, object]) -> TenderBrief:
    return tender_brief(profile(data), recommender=default_recommender())


def explore(data: dict[str, object]) -> WhatIf:
    return what_if(profile(data), recommender=default_recommender())


def level_of(data: dict[str, object]) -> str:
    """The level the engine recommends for ``data``, asked directly (to check what-if answers)."""
    return advise(data).collaboration_level.recommended
