"""The document of a partnership's divergence: where the partners' answers differ, the advice each
view gets, and what to talk through first, with the findings cited by number (their ids stay in
the JSON and the sources list).

Example:
    >>> build_divergence(report, kb).kind  # doctest: +SKIP
    'divergence'
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.reports.document import (
    Citations,
    Document,
    Input,
    Item,
    ItemList,
    Metadata,
    Paragraph,
    Section,
    Table,
    text,
)

if TYPE_CHECKING:  # the partnerships package builds the report; the reports do not import it
    from recommender.partnerships.report import DivergenceReport

#: Said for the views' advice, whether or not it differs.
ADVICE_DIFFERS = {True: "The partners' views get different advice.", False: "Every view gets the same advice."}


def build_divergence(report: DivergenceReport, kb: KnowledgeBase, *, today: datetime.date | None = None) -> Document:
    """The divergence ``report`` (from :func:`recommender.partnerships.divergence_report`) as a document."""
    citations = Citations(kb)
    partners = [name for name, _ in report.partners]
    differing: Paragraph | Table = (
        Table(
            ("Question", *partners),
            tuple((text(row.label), *(text(value) for _, value in row.values)) for row in report.fields),
            caption="Each answer on which the partners differ, with each partner's value",
            role="divergence",
        )
        if report.fields
        else Paragraph(text("Every partner gave the same answers."))
    )
    advice = Table(
        ("Partner", "Who should initiate", "How closely to collaborate", "Risks"),
        tuple(
            (text(a.partner), text(a.initiation), text(a.level), text("; ".join(a.risks) or "none"))
            for a in report.advice
        ),
        caption="The recommendation each partner's view would get",
        role="advice",
    )
    talk = ItemList(
        tuple(
            Item(text(point.text, citations.cite(f.id for f in point.findings)), anchor=f"talk-{number}")
            for number, point in enumerate(report.talk_through, start=1)
        ),
        numbered=True,
        role="talk-through",
    )
    return Document(
        kind="divergence",
        title="Where the partners' views differ",
        subtitle=report.title,
        metadata=Metadata(
            date=today or datetime.datetime.now(datetime.timezone.utc).date(),
            kb_title=kb.title,
            kb_version=kb.version,
            kb_digest=kb.digest,
            reference=kb.study.reference if kb.study else "",
        ),
        inputs=tuple(
            Input(field=f"partner-{number}", label=name, value=party, defaulted=False)
            for number, (name, party) in enumerate(report.partners, start=1)
        ),
        inputs_title="The partners",
        sections=(
            Section("Answers that differ", (differing,), anchor="fields-heading"),
            Section("The advice each view gets", (Paragraph(text(ADVICE_DIFFERS[report.advice_differs])), advice)),
            Section("What to talk through first", (talk,), anchor="talk-heading"),
        ),
        citations=citations.listed(),
        slug="divergence",
    )
