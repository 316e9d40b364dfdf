"""Whether a knowledge-base entry's ``Applies`` conditions hold for an evaluated profile.

The situation is what the engine concluded for a profile: its fields, the facts the fired
rules derived, and the recommended level and initiation. Profile conditions use the syntax
of ``rules.yaml`` and mean what they mean to the engine: a value is equality, a list is any
of, a comparison is one bound; a field the profile leaves unset matches nothing.

Example:
    >>> from recommender.kb.models import Applies
    >>> situation = Situation(profile={"timeline_months": 8}, facts=frozenset(),
    ...                       level="consultative", initiation="agency")
    >>> holds(Applies.model_validate({"profile": {"timeline_months": {"lt": 12}}}), situation)
    True
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from recommender.decision import Outcome
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Applies, Comparison, Condition
from recommender.profile import ProjectProfile

_OPS: dict[str, Callable[[int, int], bool]] = {
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


@dataclass(frozen=True)
class Situation:
    """A profile as the engine saw it, with the engine's conclusions."""

    profile: Mapping[str, str | int | bool]
    facts: frozenset[str]
    level: str
    initiation: str


def situation_of(kb: KnowledgeBase, profile: ProjectProfile, outcome: Outcome) -> Situation:
    """The situation of ``profile`` evaluated to ``outcome``: the facts its fired rules derive, its
    level and initiation as decided (what its recommendation says, without assembling one)."""
    by_id = kb.rules_by_id
    return Situation(
        profile=profile.engine_fields(),
        facts=frozenset(fact for rule in outcome.fired for fact in by_id[rule].then.derive),
        level=outcome.level,
        initiation=outcome.mode,
    )


def holds(applies: Applies, situation: Situation) -> bool:
    """True when every condition given in ``applies`` holds in ``situation``."""
    if applies.level and situation.level not in applies.level:
        return False
    if applies.initiation and situation.initiation not in applies.initiation:
        return False
    if not set(applies.facts) <= situation.facts:
        return False
    return all(
        field in situation.profile and matches_condition(situation.profile[field], condition)
        for field, condition in applies.profile.items()
    )


def matches_condition(value: str | int | bool | None, condition: Condition) -> bool:
    """Whether one profile value meets one condition, as the engine reads it (unset meets none)."""
    if value is None:
        return False
    if isinstance(condition, Comparison):
        op, bound = condition.bound()
        return isinstance(value, int) and not isinstance(value, bool) and _OPS[op](value, bound)
    if isinstance(condition, list):
        return value in condition
    return type(value) is type(condition) and value == condition
