"""Load, validate and cross-reference the knowledge base in ``rules/``.

Example:
    >>> kb = load_knowledge_base()
    >>> kb.findings["coprod.shared_risk"].source.table
    'Table 3'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from recommender.errors import KnowledgeBaseError
from recommender.kb.fields import FIELDS, load_field_guide
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import (
    FindingsFile,
    Manifest,
    MitigationsFile,
    PartnershipsFile,
    RaisesRiskClaim,
    RisksFile,
    Rule,
    RulesFile,
    ScoreNoHigherClaim,
)
from recommender.kb.plan_knowledge import COMPONENTS, READINESS, TENDER, Known, load_plan_knowledge
from recommender.kb.validate import condition_problem, load_file, refs, unique
from recommender.profile import ProjectProfile, field_domain
from recommender.vocabulary import COLLABORATION_LEVELS, INITIATION_MODES

MANIFEST = "knowledge_base.yaml"
FINDINGS = "findings.yaml"
RISKS = "risks.yaml"
MITIGATIONS = "mitigations.yaml"
RULES = "rules.yaml"
#: Optional: what partners whose views diverge should talk through (the stored partnerships read it).
PARTNERSHIPS = "partnerships.yaml"
#: The files a partial knowledge base may leave out: those the form, reports, plan checks and tender briefs read.
PARTIAL_FILES = (FIELDS, COMPONENTS, READINESS, TENDER)


def default_rules_dir() -> Path:
    """The knowledge base shipped with the package (wheel) or, in a checkout, ``rules/``."""
    packaged = resources.files("recommender") / "_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


def load_knowledge_base(
    directory: str | Path | None = None, *, partial: bool = False, field_guide: bool = True
) -> KnowledgeBase:
    """Load every file of the knowledge base, validate it and check every cross-reference.

    Every file is required: a service on a knowledge base without its field guide or plan files
    would look ready and then fail the form, the reports, plan checks and tender briefs.
    ``partial=True`` lets the files only those use (:data:`PARTIAL_FILES`) be absent, for
    checking the rules of a reduced knowledge base (``kb check --partial``). ``field_guide=False``
    skips ``fields.yaml`` (the words of the form and reports, which decide nothing), so that an
    older edition whose field guide predates today's profile fields can still be compared
    (``kb diff``).

    Raises:
        KnowledgeBaseError: naming the file and the entry at fault.
    """
    root = Path(directory) if directory is not None else default_rules_dir()
    manifest = load_file(root, MANIFEST, Manifest)
    findings = load_file(root, FINDINGS, FindingsFile).findings
    risks = load_file(root, RISKS, RisksFile).risks
    mitigations = load_file(root, MITIGATIONS, MitigationsFile).mitigations
    rules = load_file(root, RULES, RulesFile).rules

    finding_ids = unique(FINDINGS, (f.id for f in findings))
    mitigation_ids = unique(MITIGATIONS, (m.id for m in mitigations))
    risk_ids = unique(RISKS, (r.id for r in risks))
    fact_ids = unique(MANIFEST, (f.id for f in manifest.facts))
    unique(RULES, (r.id for r in rules))

    _check_vocabulary(manifest)
    for mode in manifest.modes:
        refs(MANIFEST, mode.id, "finding", mode.findings, finding_ids)
    for level in manifest.levels:
        refs(MANIFEST, level.id, "finding", level.findings, finding_ids)
    refs(MANIFEST, "tie_break_findings", "finding", manifest.tie_break_findings, finding_ids)
    refs(MANIFEST, "monotone", "finding", manifest.monotone.findings, finding_ids)
    _check_monotone(manifest)
    for mode in manifest.modes:
        if mode.fit is not None:
            refs(MANIFEST, f"{mode.id}.fit", "finding", mode.fit.findings, finding_ids)
    if manifest.margin is not None:
        refs(MANIFEST, "margin", "finding", manifest.margin.findings, finding_ids)
    unique(MANIFEST, (s.id for s in (*manifest.success, *manifest.limits)))
    for statement in (*manifest.success, *manifest.limits):
        refs(MANIFEST, statement.id, "finding", statement.findings, finding_ids)
    _check_claims(manifest, finding_ids, risk_ids, mitigation_ids)
    for mitigation in mitigations:
        refs(MITIGATIONS, mitigation.id, "finding", mitigation.findings, finding_ids)
    for risk in risks:
        refs(RISKS, risk.id, "finding", risk.findings, finding_ids)
        refs(RISKS, risk.id, "mitigation", risk.mitigations, mitigation_ids)
        _no_repeats(RISKS, risk.id, "mitigation", risk.mitigations)
    _check_rules(rules, finding_ids, risk_ids, mitigation_ids, fact_ids)
    # Plan-check and tender files.
    plan = load_plan_knowledge(root, Known(finding_ids, risk_ids, mitigation_ids, fact_ids), partial=partial)
    # fields.yaml: the words of the form and the reports, checked against the profile.
    words = load_field_guide(root) if field_guide and (not partial or (root / FIELDS).exists()) else None
    talk_through = (
        load_file(root, PARTNERSHIPS, PartnershipsFile).talk_through if (root / PARTNERSHIPS).exists() else []
    )
    unique(PARTNERSHIPS, (s.id for s in talk_through))
    for statement in talk_through:
        refs(PARTNERSHIPS, statement.id, "finding", statement.findings, finding_ids)

    return KnowledgeBase(
        root=root,
        version=manifest.version,
        title=manifest.title,
        # Every file that shapes an answer, the field guide's words included.
        digest=_digest(
            manifest,
            findings,
            risks,
            mitigations,
            rules,
            *plan.digest_parts(),
            words,
            *([talk_through] if talk_through else []),
        ),
        modes=tuple(manifest.modes),
        tie_break_findings=tuple(manifest.tie_break_findings),
        levels=tuple(manifest.levels),
        facts={f.id: f for f in manifest.facts},
        findings={f.id: f for f in findings},
        risks={r.id: r for r in risks},
        mitigations={m.id: m for m in mitigations},
        rules=tuple(rules),
        monotone=manifest.monotone,
        claims=tuple(manifest.claims),
        margin=manifest.margin,
        tie_break_calibration=manifest.tie_break_calibration,
        success=tuple(manifest.success),
        limits=tuple(manifest.limits),
        study=manifest.study,
        components=plan.components,
        readiness=plan.readiness,
        tender_clauses=plan.tender_clauses,
        bid_questions=plan.bid_questions,
        agency_commitments=plan.agency_commitments,
        tender_notices=plan.tender_notices,
        field_guide=words,
        talk_through=tuple(talk_through),
    )


def _check_vocabulary(manifest: Manifest) -> None:
    modes = [m.id for m in manifest.modes]
    if sorted(modes) != sorted(INITIATION_MODES) or len(modes) != len(INITIATION_MODES):
        raise KnowledgeBaseError(f"modes must list each of {list(INITIATION_MODES)} once", file=MANIFEST, entry="modes")
    if tuple(level.id for level in manifest.levels) != COLLABORATION_LEVELS:
        raise KnowledgeBaseError(
            f"levels must list {list(COLLABORATION_LEVELS)} in this order", file=MANIFEST, entry="levels"
        )


def _check_monotone(manifest: Manifest) -> None:
    for field, order in manifest.monotone.fields.items():
        allowed = set(field_domain(field).choices) if field in ProjectProfile.model_fields else set()
        if not allowed or sorted(order) != sorted(allowed) or len(order) != len(allowed):
            raise KnowledgeBaseError(
                f"field {field!r} must list each of its values {sorted(allowed)} once, lowest first",
                file=MANIFEST,
                entry="monotone",
            )


def _check_claims(manifest: Manifest, findings: set[str], risks: set[str], mitigations: set[str]) -> None:
    unique(MANIFEST, (claim.id for claim in manifest.claims))
    for claim in manifest.claims:
        refs(MANIFEST, claim.id, "finding", claim.findings, findings)
        conditions = getattr(claim, "when", {})
        for field, condition in conditions.items():
            problem = condition_problem(field, condition)
            if problem:
                raise KnowledgeBaseError(f"condition on {field!r}: {problem}", file=MANIFEST, entry=claim.id)
        if isinstance(claim, RaisesRiskClaim):
            refs(MANIFEST, claim.id, "risk", [claim.risk], risks)
            refs(MANIFEST, claim.id, "mitigation", [claim.mitigation] if claim.mitigation else [], mitigations)
        if isinstance(claim, ScoreNoHigherClaim):
            domain = field_domain(claim.field) if claim.field in ProjectProfile.model_fields else None
            if domain is None or domain.kind != "choice" or not {claim.value, claim.than} <= set(domain.choices):
                raise KnowledgeBaseError(
                    f"{claim.field!r} must be a choice field with values {claim.value!r} and {claim.than!r}",
                    file=MANIFEST,
                    entry=claim.id,
                )


def _no_repeats(file: str, entry: str, kind: str, ids: Sequence[str]) -> None:
    """Refuse an entry that lists one id twice: an answer names each risk, mitigation and step once."""
    repeated = sorted({one for one in ids if ids.count(one) > 1})
    if repeated:
        raise KnowledgeBaseError(f"lists {kind} id(s) {repeated} more than once", file=file, entry=entry)


def _check_rules(
    rules: Sequence[Rule],
    findings: set[str],
    risks: set[str],
    mitigations: set[str],
    facts: set[str],
) -> None:
    derived_so_far: set[str] = set()
    for rule in rules:
        refs(RULES, rule.id, "finding", rule.findings, findings)
        refs(RULES, rule.id, "risk", rule.then.risks, risks)
        refs(RULES, rule.id, "mitigation", [*rule.then.mitigations, *rule.then.steps], mitigations)
        refs(RULES, rule.id, "fact", [*rule.when.facts, *rule.then.derive], facts)
        _no_repeats(RULES, rule.id, "risk", rule.then.risks)
        _no_repeats(RULES, rule.id, "mitigation or step", [*rule.then.mitigations, *rule.then.steps])
        repeated = sorted({fact for fact in rule.when.facts if rule.when.facts.count(fact) > 1})
        if repeated:
            # A fact holds or not; durable_rules would read a repeat as two distinct facts and never fire.
            raise KnowledgeBaseError(f"lists fact(s) {repeated} more than once", file=RULES, entry=rule.id)
        for fact in rule.when.facts:
            if fact not in derived_so_far:
                raise KnowledgeBaseError(
                    f"uses fact {fact!r}, which no earlier rule derives", file=RULES, entry=rule.id
                )
        for field, condition in rule.when.profile.items():
            problem = condition_problem(field, condition)
            if problem:
                raise KnowledgeBaseError(f"condition on {field!r}: {problem}", file=RULES, entry=rule.id)
        then = rule.then
        decides = bool(then.scores or then.level_at_least or then.level_at_most or then.derive or then.steps)
        if rule.when.initiation is not None and decides:
            raise KnowledgeBaseError(
                "a rule on the initiation in play may only raise risks and mitigations", file=RULES, entry=rule.id
            )
        if not (decides or then.risks or then.mitigations or then.warning):
            raise KnowledgeBaseError("concludes nothing", file=RULES, entry=rule.id)
        if then.warning and not rule.when.profile:
            raise KnowledgeBaseError("a warning must test the profile fields it names", file=RULES, entry=rule.id)

        derived_so_far.update(then.derive)


def _digest(*parts: Any) -> str:
    def dump(part: Any) -> Any:
        if isinstance(part, BaseModel):
            return part.model_dump(mode="json")
        if isinstance(part, list):
            return [dump(p) for p in part]
        return part

    canonical = json.dumps([dump(p) for p in parts], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
