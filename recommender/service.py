"""The recommend service: a loaded, compiled knowledge base answering profiles."""

from __future__ import annotations

import contextlib
import itertools
import random
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Generic, TypeVar, cast

from recommender import answer_file, assemble, decision
from recommender.engine import base as engine_base
from recommender.engine.base import Evaluator, Scalar
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.loader import load_knowledge_base
from recommender.memo import CHECKED_ON_LOAD, Memo
from recommender.profile import ProjectProfile
from recommender.recommendation import KnowledgeBaseRef, Recommendation
from recommender.vocabulary import InitiationMode

#: Assembled answers a recommender keeps, least recently used dropped first (one per distinct
#: outcome and proposal, not per profile; see ``bench/`` for their memory).
DEFAULT_CACHE_SIZE = 4096

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class _Cache(Generic[_Key, _Value]):
    """At most ``size`` entries, the least recently used dropped first; safe to share between threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[_Key, _Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: _Key) -> _Value | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: _Key, value: _Value) -> None:
        with self._lock:
            self._entries[key] = value
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def get_or_compute(self, key: _Key, compute: Callable[[], _Value]) -> _Value:
        """The cached value for ``key``, computed (outside the lock) and kept on a miss; a cache of
        size 0 or less keeps nothing."""
        if self.size <= 0:
            return compute()
        found = self.get(key)
        if found is None:
            found = compute()
            self.put(key, found)
        return found


class Recommender:
    """A knowledge base compiled into an engine, ready to answer.

    Build one at start-up; it is safe to share (the engine adapter serialises its calls).
    The engine's outcome is memoised by the profile's class under the rules
    (:class:`recommender.memo.Memo`: two profiles the rules cannot tell apart are evaluated
    once, whatever their title or exact timeline), and ``recommend`` keeps the last
    ``cache_size`` assembled answers, keyed by the outcome and the proposed initiation (all an
    answer depends on besides the profile it names); ``cache_size=0`` turns both off. Answers
    are frozen and may be shared between callers: do not mutate them.

    Example:
        >>> r = Recommender.from_directory()          # the shipped knowledge base
        >>> r.recommend(profile).initiation_mode.recommended  # doctest: +SKIP
        'agency'
    """

    def __init__(
        self, kb: KnowledgeBase, evaluator: Evaluator | None = None, *, cache_size: int = DEFAULT_CACHE_SIZE
    ) -> None:
        if evaluator is None:
            from recommender.engine.durable_adapter import DurableEvaluator

            evaluator = DurableEvaluator(kb)
        self.kb = kb
        self.evaluator = evaluator
        self.cache_size = cache_size
        self._assembler = assemble.Assembler(kb)
        self.memo = Memo(kb) if cache_size > 0 else None
        #: Each class's answer after its profile, as pieces the answers share (``Assembler.pieces``).
        self._pieces: list[tuple[bytes, ...] | None] = [None] * (self.memo.classes.size if self.memo else 0)
        self._answers: _Cache[tuple[frozenset[str], InitiationMode | None], Recommendation] = _Cache(cache_size)

    @classmethod
    def from_directory(
        cls, directory: str | Path | None = None, *, cache_size: int = DEFAULT_CACHE_SIZE
    ) -> Recommender:
        """Load, validate and compile the knowledge base in ``directory`` (default: shipped)."""
        return cls(load_knowledge_base(directory), cache_size=cache_size)

    @property
    def knowledge_base_ref(self) -> KnowledgeBaseRef:
        """The version and digest of the knowledge base this recommender answers with, as answers name it."""
        return KnowledgeBaseRef(version=self.kb.version, digest=self.kb.digest)

    def fired_rules(self, profile: ProjectProfile) -> list[str]:
        """Ids of the rules that fire for ``profile``, in firing order (always evaluated, never cached)."""
        return fired_on(self.kb, self.evaluator, profile.engine_fields())

    def recommend(self, profile: ProjectProfile) -> Recommendation:
        """The recommendation for ``profile``; the same profile always gives the same answer."""
        return self.recommend_with_outcome(profile)[0]

    def recommend_with_outcome(self, profile: ProjectProfile) -> tuple[Recommendation, decision.Outcome]:
        """:meth:`recommend` and the :meth:`outcome` it was assembled from (one evaluation, even
        with the cache off): for answers built on both, as the tender brief is."""
        decided = self.outcome(profile)
        answer = self._answers.get_or_compute(
            (decided.fired, profile.proposed_initiation), lambda: self._assembler.build(profile, decided)
        )
        # Profiles of one class share the answer but for the profile itself: answer with the caller's.
        return (answer if answer.profile is profile else answer.model_copy(update={"profile": profile})), decided

    def recommend_json(self, profile: ProjectProfile) -> bytes:
        """``recommend(profile).model_dump_json()``, byte for byte, as UTF-8: with the memo, joined
        around the profile from the pieces of its class's answer (kept per class:
        :meth:`recommender.assemble.Assembler.pieces`), without building the answer."""
        memo = self.memo
        if memo is None:
            return self.recommend(profile).model_dump_json().encode()
        index = memo.classes.index(profile)
        pieces = self._pieces[index]
        if pieces is None:
            memo.compact(profile, lambda: self._evaluate(profile))  # the class memoised first
            pieces = self._pieces[index] = self._written(index)
        return self._assembler.join(profile, pieces)

    def bulk(self) -> contextlib.AbstractContextManager[None]:
        """A block of many evaluations (a batch, a what-if): while it waits for the engine, every
        waiting single request goes first (:func:`recommender.engine.base.bulk`)."""
        return engine_base.bulk()

    def warm(self, limit: int | None = None, *, write_answers: bool = True) -> int:
        """Memoise the outcome of every class of the profile space (or of the first ``limit``) and,
        with ``write_answers``, write its answer once, so that each section's JSON is kept: the
        engine evaluates one profile of each class not yet memoised. The number evaluated; 0
        without a memo (``cache_size=0``)."""
        if self.memo is None:
            return 0
        before = self.memo.filled
        ask = self.recommend_json if write_answers else self.mode_and_level
        for profile in itertools.islice(self.memo.classes.representatives(), limit):
            ask(profile)
        return self.memo.filled - before

    @property
    def answers_kept(self) -> int:
        """How many classes' answers are kept written (:meth:`recommend_json`'s pieces)."""
        return sum(pieces is not None for pieces in self._pieces)

    def write_answers(self, *, pause: Callable[[], bool] | None = None, every: int = 64) -> int:
        """Write the answer of every memoised class not written yet, as its first request would
        (no engine evaluation: only classes the memo has), so that no request of a memoised class
        writes one. ``pause()`` is called after every ``every`` answers written; it returning
        True stops. The number written.

        Example:
            >>> Recommender.from_directory().write_answers()  # an empty memo: nothing to write
            0
        """
        if self.memo is None:
            return 0
        memo, kept, written = self.memo, self._pieces, 0
        for index in memo.filled_classes():
            if kept[index] is None:
                kept[index] = self._written(index)
                written += 1
                if pause is not None and written % every == 0 and pause():
                    break
        return written

    def save_answers(self, path: str | Path) -> None:
        """Write every class's answer written so far (:meth:`write_answers`) to ``path``, for
        :meth:`load_answers` in another process on the same knowledge base; no-op without a memo."""
        if self.memo is not None:
            answer_file.save(path, self.kb.digest, list(self._pieces))

    def load_answers(self, path: str | Path, *, samples: int = CHECKED_ON_LOAD) -> int:
        """Take the answers :meth:`save_answers` wrote to ``path`` for the classes memoised here
        whose answer is not written yet; the number taken (0 without a memo). First, up to
        ``samples`` of them (picked at random) are written here and compared with the file's:
        a file that disagrees is refused whole.

        Raises:
            ValueError: the file is not a sound answers file of this knowledge base
                (:func:`recommender.answer_file.load`), or disagrees with this code.
        """
        memo = self.memo
        if memo is None:
            return 0
        found = answer_file.load(path, self.kb.digest, memo.classes.size)
        kept = self._pieces
        taken = [index for index in memo.filled_classes() if kept[index] is None and found[index] is not None]
        for index in random.sample(taken, min(samples, len(taken))):
            if found[index] != self._written(index):
                raise ValueError(f"{Path(path).name}: class {index}'s answer is not the one this code writes")
        for index in taken:
            kept[index] = found[index]
        return len(taken)

    def _written(self, index: int) -> tuple[bytes, ...]:
        """What :meth:`recommend_json` keeps for a profile of the memoised class ``index``, from
        the class alone: its mask, level and proposal (each proposal is a class of its own)."""
        assert self.memo is not None
        fired, decided = self.memo.compact_at(index)
        proposed = cast("InitiationMode | None", self.memo.classes.value_at(index, "proposed_initiation"))
        return self._assembler.pieces(fired, decided.level, proposed)

    def save_memo(self, path: str | Path) -> None:
        """Write the memo (the outcome of every class memoised so far) to ``path``, for
        :meth:`load_memo` in another process on the same knowledge base; no-op without a memo."""
        if self.memo is not None:
            self.memo.save(path)

    def load_memo(self, path: str | Path, *, check: bool = True) -> int:
        """Take the outcomes of the classes :meth:`save_memo` wrote to ``path`` that are not
        memoised here yet; the number taken (0 without a memo). With ``check``, a sample of the
        file's classes is evaluated on this engine first, and the file is refused if one
        disagrees. Those evaluations take their turns at the engine as single requests do, not as
        bulk work: a worker busy with classes it has not memoised would otherwise put off the
        memo that answers them for as long as its load lasts.

        Raises:
            ValueError: the file is not a sound memo of this knowledge base
                (:meth:`recommender.memo.Memo.load`).
        """
        if self.memo is None:
            return 0
        return self.memo.load(path, check=self._evaluate if check else None)

    def outcome(self, profile: ProjectProfile) -> decision.Outcome:
        """The rules that fire for ``profile`` and what they decide (scores, ranking, level), without
        assembling a recommendation: the what-if analysis asks this of many changed profiles.

        Example:
            >>> Recommender.from_directory().outcome(profile).level  # doctest: +SKIP
            'co_production'
        """
        if self.memo is None:
            return self._evaluate(profile)
        return self.memo.get(profile, lambda: self._evaluate(profile))

    def mode_and_level(self, profile: ProjectProfile) -> decision.ModeAndLevel:
        """``outcome(profile).answer``: the recommended initiation mode and collaboration level (with
        the memo, without rebuilding the outcome)."""
        if self.memo is None:
            return self._evaluate(profile).answer
        return self.memo.compact(profile, lambda: self._evaluate(profile))[1].answer

    def _evaluate(self, profile: ProjectProfile) -> decision.Outcome:
        return outcome_on(self.kb, self.evaluator, profile.engine_fields())


def fired_on(kb: KnowledgeBase, evaluator: Evaluator, fields: Mapping[str, Scalar]) -> list[str]:
    """Ids of the rules ``evaluator`` fires, in firing order, on a profile whose engine fields
    (``ProjectProfile.engine_fields()``) are ``fields``: how the service evaluates every profile.
    ``kb check`` calls it with the fields alone, for tens of thousands of profiles."""
    proposed = cast("InitiationMode | None", fields.get("proposed_initiation"))
    return evaluator.evaluate(fields, lambda fired: decision.modes_in_play(kb, proposed, fired))


def outcome_on(kb: KnowledgeBase, evaluator: Evaluator, fields: Mapping[str, Scalar]) -> decision.Outcome:
    """What the rules ``evaluator`` fires on ``fields`` decide, as :func:`fired_on` evaluates them,
    ranked once: the ranking ``decide`` computes between the passes is the answer's, since the
    second pass only raises risks."""
    proposed = cast("InitiationMode | None", fields.get("proposed_initiation"))
    decided: list[decision.Outcome] = []

    def decide(fired: Sequence[str]) -> list[InitiationMode]:
        decided.append(decision.outcome(kb, fired))
        return decision.in_play(decided[-1].mode, proposed)

    fired = evaluator.evaluate(fields, decide)
    return decided[-1].with_fired(fired) if decided else decision.outcome(kb, fired)


_default: Recommender | None = None
_default_lock = threading.Lock()


def default_recommender() -> Recommender:
    """The process-wide recommender on the shipped knowledge base, built on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Recommender.from_directory()
        return _default


def recommend(profile: ProjectProfile, *, recommender: Recommender | None = None) -> Recommendation:
    """Recommend an initiation mode and collaboration level for a project, with risks and mitigations.

    Example:
        >>> from recommender import ProjectProfile, recommend
        >>> rec = recommend(ProjectProfile(project_type="evaluation", timeline_months=24,
        ...     funding="co_funded", relationship="long_term", staff_stability="high"))
        >>> rec.initiation_mode.recommended, rec.collaboration_level.recommended
        ('co_produced', 'co_production')
    """
    return (recommender or default_recommender()).recommend(profile)
