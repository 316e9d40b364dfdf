"""What an evaluator of the rule data does, whichever engine runs it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

Scalar = str | int | bool
#: Given the rules that fired on the profile, name the initiation modes in play.
Decide = Callable[[Sequence[str]], Sequence[str]]


class Evaluator(Protocol):
    """Runs the knowledge base's rules on one profile.

    Evaluation has two passes. The first asserts the profile and forward-chains through the
    rules' derived facts. ``decide`` then turns the rules fired so far into the initiation modes
    in play (the recommended one, and the proposed one if any), and the second pass fires the
    rules conditioned on those modes. The answer is the ids of every rule that fired, each once.
    """

    def evaluate(self, profile: Mapping[str, Scalar], decide: Decide) -> list[str]: ...
