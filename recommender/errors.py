"""Errors raised by the recommender library.

Every error derives from :class:`RecommenderError` and carries structured fields so that
callers (the HTTP API, the CLI) can report them without parsing messages::

    RecommenderError
    ├── KnowledgeBaseError      a rules/ file is missing, malformed or inconsistent
    ├── UnknownKnowledgeBaseError  no knowledge base of the version asked for is loaded
    ├── ProfileError            a project profile (or other input) is invalid
    ├── EngineError             the inference engine failed while evaluating
    ├── StorageError            the partnerships database cannot be used (e.g. an unknown newer schema)
    └── AccessError             a stored partnership refused a request
        ├── UnauthenticatedError  no token, or one that opens nothing
        ├── NotFoundError         no such partnership (or partner) for this token
        └── ForbiddenError        a valid token that may not do this

Example:
    >>> from recommender.errors import KnowledgeBaseError
    >>> err = KnowledgeBaseError("cites unknown finding 'x'", file="rules.yaml", entry="r1")
    >>> str(err)
    "rules.yaml: entry 'r1': cites unknown finding 'x'"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recommender.text import visible

#: The most characters of input (a field name, a value) an error repeats; longer text is cut to this.
MAX_ECHO = 80
#: The most characters of a knowledge-base error's reason; a longer one is cut to this.
MAX_REASON = 500
#: Integers with more digits than this are not echoed.
MAX_DIGITS = 18
#: The most problems a :class:`ProfileError` lists; it counts the rest. Input with 100,000
#: unknown keys is answered with 20 of them, not 100,000 (each echoing its name).
MAX_PROBLEMS = 20


def shorten(text: str, limit: int = MAX_ECHO) -> str:
    """``text`` cut to at most ``limit`` characters, ending in ``...`` when it was cut.

    Example:
        >>> shorten("x" * 100, 10)
        'xxxxxxx...'
    """
    return text if len(text) <= limit else text[: limit - 3] + "..."


def echo(text: str, limit: int = MAX_ECHO) -> str:
    r"""``text`` safe to repeat back: control characters escaped (``\u001b``), then cut to ``limit``.

    Example:
        >>> echo("Plan\x1b[31m")
        'Plan\\u001b[31m'
    """
    return shorten(visible(text[: limit + 1]), limit)


class RecommenderError(Exception):
    """Base class of every error this library raises."""


class KnowledgeBaseError(RecommenderError):
    """A knowledge-base file is missing, malformed, or refers to something that does not exist.

    The reason never holds a path on the server (it is shown to HTTP clients) and, like the
    entry, is cut to a bounded length (it may quote the file).

    Attributes:
        file: the file at fault, relative to the knowledge-base folder.
        entry: the id (or position) of the entry at fault, when one can be named.
        reason: what is wrong.
        line: the line (from 1) at fault, when the file could not be parsed and it is known.
        edition: of several knowledge bases loaded together (:func:`recommender.registry.load_editions`),
            the position (from 0) of the one at fault.
    """

    edition: int | None = None

    def __init__(self, reason: str, *, file: str, entry: str | None = None, line: int | None = None) -> None:
        self.reason = echo(reason, MAX_REASON)
        self.file = file
        self.entry = echo(entry) if entry is not None else None
        self.line = line
        where = f"{file}: entry {self.entry!r}" if self.entry is not None else file
        if line is not None:
            where += f": line {line}"
        super().__init__(f"{where}: {self.reason}")


class UnknownKnowledgeBaseError(RecommenderError):
    """No knowledge base of the version asked for is loaded.

    Attributes:
        version: the version asked for (bounded, safe to echo).
        known: the versions that are loaded.

    Example:
        >>> str(UnknownKnowledgeBaseError("9.9", known=["1.0"]))
        "no knowledge base of version '9.9' is loaded; loaded: 1.0"
    """

    def __init__(self, version: str, *, known: list[str]) -> None:
        self.version = echo(version)
        self.known = known
        super().__init__(f"no knowledge base of version {self.version!r} is loaded; loaded: {', '.join(known)}")


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field of an input: its location (e.g. ``"timeline_months"``) and why.

    The field's name and the value are echoed to whoever sent them, so both are bounded here:
    the name is cut to :data:`MAX_ECHO` characters, and the value is kept only when it is a
    short scalar (text cut likewise, control characters shown as ``\\uXXXX``).

    Example:
        >>> FieldProblem("k" * 1000, "unknown field", "v" * 1000).field
        'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'
    """

    field: str
    reason: str
    value: Any = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", echo(self.field))
        object.__setattr__(self, "value", _echo(self.value))


class ProfileError(RecommenderError):
    """An input (a project profile, a plan) failed validation.

    Attributes:
        problems: the offending fields with their reasons, the first :data:`MAX_PROBLEMS` of them.
        total: how many fields are at fault in all (``total - len(problems)`` are not listed).

    Example:
        >>> err = ProfileError([FieldProblem(f"k{i}", "unknown field") for i in range(30)])
        >>> len(err.problems), err.total
        (20, 30)
    """

    def __init__(self, problems: list[FieldProblem], *, total: int | None = None) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        self.total = max(len(problems), total or 0)
        summary = "; ".join(f"{p.field}: {p.reason}" for p in self.problems)
        more = f"; and {self.total - len(self.problems)} more" if self.total > len(self.problems) else ""
        super().__init__(f"invalid input: {summary}{more}")


def _echo(value: Any) -> Any:
    """``value`` if it is short enough to repeat back: a bool, a number of a few digits, bounded text."""
    if isinstance(value, str):
        return echo(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        return value if abs(value) < 10**MAX_DIGITS else None
    return None  # containers and objects are not echoed


class EngineError(RecommenderError):
    """The inference engine failed while evaluating a profile (a defect, never bad input)."""


class StorageError(RecommenderError):
    """The partnerships database cannot be used: e.g. its schema is at a revision this version does not know."""


class AccessError(RecommenderError):
    """A stored partnership refused a request; the message says why without naming any secret."""


class UnauthenticatedError(AccessError):
    """No token was given, or it opens no partnership."""


class NotFoundError(AccessError):
    """No such partnership (or partner) for this token: a token of another partnership learns nothing."""


class ForbiddenError(AccessError):
    """The token belongs to the partnership but may not do this."""
