"""The recommend service: a loaded, compiled knowledge base answering profiles."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Generic, TypeVar, cast

from recommender import assemble, decision
from recommender.engine.base import Evaluator, Scalar
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.loader import load_knowledge_base
from recommender.profile import ProjectProfile
from recommender.recommendation import Recommendation
from recommender.vocabulary import InitiationMode

#: Answers a recommender keeps, least recently used dropped first (about 5.5 kB each; see ``bench/``).
DEFAULT_CACHE_SIZE = 512

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
    ``recommend`` keeps the last ``cache_size`` answers, keyed by the validated profile (the
    knowledge base, and so its digest, is fixed per recommender), and ``outcome`` the last
    ``cache_size`` outcomes, keyed by the knowledge base's digest and the fields the rules
    read; ``cache_size=0`` turns both off. Answers are frozen and may be shared between
    callers: do not mutate them.

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
        self._answers: _Cache[ProjectProfile, Recommendation] = _Cache(cache_size)
        self._outcomes: _Cache[tuple[str, str], decision.Outcome] = _Cache(cache_size)

    @classmethod
    def from_directory(
        cls, directory: str | Path | None = None, *, cache_size: int = DEFAULT_CACHE_SIZE
    ) -> Recommender:
        """Load, validate and compile the knowledge base in ``directory`` (default: shipped)."""
        return cls(load_knowledge_base(directory), cache_size=cache_size)

    def fired_rules(self, profile: ProjectProfile) -> list[str]:
        """Ids of the rules that fire for ``profile``, in firing order (always evaluated, never cached)."""
        return fired_on(self.kb, self.evaluator, profile.engine_fields())

    def recommend(self, profile: ProjectProfile) -> Recommendation:
        """The recommendation for ``profile``; the same profile always gives the same answer."""
        answer = self._answers.get_or_compute(
            profile, lambda: self._assembler.build(profile, self.fired_rules(profile))
        )
        # An equal profile may be another instance (e.g. a default given explicitly): answer with the caller's.
        return answer if answer.profile is profile else answer.model_copy(update={"profile": profile})

    def outcome(self, profile: ProjectProfile) -> decision.Outcome:
        """The rules that fire for ``profile`` and what they decide (scores, ranking, level), without
        assembling a recommendation: the what-if analysis asks this of many changed profiles.

        Example:
            >>> Recommender.from_directory().outcome(profile).level  # doctest: +SKIP
            'co_production'
        """
        key = (self.kb.digest, json.dumps(profile.engine_fields(), sort_keys=True))
        return self._outcomes.get_or_compute(key, lambda: decision.outcome(self.kb, self.fired_rules(profile)))


def fired_on(kb: KnowledgeBase, evaluator: Evaluator, fields: Mapping[str, Scalar]) -> list[str]:
    """Ids of the rules ``evaluator`` fires, in firing order, on a profile whose engine fields
    (``ProjectProfile.engine_fields()``) are ``fields``: how the service evaluates every profile.
    ``kb check`` calls it with the fields alone, for tens of thousands of profiles."""
    proposed = cast("InitiationMode | None", fields.get("proposed_initiation"))
    return evaluator.evaluate(fields, lambda fired: decision.modes_in_play(kb, proposed, fired))


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
