"""Errors raised by the recommender library.

Every error derives from :class:`RecommenderError` and carries structured fields so that
callers (the HTTP API, the CLI) can report them without parsing messages::

    RecommenderError
    ├── KnowledgeBaseError      a rules/ file is missing, malformed or inconsistent
    ├── ProfileError            a project profile (or other input) is invalid
    └── EngineError             the inference engine failed while evaluating

Example:
    >>> from recommender.errors import KnowledgeBaseError
    >>> err = KnowledgeBaseError("cites unknown finding 'x'", file="rules.yaml", entry="r1")
    >>> str(err)
    "rules.yaml: entry 'r1': cites unknown finding 'x'"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class RecommenderError(Exception):
    """Base class of every error this library raises."""


class KnowledgeBaseError(RecommenderError):
    """A knowledge-base file is missing, malformed, or refers to something that does not exist.

    Attributes:
        file: the file at fault, relative to the knowledge-base folder.
        entry: the id (or position) of the entry at fault, when one can be named.
        reason: what is wrong.
    """

    def __init__(self, reason: str, *, file: str, entry: str | None = None) -> None:
        self.reason = reason
        self.file = file
        self.entry = entry
        where = f"{file}: entry {entry!r}" if entry is not None else file
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field of an input: its location (e.g. ``"timeline_months"``) and why."""

    field: str
    reason: str
    value: Any = None


class ProfileError(RecommenderError):
    """An input (a project profile, a plan) failed validation.

    Attributes:
        problems: every offending field with its reason.
    """

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        summary = "; ".join(f"{p.field}: {p.reason}" for p in problems)
        super().__init__(f"invalid input: {summary}")


class EngineError(RecommenderError):
    """The inference engine failed while evaluating a profile (a defect, never bad input)."""
