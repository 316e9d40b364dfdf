"""Load and cross-check the plan-check and tender files of the knowledge base.

``components.yaml`` (plan components and their severities), ``readiness.yaml`` (severity
weights, readiness bands and caps) and ``tender.yaml`` (tender clauses, bid-assessment
questions, agency commitments). Each is required, except in a partial knowledge base (see
:func:`~recommender.kb.loader.load_knowledge_base`); a file that is present must be complete and
consistent.

Example:
    >>> from recommender.kb import load_knowledge_base
    >>> kb = load_knowledge_base()
    >>> kb.components["data_access_agreement"].severity.base
    'low'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from recommender.errors import KnowledgeBaseError
from recommender.kb.models import (
    AgencyCommitment,
    Applies,
    BidQuestion,
    Component,
    ComponentsFile,
    Readiness,
    ReadinessFile,
    TenderClause,
    TenderFile,
    TenderNotice,
)
from recommender.kb.validate import condition_problem, load_file, refs, unique

COMPONENTS = "components.yaml"
READINESS = "readiness.yaml"
TENDER = "tender.yaml"


@dataclass(frozen=True)
class PlanKnowledge:
    """What the three files hold, validated; empty when the files are absent."""

    components: dict[str, Component] = field(default_factory=dict)
    readiness: Readiness | None = None
    tender_clauses: tuple[TenderClause, ...] = ()
    bid_questions: tuple[BidQuestion, ...] = ()
    agency_commitments: tuple[AgencyCommitment, ...] = ()
    tender_notices: tuple[TenderNotice, ...] = ()

    def digest_parts(self) -> list[object]:
        """The validated content, for the knowledge base's digest (nothing when absent)."""
        parts: list[object] = []
        if self.components:
            parts.append(list(self.components.values()))
        if self.readiness is not None:
            parts.append(self.readiness)
        if self.tender_clauses or self.bid_questions or self.agency_commitments:
            parts += [list(self.tender_clauses), list(self.bid_questions), list(self.agency_commitments)]
        if self.tender_notices:
            parts.append(list(self.tender_notices))
        return parts


@dataclass(frozen=True)
class Known:
    """Ids the other files define, for cross-reference checks."""

    findings: set[str]
    risks: set[str]
    mitigations: set[str]
    facts: set[str]


def load_plan_knowledge(root: Path, known: Known, *, partial: bool = False) -> PlanKnowledge:
    """Load the three files under ``root`` (with ``partial``, those that exist) and check every reference.

    Raises:
        KnowledgeBaseError: naming the file (a missing one too) and the entry at fault.
    """

    def wanted(name: str) -> bool:
        return not partial or (root / name).exists()

    readiness = _load_readiness(root, known) if wanted(READINESS) else None
    components: dict[str, Component] = {}
    if wanted(COMPONENTS):
        if readiness is None:
            raise KnowledgeBaseError(f"needs {READINESS} for its severities", file=COMPONENTS)
        components = _load_components(root, known, readiness)
    if not wanted(TENDER):
        return PlanKnowledge(components=components, readiness=readiness)
    tender = load_file(root, TENDER, TenderFile)
    for section, items in (
        ("clauses", tender.clauses),
        ("questions", tender.questions),
        ("commitments", tender.commitments),
        ("notices", tender.notices),
    ):
        unique(TENDER, (f"{section}.{item.id}" for item in items))
        for item in items:
            entry = f"{section}.{item.id}"
            refs(TENDER, entry, "finding", item.findings, known.findings)
            _check_applies(TENDER, entry, item.applies, known)
    for clause in tender.clauses:
        refs(TENDER, f"clauses.{clause.id}", "mitigation", clause.mitigations, known.mitigations)
    return PlanKnowledge(
        components=components,
        readiness=readiness,
        tender_clauses=tuple(tender.clauses),
        bid_questions=tuple(tender.questions),
        agency_commitments=tuple(tender.commitments),
        tender_notices=tuple(tender.notices),
    )


def _load_readiness(root: Path, known: Known) -> Readiness:
    readiness = load_file(root, READINESS, ReadinessFile).readiness
    severities = unique(READINESS, (s.id for s in readiness.severities))
    bands = unique(READINESS, (b.id for b in readiness.bands))
    refs(READINESS, "readiness", "finding", readiness.findings, known.findings)
    scores = [band.min_score for band in readiness.bands]
    if scores != sorted(set(scores), reverse=True) or scores[-1] != 0:
        raise KnowledgeBaseError(
            "bands must be listed best first with strictly falling min_score, the last at 0",
            file=READINESS,
            entry="bands",
        )
    weights = [s.weight for s in readiness.severities]
    if weights != sorted(set(weights)):
        raise KnowledgeBaseError(
            "severities must be listed lowest first with strictly rising weights", file=READINESS, entry="severities"
        )
    for cap in readiness.caps:
        entry = f"caps.{cap.severity}"
        refs(READINESS, entry, "severity", [cap.severity], severities)
        refs(READINESS, entry, "band", [cap.band], bands)
        refs(READINESS, entry, "finding", cap.findings, known.findings)
    return readiness


def _load_components(root: Path, known: Known, readiness: Readiness) -> dict[str, Component]:
    components = load_file(root, COMPONENTS, ComponentsFile).components
    unique(COMPONENTS, (c.id for c in components))
    order = [s.id for s in readiness.severities]
    for component in components:
        entry = component.id
        refs(COMPONENTS, entry, "finding", component.findings, known.findings)
        refs(COMPONENTS, entry, "risk", component.risks, known.risks)
        refs(COMPONENTS, entry, "mitigation", component.add, known.mitigations)
        severity = component.severity
        named = [severity.base, *(r.to for r in (*severity.raises, *severity.at_most))]
        refs(COMPONENTS, entry, "severity", named, set(order))
        for position, raise_ in enumerate(severity.raises):
            where = f"severity.raises[{position}]"
            if order.index(raise_.to) <= order.index(severity.base):
                raise KnowledgeBaseError(
                    f"{where}: raises to {raise_.to!r}, which is not above the base {severity.base!r}",
                    file=COMPONENTS,
                    entry=entry,
                )
            refs(COMPONENTS, entry, "finding", raise_.findings, known.findings)
            _check_applies(COMPONENTS, entry, raise_.when, known, where=f"{where}.when")
        for position, cap in enumerate(severity.at_most):
            refs(COMPONENTS, entry, "finding", cap.findings, known.findings)
            _check_applies(COMPONENTS, entry, cap.when, known, where=f"severity.at_most[{position}].when")
    return {c.id: c for c in components}


def _check_applies(file: str, entry: str, applies: Applies, known: Known, *, where: str = "applies") -> None:
    for name, condition in applies.profile.items():
        problem = condition_problem(name, condition)
        if problem:
            raise KnowledgeBaseError(f"{where}: condition on {name!r}: {problem}", file=file, entry=entry)
    refs(file, entry, "fact", applies.facts, known.facts)
