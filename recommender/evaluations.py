"""The engine's answer for a profile (mode and level), with evaluations shared across questions.

Used by the what-if analysis, which asks the engine about many changed profiles. The answer
is exactly what :func:`recommender.recommend` concludes: the fired rules are scored, ranked
and bounded by :mod:`recommender.decision`.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

from pydantic import BaseModel, ConfigDict

from recommender import decision
from recommender.profile import CollaborationLevel, InitiationMode, ProjectProfile
from recommender.service import Recommender


class Outcome(BaseModel):
    """The engine's answer: the recommended initiation mode and collaboration level."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    initiation_mode: InitiationMode
    collaboration_level: CollaborationLevel


class _Answers:
    """Engine answers by knowledge base, evaluator kind and profile, shared across calls (bounded).

    The same knowledge base gives the same answer for the same profile, so repeated what-if
    questions (and overlapping searches) reuse earlier evaluations.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple[str, str, str], tuple[Outcome, frozenset[str]]] = OrderedDict()

    def get(self, key: tuple[str, str, str]) -> tuple[Outcome, frozenset[str]] | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, str], answer: tuple[Outcome, frozenset[str]]) -> None:
        with self.lock:
            self.entries[key] = answer
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_ANSWERS = _Answers(size=20_000)


class Engine:
    """Evaluates profiles on the engine, counting the distinct profiles one question looks at."""

    def __init__(self, recommender: Recommender) -> None:
        self.recommender = recommender
        self.kb = recommender.kb
        self.kind = type(recommender.evaluator).__qualname__
        self.seen: set[str] = set()

    def evaluate(self, profile: ProjectProfile) -> tuple[Outcome, frozenset[str]]:
        fields = json.dumps(profile.engine_fields(), sort_keys=True)
        self.seen.add(fields)
        key = (self.kb.digest, self.kind, fields)
        answer = _ANSWERS.get(key)
        if answer is None:
            decided = decision.outcome(self.kb, self.recommender.fired_rules(profile))
            outcome = Outcome.model_validate({"initiation_mode": decided.mode, "collaboration_level": decided.level})
            answer = (outcome, decided.fired)
            _ANSWERS.put(key, answer)
        return answer
