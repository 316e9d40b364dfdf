"""The engine's results, memoised by the profile's equivalence class under the rules.

Two profiles are in one class when every condition of every rule has the same truth on both
(and they propose the same initiation, which the service reads as well): the rules cannot tell
them apart, so the engine fires the same rules on both. A number field is split by the cuts the
rules' thresholds define (:func:`recommender.space.number_cuts`, the cuts ``kb check``
enumerates); the values of any field that meet the same conditions share a class; a field no
rule tests has one class. The free-text title never counts.

A :class:`Memo` holds, for every class of the space, which of the distinct outcomes it decides
(an array of ``int32``: four bytes a class, allocated once), and each distinct outcome once. It is
bounded by the knowledge base itself: the shipped one has 51,840 classes (203 KiB of table)
and a few thousand distinct outcomes; ``bench/`` measures a worker with the whole space
memoised.

Example:
    >>> from recommender.kb import load_knowledge_base
    >>> classes = ProfileClasses(load_knowledge_base())
    >>> classes.size
    51840
"""

from __future__ import annotations

import bisect
import threading
from array import array
from collections.abc import Callable, Sequence

from recommender import decision
from recommender.applicability import matches_condition
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Condition
from recommender.profile import ProjectProfile, field_domain
from recommender.space import Value, number_cuts

#: Fields the service reads besides the rules' conditions: ``decide`` puts the proposal in play.
_READ_BY_SERVICE = frozenset({"proposed_initiation"})
_UNKNOWN = -1


class _FieldClasses:
    """The class of each value of one field: values meeting the same conditions share one."""

    def __init__(self, name: str, conditions: Sequence[Condition], kb: KnowledgeBase, *, each_value: bool) -> None:
        self.name = name
        domain = field_domain(name)
        signatures: dict[tuple[bool, ...], int] = {}

        def class_of(value: Value) -> int:
            key = (value,) if each_value else tuple(matches_condition(value, c) for c in conditions)
            return signatures.setdefault(key, len(signatures))  # type: ignore[arg-type]

        self._starts: list[int] = []
        self._by_range: list[int] = []
        self._by_value: dict[Value, int] = {}
        if domain.kind == "number":
            for start, _ in number_cuts(name, kb.rules).ranges():
                self._starts.append(start)
                self._by_range.append(class_of(start))
        else:
            values: list[Value] = [False, True] if domain.kind == "flag" else list(domain.choices)
            for value in [*values, *([None] if domain.optional else [])]:
                self._by_value[value] = class_of(value)
        self.count = len(signatures)

    def of(self, value: Value) -> int:
        if self._starts:
            assert isinstance(value, int)
            return self._by_range[bisect.bisect_right(self._starts, value) - 1]
        return self._by_value[value]


class ProfileClasses:
    """Numbers the classes of the profile space, ``0`` to ``size - 1``."""

    def __init__(self, kb: KnowledgeBase) -> None:
        conditions: dict[str, list[Condition]] = {name: [] for name in ProjectProfile.model_fields}
        for rule in kb.rules:
            for name, condition in rule.when.profile.items():
                conditions[name].append(condition)
        self.fields = [
            _FieldClasses(name, conditions[name], kb, each_value=name in _READ_BY_SERVICE)
            for name in ProjectProfile.model_fields
            if name != "title"
        ]
        self.size = 1
        for field in self.fields:
            self.size *= field.count

    def index(self, profile: ProjectProfile) -> int:
        """The class of ``profile``: profiles with the same index fire the same rules."""
        index = 0
        for field in self.fields:
            index = index * field.count + field.of(getattr(profile, field.name))
        return index


class Memo:
    """Each class's outcome, evaluated on the engine at most once; safe to share between threads.

    ``evaluate`` is called outside the memo's lock; two threads missing the same class at the
    same moment may both evaluate it (they get equal outcomes, and one is kept).
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.classes = ProfileClasses(kb)
        self._table = array("i", [_UNKNOWN]) * self.classes.size
        self._outcomes: list[decision.Outcome] = []
        self._numbered: dict[tuple[frozenset[str], str | None], int] = {}
        self._lock = threading.Lock()

    @property
    def filled(self) -> int:
        """How many classes have an outcome."""
        return self.classes.size - self._table.count(_UNKNOWN)

    @property
    def distinct(self) -> int:
        """How many distinct outcomes the filled classes decide."""
        return len(self._outcomes)

    @property
    def table_bytes(self) -> int:
        return self._table.itemsize * len(self._table)

    def get(self, profile: ProjectProfile, evaluate: Callable[[], decision.Outcome]) -> decision.Outcome:
        """The outcome of ``profile``'s class, from ``evaluate()`` the first time the class is asked."""
        index = self.classes.index(profile)
        number = self._table[index]
        if number != _UNKNOWN:
            return self._outcomes[number]
        found = evaluate()
        key = (found.fired, profile.proposed_initiation)
        with self._lock:
            known = self._numbered.get(key)
            if known is None:
                known = self._numbered[key] = len(self._outcomes)
                self._outcomes.append(found)
            self._table[index] = known
        return self._outcomes[known]
