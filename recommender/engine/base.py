"""What an evaluator of the rule data does, whichever engine runs it."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator, Mapping, Sequence
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


_bulk = contextvars.ContextVar("engine_bulk", default=False)


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """Evaluations in this block are bulk work (a batch, a what-if): an engine that serialises its
    calls lets every waiting single request go first, so long work never holds up short."""
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)


def in_bulk() -> bool:
    """Whether the current evaluation is bulk work (see :func:`bulk`)."""
    return _bulk.get()
