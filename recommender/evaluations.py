"""The engine's answer for a profile (mode and level), as one what-if question sees it.

The what-if analysis asks the engine about many changed profiles. The answer is exactly what
:func:`recommender.recommend` concludes (:meth:`Recommender.outcome` scores, ranks and bounds
the fired rules with :func:`recommender.decision.outcome`); the recommender keeps the answers
across questions, in its own bounded cache.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict

from recommender.profile import ProjectProfile
from recommender.service import Recommender
from recommender.vocabulary import CollaborationLevel, InitiationMode


class Outcome(BaseModel):
    """The engine's answer: the recommended initiation mode and collaboration level."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    initiation_mode: InitiationMode
    collaboration_level: CollaborationLevel


class Engine:
    """Evaluates profiles for one question, each distinct profile once, and counts them."""

    def __init__(self, recommender: Recommender) -> None:
        self.recommender = recommender
        self.kb = recommender.kb
        self._asked: dict[str, tuple[Outcome, frozenset[str]]] = {}

    @property
    def evaluations(self) -> int:
        """The distinct profiles (as the rules read them) this question has looked at."""
        return len(self._asked)

    def evaluate(self, profile: ProjectProfile) -> tuple[Outcome, frozenset[str]]:
        fields = json.dumps(profile.engine_fields(), sort_keys=True)
        answer = self._asked.get(fields)
        if answer is None:
            decided = self.recommender.outcome(profile)
            outcome = Outcome.model_validate({"initiation_mode": decided.mode, "collaboration_level": decided.level})
            answer = self._asked[fields] = (outcome, decided.fired)
        return answer
