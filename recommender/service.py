"""The recommend service: a loaded, compiled knowledge base answering profiles."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from recommender import assemble, decision
from recommender.engine.base import Evaluator
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.loader import load_knowledge_base
from recommender.profile import ProjectProfile
from recommender.recommendation import Recommendation

#: Answers a recommender keeps, least recently used dropped first (about 5.5 kB each; see ``bench/``).
DEFAULT_CACHE_SIZE = 512


class Recommender:
    """A knowledge base compiled into an engine, ready to answer.

    Build one at start-up; it is safe to share (the engine adapter serialises its calls).
    ``recommend`` keeps the last ``cache_size`` answers, keyed by the validated profile (the
    knowledge base, and so its digest, is fixed per recommender); ``cache_size=0`` turns that
    off. Answers are frozen models and may be shared between callers: do not mutate them.

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
        self._answers: OrderedDict[ProjectProfile, Recommendation] = OrderedDict()
        self._answers_lock = threading.Lock()

    @classmethod
    def from_directory(cls, directory: str | Path | None = None) -> Recommender:
        """Load, validate and compile the knowledge base in ``directory`` (default: shipped)."""
        return cls(load_knowledge_base(directory))

    def fired_rules(self, profile: ProjectProfile) -> list[str]:
        """Ids of the rules that fire for ``profile``, in firing order."""
        return self.evaluator.evaluate(
            profile.engine_fields(),
            lambda fired: decision.modes_in_play(self.kb, profile.proposed_initiation, fired),
        )

    def recommend(self, profile: ProjectProfile) -> Recommendation:
        """The recommendation for ``profile``; the same profile always gives the same answer."""
        if self.cache_size <= 0:
            return self._assembler.build(profile, self.fired_rules(profile))
        with self._answers_lock:
            answer = self._answers.get(profile)
            if answer is not None:
                self._answers.move_to_end(profile)
        if answer is None:
            answer = self._assembler.build(profile, self.fired_rules(profile))
            with self._answers_lock:
                self._answers[profile] = answer
                if len(self._answers) > self.cache_size:
                    self._answers.popitem(last=False)
        # An equal profile may be another instance (e.g. a default given explicitly): answer with the caller's.
        return answer if answer.profile is profile else answer.model_copy(update={"profile": profile})


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
