"""Evaluators that wrap the real one, for tests that count or break the engine's calls."""

from __future__ import annotations

from collections.abc import Mapping

from recommender.engine.base import Decide, Evaluator, Scalar


class CountingEvaluator:
    """Counts the evaluations that reach the engine."""

    def __init__(self, inner: Evaluator) -> None:
        self.inner = inner
        self.calls = 0

    def evaluate(self, profile: Mapping[str, Scalar], decide: Decide) -> list[str]:
        self.calls += 1
        return self.inner.evaluate(profile, decide)
