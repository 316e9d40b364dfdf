"""The engine's results, memoised by the profile's equivalence class under the rules.

Two profiles are in one class when every condition of every rule has the same truth on both
(and they propose the same initiation, which the service reads as well): the rules cannot tell
them apart, so the engine fires the same rules on both. A number field is split by the cuts the
rules' thresholds define (:func:`recommender.space.number_cuts`, the cuts ``kb check``
enumerates); the values of any field that meet the same conditions share a class; a field no
rule tests has one class. The free-text title never counts.

A :class:`Memo` holds, for every class of the space, the rules its profiles fire (a bit mask)
and which of the few distinct decisions they make, in a table allocated once: it is bounded by
the knowledge base itself. The shipped one has 51,840 classes; ``bench/`` measures a worker
with the whole space memoised.

Example:
    >>> from recommender.kb import load_knowledge_base
    >>> classes = ProfileClasses(load_knowledge_base())
    >>> classes.size
    51840
"""

from __future__ import annotations

import bisect
import itertools
import json
import operator
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

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
        #: One value of each class, in class order.
        self.representatives: list[Value] = []
        if domain.kind == "number":
            values: list[Value] = [start for start, _ in number_cuts(name, kb.rules).ranges()]
            self._starts = [int(start) for start in values if isinstance(start, int)]
        elif domain.kind == "flag":
            values = [False, True]
        else:
            values = [*domain.choices, *([None] if domain.optional else [])]
        self.values = tuple(values)
        for value in values:
            number = class_of(value)
            if number == len(self.representatives):
                self.representatives.append(value)
            if self._starts:
                self._by_range.append(number)
            else:
                self._by_value[value] = number
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
        self._index_parts()

    def representatives(self) -> Iterator[ProjectProfile]:
        """One profile of each class, in class order (its index is its position)."""
        names = [field.name for field in self.fields]
        for values in itertools.product(*(field.representatives for field in self.fields)):
            yield ProjectProfile.model_validate(
                {name: value for name, value in zip(names, values, strict=True) if value is not None}
            )

    def index(self, profile: ProjectProfile) -> int:
        """The class of ``profile``: profiles with the same index fire the same rules."""
        return sum(map(_look_up, self._parts, self._values(profile)))

    def _index_parts(self) -> None:
        """For each field, each value's part of the index (its class times the field's stride)."""
        self._values = operator.attrgetter(*(field.name for field in self.fields))
        parts: list[dict[Value, int]] = []
        stride = self.size
        for field in self.fields:
            stride //= field.count
            domain = field_domain(field.name)
            if domain.kind == "number":
                low, high = domain.bounds
                values: list[Value] = list(range(low, high + 1))
            else:
                values = list(field.values)
            parts.append({value: field.of(value) * stride for value in values})
        self._parts = parts


class Memo:
    """Each class's outcome, evaluated on the engine at most once; safe to share between threads.

    Kept compact, as the whole space may be memoised: per class, the rules fired as a bit mask
    over the knowledge base's rules and the number of its decision (scores, ranking, level:
    there are few distinct ones, each kept once); the :class:`~recommender.decision.Outcome`
    is rebuilt from them on each ask. ``evaluate`` is called outside the memo's lock; two
    threads missing the same class at the same moment may both evaluate it (with equal results).
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.classes = ProfileClasses(kb)
        self._table = array("i", [_UNKNOWN]) * self.classes.size
        self._bits = {rule.id: 1 << position for position, rule in enumerate(kb.rules)}
        self._ids = [rule.id for rule in kb.rules]
        self._masks: list[int] = []
        self._decision_of: list[int] = []
        self._decisions: list[decision.Outcome] = []
        self._numbered: dict[tuple[object, ...], int] = {}
        self._lock = threading.Lock()

    @property
    def filled(self) -> int:
        """How many classes have an outcome."""
        return self.classes.size - self._table.count(_UNKNOWN)

    @property
    def decisions(self) -> int:
        """How many distinct decisions (scores, ranking, level) the filled classes share."""
        return len(self._decisions)

    def has(self, profile: ProjectProfile) -> bool:
        """Whether ``profile``'s class is memoised: asking it costs no engine evaluation."""
        return self._table[self.classes.index(profile)] != _UNKNOWN

    def get(self, profile: ProjectProfile, evaluate: Callable[[], decision.Outcome]) -> decision.Outcome:
        """The outcome of ``profile``'s class, from ``evaluate()`` the first time the class is asked."""
        mask, shared = self.compact(profile, evaluate)
        ids, fired = self._ids, []
        while mask:
            low = mask & -mask
            fired.append(ids[low.bit_length() - 1])
            mask ^= low
        return decision.Outcome(
            fired=frozenset(fired),
            scores=shared.scores,
            ranking=shared.ranking,
            level=shared.level,
            viable=shared.viable,
            answer=shared.answer,
        )

    def compact(
        self, profile: ProjectProfile, evaluate: Callable[[], decision.Outcome]
    ) -> tuple[int, decision.Outcome]:
        """The outcome of ``profile``'s class as kept: the rules fired as a bit mask (bit ``i`` is
        the knowledge base's ``i``-th rule) and an outcome of the same decision (its scores,
        ranking and level; its ``fired`` are another class's)."""
        index = self.classes.index(profile)
        number = self._table[index]
        if number == _UNKNOWN:
            self._keep(index, evaluate())
            number = self._table[index]
        return self._masks[number], self._decisions[self._decision_of[number]]

    def _keep(self, index: int, found: decision.Outcome) -> None:
        key = _decision_key(found)
        mask = sum(self._bits[rule_id] for rule_id in found.fired)
        with self._lock:
            shared = self._numbered.get(key)
            if shared is None:
                shared = self._numbered[key] = len(self._decisions)
                self._decisions.append(found)
            self._masks.append(mask)
            self._decision_of.append(shared)
            self._table[index] = len(self._masks) - 1

    def save(self, path: str | Path) -> None:
        """Write the memoised outcomes to ``path`` (JSON), for another process on the same knowledge base."""
        with self._lock:
            data = {
                "digest": self.kb.digest,
                "classes": self.classes.size,
                "table": self._table.tolist(),
                "masks": self._masks,
                "decision_of": self._decision_of,
                "decisions": [sorted(shared.fired) for shared in self._decisions],
            }
        Path(path).write_text(json.dumps(data, separators=(",", ":")))

    def load(self, path: str | Path) -> None:
        """Take the outcomes :meth:`save` wrote to ``path``, replacing these; ``ValueError`` when
        they were memoised on another knowledge base (or another space)."""
        data = json.loads(Path(path).read_text())
        if data["digest"] != self.kb.digest or data["classes"] != self.classes.size:
            raise ValueError(f"{path}: memoised on another knowledge base ({data['digest'][:12]})")
        decisions = [decision.outcome(self.kb, fired) for fired in data["decisions"]]
        with self._lock:
            self._table = array("i", data["table"])
            self._masks = list(data["masks"])
            self._decision_of = list(data["decision_of"])
            self._decisions = decisions
            self._numbered = {_decision_key(shared): number for number, shared in enumerate(decisions)}


def _look_up(part: dict[Value, int], value: Value) -> int:
    return part[value]


def _decision_key(outcome: decision.Outcome) -> tuple[object, ...]:
    """What outcomes sharing one decision have in common (the viable modes follow from the level)."""
    return (tuple(outcome.scores.items()), outcome.ranking, outcome.level)
