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
import os
import random
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
#: The layout :meth:`Memo.save` writes; a file of another is refused.
FORMAT = 2
#: The largest memo file :meth:`Memo.load` reads (the shipped space's is about 1.3 MB).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: How many of a file's classes :meth:`Memo.load` evaluates again when asked to check it.
CHECKED_ON_LOAD = 16


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

    def representative(self, index: int) -> ProjectProfile:
        """The profile of class ``index`` that :meth:`representatives` yields at that position."""
        values = {field.name: self.value_at(index, field.name) for field in self.fields}
        return ProjectProfile.model_validate({name: value for name, value in values.items() if value is not None})

    def value_at(self, index: int, name: str) -> Value:
        """The value of field ``name`` in :meth:`representative` ``(index)`` (``None`` if unset),
        without building the profile."""
        if not 0 <= index < self.size:
            raise IndexError(index)
        field, stride = self._strides[name]
        return field.representatives[index // stride % field.count]

    def index(self, profile: ProjectProfile) -> int:
        """The class of ``profile``: profiles with the same index fire the same rules."""
        return sum(map(operator.getitem, self._parts, self._values(profile)))

    def _index_parts(self) -> None:
        """For each field, each value's part of the index (its class times the field's stride)."""
        self._values = operator.attrgetter(*(field.name for field in self.fields))
        parts: list[dict[Value, int]] = []
        self._strides: dict[str, tuple[_FieldClasses, int]] = {}
        stride = self.size
        for field in self.fields:
            stride //= field.count
            self._strides[field.name] = (field, stride)
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

    def filled_classes(self) -> Iterator[int]:
        """The index of each class that has an outcome, in order (read as it goes: classes filled
        meanwhile may be met or not)."""
        table = self._table
        return (index for index in range(self.classes.size) if table[index] != _UNKNOWN)

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
        if self._table[index] == _UNKNOWN:
            self._keep(index, evaluate())
        return self.compact_at(index)

    def compact_at(self, index: int) -> tuple[int, decision.Outcome]:
        """:meth:`compact` of the memoised class ``index``, without a profile.

        Raises:
            KeyError: class ``index`` is not memoised.
        """
        number = self._table[index]
        if number == _UNKNOWN:
            raise KeyError(index)
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
        """Write the memoised outcomes to ``path`` (JSON), for another process on the same knowledge
        base: written beside it and renamed into place, so a reader never sees half a file."""
        with self._lock:
            data = {
                "format": FORMAT,
                "digest": self.kb.digest,
                "classes": self.classes.size,
                "table": self._table.tolist(),
                "masks": list(self._masks),  # copied under the lock: a consistent snapshot
                "decision_of": list(self._decision_of),
                "decisions": [sorted(shared.fired) for shared in self._decisions],
            }
        target = Path(path)
        partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.part")
        try:
            partial.write_text(json.dumps(data, separators=(",", ":")))
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)

    def load(
        self,
        path: str | Path,
        *,
        check: Callable[[ProjectProfile], decision.Outcome] | None = None,
        samples: int = CHECKED_ON_LOAD,
    ) -> int:
        """Take the outcomes :meth:`save` wrote to ``path`` for the classes not memoised yet (those
        already memoised keep theirs); the number of classes taken.

        With ``check``, first evaluates one profile of up to ``samples`` of the file's classes (picked
        at random) and compares what it fires and decides with the file's: a file from another
        version of the engine or damaged on disk is refused before any of it is used.

        Raises:
            ValueError: the file is unreadable, larger than :data:`MAX_FILE_BYTES`, not a memo of this
                knowledge base and space, inconsistent, or disagrees with ``check``.
        """
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ValueError(f"{path.name}: {size} bytes, more than a memo takes ({MAX_FILE_BYTES})")
            data = json.loads(path.read_bytes())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path.name}: not a readable memo ({exc.__class__.__name__})") from None
        table, masks, decision_of, decisions = self._parse(path.name, data)
        if check is not None:
            self._check(path.name, table, masks, decision_of, decisions, check, samples)
        return self._merge(table, masks, decision_of, decisions)

    def _parse(self, name: str, data: object) -> tuple[array[int], list[int], array[int], list[decision.Outcome]]:
        """The file's parts, each checked against this knowledge base and the others' lengths."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{name}: not a memo of format {FORMAT}")
        if data.get("digest") != self.kb.digest or data.get("classes") != self.classes.size:
            raise ValueError(f"{name}: memoised on another knowledge base ({str(data.get('digest'))[:12]})")
        try:
            # Each part read and checked by builtins over the whole list (the file has one entry a class).
            table = array("i", data["table"])
            decision_of = array("i", data["decision_of"])
            masks = data["masks"]
            fired_lists = [[str(rule) for rule in fired] for fired in data["decisions"]]
            if not isinstance(masks, list) or set(map(type, masks)) - {int}:
                raise TypeError("masks")
        except (KeyError, TypeError, ValueError, OverflowError):
            raise ValueError(f"{name}: a memo's parts are missing or of the wrong type") from None
        every_rule = (1 << len(self._ids)) - 1
        consistent = (
            len(table) == self.classes.size
            and len(decision_of) == len(masks)
            and _within(table, -1, len(masks))
            and _within(masks, 0, every_rule + 1)
            and _within(decision_of, 0, len(fired_lists))
            and all(rule in self._bits for fired in fired_lists for rule in fired)
        )
        if not consistent:
            raise ValueError(f"{name}: a memo's parts do not fit together or name unknown rules")
        return table, masks, decision_of, [decision.outcome(self.kb, fired) for fired in fired_lists]

    def _check(
        self,
        name: str,
        table: array[int],
        masks: list[int],
        decision_of: array[int],
        decisions: list[decision.Outcome],
        check: Callable[[ProjectProfile], decision.Outcome],
        samples: int,
    ) -> None:
        filled = [index for index, number in enumerate(table) if number != _UNKNOWN]
        for index in random.sample(filled, min(samples, len(filled))):
            found = check(self.classes.representative(index))
            number = table[index]
            mask = sum(self._bits[rule_id] for rule_id in found.fired)
            if mask != masks[number] or _decision_key(found) != _decision_key(decisions[decision_of[number]]):
                raise ValueError(f"{name}: class {index} fires other rules on this engine than the file says")

    def _merge(
        self, table: array[int], masks: list[int], decision_of: array[int], decisions: list[decision.Outcome]
    ) -> int:
        taken = 0
        with self._lock:
            numbers = []  # the file's decisions as numbered here
            for found in decisions:
                key = _decision_key(found)
                number = self._numbered.get(key)
                if number is None:
                    number = self._numbered[key] = len(self._decisions)
                    self._decisions.append(found)
                numbers.append(number)
            mine = self._table
            for index, number in enumerate(table):
                if number != _UNKNOWN and mine[index] == _UNKNOWN:
                    # The mask and decision first: a reader that sees the number finds them.
                    self._masks.append(masks[number])
                    self._decision_of.append(numbers[decision_of[number]])
                    mine[index] = len(self._masks) - 1
                    taken += 1
        return taken


def _within(values: Sequence[int], low: int, high: int) -> bool:
    """Whether every one of ``values`` is at least ``low`` and below ``high`` (none is)."""
    return not values or (min(values) >= low and max(values) < high)


def _decision_key(outcome: decision.Outcome) -> tuple[object, ...]:
    """What outcomes sharing one decision have in common (the viable modes follow from the level)."""
    return (tuple(outcome.scores.items()), outcome.ranking, outcome.level)
