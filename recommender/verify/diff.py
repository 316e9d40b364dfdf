"""Compare two editions of the knowledge base over the whole discretised profile space.

``partnership-recommender kb diff OLD NEW`` answers "what does the new edition change for
whom": on every profile of the space it decides the recommended initiation mode, the
collaboration level, the risks (ids) and the mitigations (ids) under each edition, the way the
service does (:func:`recommender.service.fired_on`, then :func:`recommender.decision.outcome`),
and counts the profiles whose answer changed, with each transition (``agency -> researcher``,
``consultative -> collaborative``, a risk raised or cleared) and the first profile, in space
order, that shows it.

The space is the union of both editions' spaces (:func:`recommender.verify.space.field_values`
of each): a choice takes every value either edition gives it (in the new edition's order), a
number the sorted union of both editions' cut values. Within it, each edition's rules can tell
no two values apart that the union does not also separate, so the comparison covers every
behaviour of both.

By default the profiles are evaluated with the
:class:`~recommender.engine.reference.ReferenceEvaluator`, not the durable_rules adapter the
service runs: ``kb check`` proves the two fire the same rules on every profile of the space (it
reports every disagreement and fails on one), and the reference interpreter is several times
faster. ``evaluator=durable`` (``kb diff --durable``) evaluates on durable_rules instead; the two
editions have different digests, so their rulesets coexist in one process. Profiles that fire
the same rules share one outcome, which is computed once per edition.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import multiprocessing
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recommender import decision
from recommender.engine.base import Evaluator
from recommender.engine.reference import ReferenceEvaluator
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.profile import field_domain
from recommender.registry import load_editions
from recommender.verify.check import _Asker, _cpus, engine_fields
from recommender.verify.mitigations import mitigation_ids
from recommender.verify.report import Profile
from recommender.verify.space import Value, field_values

EvaluatorFactory = Callable[[KnowledgeBase], Evaluator]

#: A process costs about a second to start: only large spaces are worth splitting.
_PROFILES_PER_WORKER = 5_000


def durable(kb: KnowledgeBase) -> Evaluator:
    """The durable_rules adapter on ``kb`` (module level, so worker processes can build it)."""
    from recommender.engine.durable_adapter import DurableEvaluator

    return DurableEvaluator(kb)


@dataclass(frozen=True)
class Edition:
    """One knowledge base compared: its folder, version and content digest."""

    directory: str
    version: str
    digest: str


@dataclass(frozen=True)
class Transition:
    """``profiles`` profiles whose answer went from ``before`` (old edition) to ``after`` (new)."""

    before: str
    after: str
    profiles: int
    example: Profile


@dataclass(frozen=True)
class SetChange:
    """One risk (or mitigation) id: on how many profiles the new edition adds it and removes it.

    ``example_added`` and ``example_removed`` are the first such profiles in space order, or
    ``None`` when there is none.
    """

    id: str
    added: int
    removed: int
    example_added: Profile | None
    example_removed: Profile | None


@dataclass(frozen=True)
class DiffReport:
    """What changed between two editions, over every profile of the union space."""

    old: Edition
    new: Edition
    evaluator: str
    profiles: int
    changed: int
    initiation_changed: int
    level_changed: int
    risks_changed: int
    mitigations_changed: int
    initiation: list[Transition]
    level: list[Transition]
    risks: list[SetChange]
    mitigations: list[SetChange]
    seconds: float

    @property
    def unchanged(self) -> bool:
        """No profile's mode, level, risks or mitigations differ."""
        return self.changed == 0

    def to_dict(self) -> dict[str, Any]:
        """The whole report (every transition and every id), as JSON-compatible data."""
        return {"unchanged": self.unchanged, **dataclasses.asdict(self)}

    def to_text(self, examples: int = 5) -> str:
        """A summary: the editions, the counts, then the ``examples`` largest transitions of each
        kind with one example profile each, and every risk and mitigation id that changed."""
        lines = [
            f"Old: {self.old.version} ({self.old.digest[:12]}) in {self.old.directory}",
            f"New: {self.new.version} ({self.new.digest[:12]}) in {self.new.directory}",
            f"Profiles compared: {self.profiles} (evaluator {self.evaluator}, {self.seconds:.1f} s)",
            f"Profiles with any change: {self.changed}",
            f"  initiation changed: {self.initiation_changed}",
            f"  level changed: {self.level_changed}",
            f"  risks changed: {self.risks_changed}",
            f"  mitigations changed: {self.mitigations_changed}",
        ]
        for title, transitions in (("Initiation", self.initiation), ("Level", self.level)):
            if not transitions:
                continue
            shown = transitions[: max(examples, 0)]
            lines += ["", f"{title} transitions (top {len(shown)} of {len(transitions)}):"]
            lines += [
                f"  {t.before} -> {t.after}: {t.profiles} profiles, e.g. {_profile_text(t.example)}" for t in shown
            ]
        for title, (added, removed), changes in (
            ("Risks", ("raised", "cleared"), self.risks),
            ("Mitigations", ("added", "removed"), self.mitigations),
        ):
            if changes:
                lines += ["", f"{title} {added} / {removed} (profiles):"]
                lines += [f"  {c.id}: {added} {c.added}, {removed} {c.removed}" for c in changes]
        return "\n".join(lines)


def diff_knowledge_bases(
    old_directory: str | Path,
    new_directory: str | Path,
    *,
    evaluator: EvaluatorFactory = ReferenceEvaluator,
    workers: int | None = None,
) -> DiffReport:
    """Compare the knowledge base in ``old_directory`` with the one in ``new_directory``.

    Both are loaded with ``partial=True`` (the field guide and plan files may be absent: they
    change no answer's mode, level, risks or mitigations). The space is split between ``workers``
    processes (default: one per CPU for large spaces; ``workers=1`` runs in this process, and
    with more the ``evaluator`` factory must be module-level).

    Raises:
        KnowledgeBaseError: when either edition does not load (naming the file and entry; its
            ``edition`` is 0 for the old one, 1 for the new one).

    Example:
        >>> diff_knowledge_bases("rules", "rules").changed  # doctest: +SKIP
        0
    """
    started = time.perf_counter()
    old_kb, new_kb = load_editions([old_directory, new_directory], partial=True, field_guide=False)
    values = union_values(old_kb, new_kb)
    size = math.prod(len(v) for v in values.values())
    pairs, name = _pairs_everywhere(old_kb, new_kb, values, evaluator, size, workers)
    report = _compare(old_kb, new_kb, values, pairs)
    return DiffReport(
        old=Edition(str(old_directory), old_kb.version, old_kb.digest),
        new=Edition(str(new_directory), new_kb.version, new_kb.digest),
        evaluator=name,
        profiles=size,
        seconds=time.perf_counter() - started,
        **report,
    )


def union_values(old: KnowledgeBase, new: KnowledgeBase) -> dict[str, tuple[Value, ...]]:
    """The values each profile field takes in the union of both editions' spaces.

    A choice keeps the new edition's order (then any value only the old one lists); a number
    takes the sorted union of both editions' values.
    """
    old_values, new_values = field_values(old), field_values(new)
    union: dict[str, tuple[Value, ...]] = {}
    for name, ours in new_values.items():
        theirs = old_values.get(name, ())
        if field_domain(name).kind == "number":
            union[name] = tuple(sorted({*ours, *theirs}, key=_number))
        else:
            union[name] = ours + tuple(v for v in theirs if v not in ours)
    return union


def _number(value: Value) -> int:
    if not isinstance(value, int):
        raise TypeError(f"a number field took {value!r}")
    return value


_Key = tuple[frozenset[str], frozenset[str]]
#: For each pair (rules fired by the old edition, by the new): how many profiles, and the first.
_Pairs = dict[_Key, tuple[int, int]]


def _pairs_everywhere(
    old: KnowledgeBase,
    new: KnowledgeBase,
    values: dict[str, tuple[Value, ...]],
    evaluator: EvaluatorFactory,
    size: int,
    workers: int | None,
) -> tuple[_Pairs, str]:
    if workers is None:
        workers = min(_cpus(), size // _PROFILES_PER_WORKER)
    workers = max(1, min(workers, size))
    if workers == 1:
        return _pairs_in(old, new, values, evaluator, 0, size)
    bounds = [size * part // workers for part in range(workers + 1)]
    # spawn, not fork: a forked durable host, or a fork of a threaded process, is unsafe.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        same = ([item] * workers for item in (old, new, values, evaluator))
        parts = list(pool.map(_pairs_in, *same, bounds[:-1], bounds[1:]))
    merged: _Pairs = {}
    for part, _ in parts:
        for key, (count, first) in part.items():
            known = merged.get(key)
            merged[key] = (count, first) if known is None else (known[0] + count, min(known[1], first))
    return merged, parts[0][1]


def _pairs_in(
    old: KnowledgeBase,
    new: KnowledgeBase,
    values: dict[str, tuple[Value, ...]],
    evaluator: EvaluatorFactory,
    start: int,
    stop: int,
) -> tuple[_Pairs, str]:
    """The pairs of fired-rule sets on the profiles from ``start`` to ``stop``."""
    # _Asker evaluates as the service does, reusing the answer without a proposal when no rule
    # tests the proposal (see kb check); it only needs the field order, the same in both spaces.
    askers = [_Asker(old, evaluator(old)), _Asker(new, evaluator(new))]
    names = tuple(values)
    pairs: _Pairs = {}
    for index, combination in enumerate(itertools.islice(itertools.product(*values.values()), start, stop), start):
        fields = engine_fields(names, combination)
        key = (
            frozenset(askers[0].fired_rules(combination, fields)),
            frozenset(askers[1].fired_rules(combination, fields)),
        )
        known = pairs.get(key)
        pairs[key] = (1, index) if known is None else (known[0] + 1, known[1])
    return pairs, askers[1].name


@dataclass(frozen=True)
class _Answer:
    mode: str
    level: str
    risks: frozenset[str]
    mitigations: frozenset[str]


def _answers(kb: KnowledgeBase) -> Callable[[frozenset[str]], _Answer]:
    """What an answer of ``kb`` says when these rules fired, computed once per set of rules."""
    known: dict[frozenset[str], _Answer] = {}
    rules = kb.rules_by_id

    def answer(fired: frozenset[str]) -> _Answer:
        found = known.get(fired)
        if found is None:
            decided = decision.outcome(kb, fired)
            risks = frozenset(risk for rule_id in fired for risk in rules[rule_id].then.risks)
            found = known[fired] = _Answer(decided.mode, decided.level, risks, mitigation_ids(kb, fired))
        return found

    return answer


def _compare(
    old: KnowledgeBase, new: KnowledgeBase, values: Mapping[str, Sequence[Value]], pairs: _Pairs
) -> dict[str, Any]:
    before, after = _answers(old), _answers(new)
    counts = dict.fromkeys(
        ("changed", "initiation_changed", "level_changed", "risks_changed", "mitigations_changed"), 0
    )
    modes: dict[tuple[str, str], list[int]] = {}
    levels: dict[tuple[str, str], list[int]] = {}
    risks: dict[str, list[int]] = {}
    mitigations: dict[str, list[int]] = {}
    # In space order, so that each example is the first profile that shows its change.
    for (fired_old, fired_new), (count, first) in sorted(pairs.items(), key=lambda item: item[1][1]):
        was, now = before(fired_old), after(fired_new)
        differs = {
            "initiation_changed": was.mode != now.mode,
            "level_changed": was.level != now.level,
            "risks_changed": was.risks != now.risks,
            "mitigations_changed": was.mitigations != now.mitigations,
        }
        if not any(differs.values()):
            continue
        counts["changed"] += count
        for kind, changed in differs.items():
            counts[kind] += count if changed else 0
        if differs["initiation_changed"]:
            _tally(modes, (was.mode, now.mode), count, first)
        if differs["level_changed"]:
            _tally(levels, (was.level, now.level), count, first)
        _tally_sets(risks, was.risks, now.risks, count, first)
        _tally_sets(mitigations, was.mitigations, now.mitigations, count, first)
    example = _Examples(values)
    return {
        **counts,
        "initiation": _transitions(modes, example),
        "level": _transitions(levels, example),
        "risks": _set_changes(risks, example),
        "mitigations": _set_changes(mitigations, example),
    }


def _tally(table: dict[tuple[str, str], list[int]], key: tuple[str, str], count: int, first: int) -> None:
    entry = table.setdefault(key, [0, first])
    entry[0] += count


def _tally_sets(table: dict[str, list[int]], was: frozenset[str], now: frozenset[str], count: int, first: int) -> None:
    # [added, removed, first added, first removed]; -1: none yet (pairs arrive in space order).
    for item in now - was:
        entry = table.setdefault(item, [0, 0, -1, -1])
        entry[0] += count
        entry[2] = first if entry[2] < 0 else entry[2]
    for item in was - now:
        entry = table.setdefault(item, [0, 0, -1, -1])
        entry[1] += count
        entry[3] = first if entry[3] < 0 else entry[3]


class _Examples:
    """The engine fields of the profile at an index of the space (``itertools.product`` order)."""

    def __init__(self, values: Mapping[str, Sequence[Value]]) -> None:
        self._names = tuple(values)
        self._values = tuple(values.values())

    def __call__(self, index: int) -> Profile:
        combination: list[Value] = []
        for choices in reversed(self._values):
            index, at = divmod(index, len(choices))
            combination.append(choices[at])
        return engine_fields(self._names, combination[::-1])


def _transitions(table: Mapping[tuple[str, str], list[int]], example: _Examples) -> list[Transition]:
    found = [Transition(b, a, count, example(first)) for (b, a), (count, first) in table.items()]
    return sorted(found, key=lambda t: (-t.profiles, t.before, t.after))


def _set_changes(table: Mapping[str, list[int]], example: _Examples) -> list[SetChange]:
    found = [
        SetChange(item, added, removed, _maybe(example, first_added), _maybe(example, first_removed))
        for item, (added, removed, first_added, first_removed) in table.items()
    ]
    return sorted(found, key=lambda c: (-(c.added + c.removed), c.id))


def _maybe(example: _Examples, index: int) -> Profile | None:
    return example(index) if index >= 0 else None


def _profile_text(profile: Profile) -> str:
    return ", ".join(f"{name}={value}" for name, value in profile.items())
