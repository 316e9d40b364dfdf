"""Evaluators of the knowledge base's rules."""

from recommender.engine.base import Decide, Evaluator, Scalar

__all__ = ["Decide", "Evaluator", "Scalar"]
