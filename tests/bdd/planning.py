"""The one helper the plan-check, tender-brief and what-if steps use: tables in, library answers out."""

from __future__ import annotations

from collections.abc import Sequence

from recommender import PlanCheck, ProjectProfile, TenderBrief, WhatIf, check_plan, recommend, tender_brief, what_if
from recommender.kb import KnowledgeBase
from recommender.service import default_recommender


def profile(data: dict[str, object]) -> ProjectProfile:
    return ProjectProfile.model_validate(data)


def check(data: dict[str, object], in_place: Sequence[str]) -> PlanCheck:
    return check_plan(profile(data), in_place=in_place)


def brief(data: dict[str, object]) -> TenderBrief:
    return tender_brief(profile(data))


def explore(data: dict[str, object]) -> WhatIf:
    return what_if(profile(data))


def level_of(data: dict[str, object]) -> str:
    """The level the engine recommends for ``data``, asked directly (to check what-if answers)."""
    return recommend(profile(data)).collaboration_level.recommended


def knowledge_base() -> KnowledgeBase:
    return default_recommender().kb
