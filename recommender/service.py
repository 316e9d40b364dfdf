"""The recommend service: a loaded, compiled knowledge base answering profiles."""

from __future__ import annotations

import threading
from pathlib import Path

from recommender import assemble, decision
from recommender.engine.base import Evaluator
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.loader import load_knowledge_base
from recommender.profile import ProjectProfile
from recommender.recommendation import Recommendation


class Recommender:
    """A knowledge base compiled into an engine, ready to answer.

    Build one at start-up; it is safe to share (the engine adapter serialises its calls).

    Example:
        >>> r = Recommender.from_directory()          # the shipped knowledge base
        >>> r.recommend(profile).initiation_mode.recommended  # doctest: +SKIP
        'agency'
    """

    def __init__(self, kb: KnowledgeBase, evaluator: Evaluator | None = None) -> None:
        if evaluator is None:
            from recommender.engine.durable_adapter import DurableEvaluator

            evaluator = DurableEvaluator(kb)
        self.kb = kb
        self.evaluator = evaluator

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
        return assemble.build(self.kb, profile, self.fired_rules(profile))


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
