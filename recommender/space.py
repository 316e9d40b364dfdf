"""The values worth trying for each profile field, read from the rules' own conditions.

Used by the what-if analysis. A number field is cut at every breakpoint a deciding rule's
threshold defines; the values between two cuts meet the same conditions, so one value stands
for its whole range. Values of other fields that meet the same deciding conditions form one
class. A rule decides when it scores a mode, bounds the level, or derives a fact that a
deciding rule uses.

The cuts themselves (:func:`number_cuts`) are shared with the kb check's profile space
(:mod:`recommender.verify.space`), which takes them over every rule.

Example:
    >>> from recommender.kb import load_knowledge_base
    >>> space = ValueSpace(load_knowledge_base())
    >>> space.interval("timeline_months", 14)
    (12, 120)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from recommender.applicability import matches_condition
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Comparison, Condition, Rule
from recommender.profile import ProjectProfile, field_domain

Value = str | int | bool | None

_CUT_AFTER = {"lt": 0, "gte": 0, "lte": 1, "gt": 1}  # where the condition's truth flips, relative to its value


@dataclass(frozen=True)
class NumberCuts:
    """Where some rules' conditions on a number field change their truth.

    Each cut is the first value of a new range (``low < cut <= high``); between two adjacent
    cuts every value meets the same conditions.
    """

    low: int
    high: int
    cuts: tuple[int, ...]

    def sides(self, *, bounds: bool = False) -> tuple[int, ...]:
        """The last value before and the first value from every cut (and ``low`` and ``high``), sorted."""
        values = {side for cut in self.cuts for side in (cut - 1, cut)}
        if bounds:
            values |= {self.low, self.high}
        return tuple(sorted(values))

    def ranges(self) -> tuple[tuple[int, int], ...]:
        """The ranges ``(first, last)`` the cuts split the field into, lowest first."""
        starts = (self.low, *self.cuts)
        ends = (*(cut - 1 for cut in self.cuts), self.high)
        return tuple(zip(starts, ends, strict=True))


def number_cuts(name: str, rules: Iterable[Rule]) -> NumberCuts:
    """The cuts that the conditions of ``rules`` on the number field ``name`` define.

    A comparison cuts where its truth flips; an equality cuts before and after its value.

    Example:
        >>> from recommender.kb import load_knowledge_base
        >>> number_cuts("timeline_months", load_knowledge_base().rules).sides(bounds=True)
        (1, 5, 6, 11, 12, 120)
    """
    low, high = field_domain(name).bounds
    cuts: set[int] = set()
    for rule in rules:
        condition = rule.when.profile.get(name)
        if isinstance(condition, Comparison):
            op, value = condition.bound()
            cuts.add(value + _CUT_AFTER[op])
        elif isinstance(condition, int) and not isinstance(condition, bool):
            cuts |= {condition, condition + 1}
    return NumberCuts(low, high, tuple(sorted(cut for cut in cuts if low < cut <= high)))


class ValueSpace:
    """The profile fields, their values, and the breakpoints and classes the rules define."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.fields = [name for name in ProjectProfile.model_fields if name != "title"]
        self._conditions: dict[str, list[Condition]] = {name: [] for name in self.fields}
        deciding = _deciding_rules(kb)
        for rule in deciding:
            for name, condition in rule.when.profile.items():
                self._conditions[name].append(condition)
        #: Fields some deciding rule tests: the only ones whose change can change the answer.
        self.search_fields = [name for name in self.fields if self._conditions[name]]
        self._cuts = {name: number_cuts(name, deciding) for name in self.fields if field_domain(name).kind == "number"}

    def values_to_try(self, name: str, current: Value) -> list[Value]:
        """Every value of the field, or for a number field both sides of every breakpoint."""
        if name not in self._cuts:
            return _all_values(name)
        return list(self._cuts[name].sides())

    def interval(self, name: str, value: Value) -> tuple[int, int] | None:
        """For a number field, the range of values that meet the same conditions as ``value``."""
        if name not in self._cuts or not isinstance(value, int):
            return None
        return next((start, end) for start, end in self._cuts[name].ranges() if start <= value <= end)

    def distance(self, name: str, current: Value, value: Value) -> int:
        """How far ``value`` is from ``current``: the gap for numbers, 0 otherwise."""
        if isinstance(current, int) and isinstance(value, int) and name in self._cuts:
            return abs(value - current)
        return 0

    def class_representatives(self, name: str, current: Value) -> list[Value]:
        """One value for each class other than the current value's (for numbers, the nearest)."""
        if name in self._cuts:
            assert isinstance(current, int)
            here = self.interval(name, current)
            return [
                min(start, end, key=lambda v: abs(v - current))
                for start, end in self._cuts[name].ranges()
                if (start, end) != here
            ]
        conditions = self._conditions[name]
        seen = {tuple(matches_condition(current, c) for c in conditions)}
        representatives: list[Value] = []
        for value in _all_values(name):
            key = tuple(matches_condition(value, c) for c in conditions)
            if key not in seen:
                seen.add(key)
                representatives.append(value)
        return representatives


def _deciding_rules(kb: KnowledgeBase) -> list[Rule]:
    """Rules that can change the recommended mode or level, directly or through derived facts."""
    deciding = {r.id for r in kb.rules if r.then.scores or r.then.level_at_least or r.then.level_at_most}
    needed = {fact for r in kb.rules if r.id in deciding for fact in r.when.facts}
    while True:
        more = {r.id for r in kb.rules if set(r.then.derive) & needed} - deciding
        if not more:
            return [r for r in kb.rules if r.id in deciding]
        deciding |= more
        needed |= {fact for r in kb.rules if r.id in more for fact in r.when.facts}


def _all_values(name: str) -> list[Value]:
    domain = field_domain(name)
    if domain.kind == "flag":
        return [False, True]
    return [*domain.choices, *([None] if domain.optional else [])]
