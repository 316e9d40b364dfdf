"""The loaded, validated knowledge base: an immutable view the engine and services share."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from recommender.errors import KnowledgeBaseError
from recommender.kb.fields import FIELDS, FieldGuideBook
from recommender.kb.models import (
    AgencyCommitment,
    BidQuestion,
    Calibration,
    Claim,
    Component,
    FactDef,
    Finding,
    Level,
    Margin,
    Mitigation,
    Mode,
    Monotone,
    Readiness,
    Risk,
    Rule,
    Statement,
    Study,
    TenderClause,
    TenderNotice,
)
from recommender.vocabulary import CollaborationLevel


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything in ``rules/``, validated and cross-referenced. Build with ``load_knowledge_base``."""

    root: Path
    version: str
    title: str
    digest: str
    modes: tuple[Mode, ...]
    tie_break_findings: tuple[str, ...]
    levels: tuple[Level, ...]
    facts: Mapping[str, FactDef]
    findings: Mapping[str, Finding]
    risks: Mapping[str, Risk]
    mitigations: Mapping[str, Mitigation]
    rules: tuple[Rule, ...]
    monotone: Monotone
    claims: tuple[Claim, ...] = ()
    #: Modes at most this many points apart are a close call (None: only exact ties are).
    margin: Margin | None = None
    tie_break_calibration: Calibration | None = None
    #: What a successful partnership looks like, and how far to trust the advice (shown in every answer).
    success: tuple[Statement, ...] = ()
    limits: tuple[Statement, ...] = ()
    # Plan check and tender brief (components.yaml, readiness.yaml, tender.yaml); empty only in a
    # partial knowledge base.
    components: Mapping[str, Component] = field(default_factory=dict)
    readiness: Readiness | None = None
    tender_clauses: tuple[TenderClause, ...] = ()
    bid_questions: tuple[BidQuestion, ...] = ()
    agency_commitments: tuple[AgencyCommitment, ...] = ()
    tender_notices: tuple[TenderNotice, ...] = ()
    #: The words of the form and the reports (fields.yaml), loaded once; None only in a partial knowledge base.
    field_guide: FieldGuideBook | None = None
    #: What partners whose views diverge talk through first (partnerships.yaml, optional).
    talk_through: tuple[Statement, ...] = ()
    #: The study the findings come from (knowledge_base.yaml), cited in full by every document.
    study: Study | None = None

    def require_field_guide(self) -> FieldGuideBook:
        """The field guide, for the form and the reports.

        Raises:
            KnowledgeBaseError: naming ``fields.yaml`` when this knowledge base has none.
        """
        if self.field_guide is None:
            raise KnowledgeBaseError("file not found", file=FIELDS)
        return self.field_guide

    @functools.cached_property
    def rules_by_id(self) -> Mapping[str, Rule]:
        """Rules by id, built once per knowledge base (used on every evaluation)."""
        return {rule.id: rule for rule in self.rules}

    @functools.cached_property
    def level_bounds(self) -> Mapping[str, tuple[CollaborationLevel | None, CollaborationLevel | None]]:
        """Each rule's (``level_at_least``, ``level_at_most``) by rule id, built once per knowledge base."""
        return {rule.id: (rule.then.level_at_least, rule.then.level_at_most) for rule in self.rules}

    def citations(self) -> Iterator[tuple[str, str, str]]:
        """Every (finding id, citing kind, citing id) pair in the knowledge base."""
        for mode in self.modes:
            for finding in mode.findings:
                yield finding, "mode", mode.id
        for finding in self.tie_break_findings:
            yield finding, "tie_break", "tie_break"
        for finding in self.monotone.findings:
            yield finding, "monotone", self.monotone.mode
        for mode in self.modes:
            for finding in mode.fit.findings if mode.fit else ():
                yield finding, "mode_fit", mode.id
        for claim in self.claims:
            for finding in claim.findings:
                yield finding, "claim", claim.id
        if self.margin is not None:
            for finding in self.margin.findings:
                yield finding, "margin", "margin"
        for kind, statements in (
            ("success", self.success),
            ("limit", self.limits),
            ("talk_through", self.talk_through),
        ):
            for statement in statements:
                for finding in statement.findings:
                    yield finding, kind, statement.id
        for level in self.levels:
            for finding in level.findings:
                yield finding, "level", level.id
        for risk in self.risks.values():
            for finding in risk.findings:
                yield finding, "risk", risk.id
        for mitigation in self.mitigations.values():
            for finding in mitigation.findings:
                yield finding, "mitigation", mitigation.id
        for rule in self.rules:
            for finding in rule.findings:
                yield finding, "rule", rule.id
        yield from self._plan_citations()

    def _plan_citations(self) -> Iterator[tuple[str, str, str]]:
        for component in self.components.values():
            for finding in component.findings:
                yield finding, "component", component.id
            for raise_ in component.severity.raises:
                for finding in raise_.findings:
                    yield finding, "severity_raise", component.id
        if self.readiness is not None:
            for finding in self.readiness.findings:
                yield finding, "readiness", "readiness"
            for cap in self.readiness.caps:
                for finding in cap.findings:
                    yield finding, "readiness_cap", cap.severity
        for kind, items in (
            ("tender_clause", self.tender_clauses),
            ("bid_question", self.bid_questions),
            ("agency_commitment", self.agency_commitments),
            ("tender_notice", self.tender_notices),
        ):
            for item in items:
                for finding in item.findings:
                    yield finding, kind, item.id
