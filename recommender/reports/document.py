"""The typed report document: one tree per answer, built in Python, that every writer turns into bytes.

A :class:`Document` holds its title, the metadata every document carries (the date, the
knowledge base's version and digest, the study's full reference), the inputs first (the
answers left at their defaults marked), then sections of blocks: paragraphs, lists, tables,
tender clauses, bid questions and chart data. Citations are numbered by :class:`Citations`
while the tree is built, in order of first citation, so that every writer prints the same
numbers. Writers hold no advice and no decisions (``recommender/reports/writers/``).

Example:
    >>> from recommender import default_recommender
    >>> c = Citations(default_recommender().kb)
    >>> c.cite(["collab.continuum", "collab.agency_forms"]).numbers, c.cite(["collab.continuum"]).numbers
    ((1, 2), (1,))
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Source

# --- inline content ---


@dataclass(frozen=True)
class Text:
    """A run of text; ``strong`` for emphasis, ``role`` a hint for writers (e.g. ``"risk-title"``)."""

    text: str
    strong: bool = False
    role: str | None = None


@dataclass(frozen=True)
class Cite:
    """Numbered references to the document's citations, e.g. ``[3, 4]``."""

    numbers: tuple[int, ...]


@dataclass(frozen=True)
class Ref:
    """A pointer to a numbered item of the same document (an action of the plan)."""

    label: str
    anchor: str
    number: int


Inline = Text | Cite | Ref
Content = tuple[Inline, ...]


def text(*parts: str | Inline) -> Content:
    """Inline content from strings (plain text) and inline items; empty strings are dropped."""
    return tuple(Text(p) if isinstance(p, str) else p for p in parts if p != "")


# --- blocks ---


@dataclass(frozen=True)
class Paragraph:
    content: Content
    role: str | None = None
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class Item:
    """A list item: its content, nested blocks, and a checkbox (``None``: no box; True: ticked)."""

    content: Content
    children: tuple[Block, ...] = ()
    checkbox: bool | None = None
    anchor: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class ItemList:
    """A bullet list, or a numbered one (``numbered``); ``role`` names its kind for writers' styles."""

    items: tuple[Item, ...]
    numbered: bool = False
    role: str | None = None
    kind: Literal["list"] = "list"


@dataclass(frozen=True)
class Table:
    """A table with a header row; the first cell of each row heads the row."""

    header: tuple[str, ...]
    rows: tuple[tuple[Content, ...], ...]
    caption: str | None = None
    role: str | None = None
    kind: Literal["table"] = "table"


@dataclass(frozen=True)
class Clause:
    """A numbered clause to write into a tender, with a checkbox to tick when it is in."""

    number: int
    title: str
    body: Content


@dataclass(frozen=True)
class Clauses:
    items: tuple[Clause, ...]
    kind: Literal["clauses"] = "clauses"


@dataclass(frozen=True)
class Question:
    """A numbered question for assessing bids: what a good answer shows, and the warning signs."""

    number: int
    question: str
    cites: Cite | None
    look_for: str
    warning_signs: tuple[str, ...]


@dataclass(frozen=True)
class Questions:
    items: tuple[Question, ...]
    kind: Literal["questions"] = "questions"


@dataclass(frozen=True)
class Choice:
    """One answer the document gives (who initiates, how closely to collaborate), with its explanation."""

    label: str
    value: str
    description: str


@dataclass(frozen=True)
class Answer:
    choices: tuple[Choice, ...]
    kind: Literal["answer"] = "answer"


@dataclass(frozen=True)
class Stop:
    label: str
    recommended: bool


@dataclass(frozen=True)
class Continuum:
    """Chart data: the collaboration levels from least to most, the recommended one marked."""

    stops: tuple[Stop, ...]
    kind: Literal["continuum"] = "continuum"


@dataclass(frozen=True)
class Gauge:
    """Chart data: a score out of 100 and the bands' thresholds ``(title, minimum)``."""

    score: int
    band: str
    thresholds: tuple[tuple[str, int], ...]
    kind: Literal["gauge"] = "gauge"


@dataclass(frozen=True)
class Section:
    """A titled part of the document; ``level`` 1 is a main section, 2 a subsection (a block of one)."""

    title: str
    blocks: tuple[Block, ...] = ()
    anchor: str | None = None
    level: int = 1
    role: str | None = None
    kind: Literal["section"] = "section"


Block = Paragraph | ItemList | Table | Clauses | Questions | Answer | Continuum | Gauge | Section


# --- the document ---


@dataclass(frozen=True)
class Input:
    """One input as the person gave it, or the default used when they gave none."""

    field: str
    label: str
    value: str
    defaulted: bool


@dataclass(frozen=True)
class Citation:
    """A finding of the study cited by the document, numbered in order of first citation."""

    number: int
    finding: str
    statement: str
    source: Source


@dataclass(frozen=True)
class Metadata:
    date: datetime.date
    kb_title: str
    kb_version: str
    kb_digest: str
    #: The study's full reference (from the knowledge base); empty for an edition without one.
    reference: str


@dataclass(frozen=True)
class Document:
    """A report as a typed tree; :func:`recommender.reports.render` writes it in any format."""

    kind: str
    title: str
    subtitle: str
    metadata: Metadata
    inputs: tuple[Input, ...]
    sections: tuple[Section, ...]
    citations: tuple[Citation, ...]
    #: Label to address of the same report in other formats and of related pages.
    links: tuple[tuple[str, str], ...] = ()
    #: A short name for files, e.g. ``tender-brief``.
    slug: str = "report"
    #: What the inputs' default mark means, said once before them.
    inputs_note: str = ""
    #: The heading of the inputs, the document's first section.
    inputs_title: str = "Your project"

    @property
    def defaulted_inputs(self) -> tuple[Input, ...]:
        return tuple(i for i in self.inputs if i.defaulted)


@dataclass
class Citations:
    """Numbers findings as the document cites them: the first finding cited is 1."""

    kb: KnowledgeBase
    _numbers: dict[str, int] = field(default_factory=dict)

    def cite(self, finding_ids: Iterable[str]) -> Cite:
        numbers = []
        for finding_id in finding_ids:
            number = self._numbers.setdefault(finding_id, len(self._numbers) + 1)
            if number not in numbers:
                numbers.append(number)
        return Cite(tuple(numbers))

    def listed(self) -> tuple[Citation, ...]:
        findings = self.kb.findings
        return tuple(
            Citation(number, finding_id, findings[finding_id].statement, findings[finding_id].source)
            for finding_id, number in self._numbers.items()
        )
