"""Load, validate and cross-reference the knowledge base in ``rules/``.

Example:
    >>> kb = load_knowledge_base()
    >>> kb.findings["coprod.shared_risk"].source.table
    'Table 3'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from recommender.errors import KnowledgeBaseError
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import (
    Comparison,
    FindingsFile,
    Manifest,
    MitigationsFile,
    RisksFile,
    Rule,
    RulesFile,
)
from recommender.profile import COLLABORATION_LEVELS, INITIATION_MODES, ProjectProfile, field_domain

MANIFEST = "knowledge_base.yaml"
FINDINGS = "findings.yaml"
RISKS = "risks.yaml"
MITIGATIONS = "mitigations.yaml"
RULES = "rules.yaml"

M = TypeVar("M", bound=BaseModel)


def default_rules_dir() -> Path:
    """The knowledge base shipped with the package (wheel) or, in a checkout, ``rules/``."""
    packaged = resources.files("recommender") / "_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


def load_knowledge_base(directory: str | Path | None = None) -> KnowledgeBase:
    """Load every file of the knowledge base, validate it and check every cross-reference.

    Raises:
        KnowledgeBaseError: naming the file and the entry at fault.
    """
    root = Path(directory) if directory is not None else default_rules_dir()
    manifest = _load(root, MANIFEST, Manifest)
    findings = _load(root, FINDINGS, FindingsFile).findings
    risks = _load(root, RISKS, RisksFile).risks
    mitigations = _load(root, MITIGATIONS, MitigationsFile).mitigations
    rules = _load(root, RULES, RulesFile).rules

    finding_ids = _unique(FINDINGS, (f.id for f in findings))
    mitigation_ids = _unique(MITIGATIONS, (m.id for m in mitigations))
    risk_ids = _unique(RISKS, (r.id for r in risks))
    fact_ids = _unique(MANIFEST, (f.id for f in manifest.facts))
    _unique(RULES, (r.id for r in rules))

    _check_vocabulary(manifest)
    for mode in manifest.modes:
        _refs(MANIFEST, mode.id, "finding", mode.findings, finding_ids)
    for level in manifest.levels:
        _refs(MANIFEST, level.id, "finding", level.findings, finding_ids)
    _refs(MANIFEST, "tie_break_findings", "finding", manifest.tie_break_findings, finding_ids)
    _refs(MANIFEST, "monotone", "finding", manifest.monotone.findings, finding_ids)
    _check_monotone(manifest)
    for mitigation in mitigations:
        _refs(MITIGATIONS, mitigation.id, "finding", mitigation.findings, finding_ids)
    for risk in risks:
        _refs(RISKS, risk.id, "finding", risk.findings, finding_ids)
        _refs(RISKS, risk.id, "mitigation", risk.mitigations, mitigation_ids)
    _check_rules(rules, finding_ids, risk_ids, mitigation_ids, fact_ids)
    # Plan-check and tender files; imported here because that module builds on this one's helpers.
    from recommender.kb.plan_knowledge import Known, load_plan_knowledge

    plan = load_plan_knowledge(root, Known(finding_ids, risk_ids, mitigation_ids, fact_ids))
    # fields.yaml: the words of the form and the reports, checked against the profile (optional).
    from recommender.kb.fields import FIELDS, load_field_guide

    if (root / FIELDS).exists():
        load_field_guide(root)

    kb = KnowledgeBase(
        root=root,
        version=manifest.version,
        title=manifest.title,
        digest="",
        modes=tuple(manifest.modes),
        tie_break_findings=tuple(manifest.tie_break_findings),
        levels=tuple(manifest.levels),
        facts={f.id: f for f in manifest.facts},
        findings={f.id: f for f in findings},
        risks={r.id: r for r in risks},
        mitigations={m.id: m for m in mitigations},
        rules=tuple(rules),
        monotone=manifest.monotone,
        components=plan.components,
        readiness=plan.readiness,
        tender_clauses=plan.tender_clauses,
        bid_questions=plan.bid_questions,
        agency_commitments=plan.agency_commitments,
    )
    return kb.with_digest(_digest(manifest, findings, risks, mitigations, rules, *plan.digest_parts()))


def _load(root: Path, name: str, model: type[M]) -> M:
    path = root / name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KnowledgeBaseError(f"file not found in {root}", file=name) from exc
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"not valid YAML: {exc}", file=name) from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        entry, rest = _entry_of(raw, error["loc"])
        where = ".".join(str(part) for part in rest)
        reason = f"{where}: {error['msg']}" if where else error["msg"]
        raise KnowledgeBaseError(reason, file=name, entry=entry) from exc


def _entry_of(raw: Any, loc: Sequence[int | str]) -> tuple[str | None, Sequence[int | str]]:
    """Name the entry a validation error is in: its id when it has one, else its position."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(raw, Mapping):
        items = raw.get(str(loc[0]))
        if isinstance(items, list) and loc[1] < len(items):
            item = items[loc[1]]
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                return item["id"], loc[2:]
        return f"{loc[0]}[{loc[1]}]", loc[2:]
    return None, loc


def _unique(file: str, ids: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            raise KnowledgeBaseError("duplicate id", file=file, entry=entry_id)
        seen.add(entry_id)
    return seen


def _refs(file: str, entry: str, kind: str, refs: Iterable[str], known: set[str]) -> None:
    for ref in refs:
        if ref not in known:
            raise KnowledgeBaseError(f"refers to unknown {kind} {ref!r}", file=file, entry=entry)


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


def _check_rules(
    rules: Sequence[Rule],
    findings: set[str],
    risks: set[str],
    mitigations: set[str],
    facts: set[str],
) -> None:
    derived_so_far: set[str] = set()
    for rule in rules:
        _refs(RULES, rule.id, "finding", rule.findings, findings)
        _refs(RULES, rule.id, "risk", rule.then.risks, risks)
        _refs(RULES, rule.id, "mitigation", [*rule.then.mitigations, *rule.then.steps], mitigations)
        _refs(RULES, rule.id, "fact", [*rule.when.facts, *rule.then.derive], facts)
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
            problem = _condition_problem(field, condition)
            if problem:
                raise KnowledgeBaseError(f"condition on {field!r}: {problem}", file=RULES, entry=rule.id)
        then = rule.then
        decides = bool(then.scores or then.level_at_least or then.level_at_most or then.derive or then.steps)
        if rule.when.initiation is not None and decides:
            raise KnowledgeBaseError(
                "a rule on the initiation in play may only raise risks and mitigations", file=RULES, entry=rule.id
            )
        if not (decides or then.risks or then.mitigations):
            raise KnowledgeBaseError("concludes nothing", file=RULES, entry=rule.id)
        derived_so_far.update(then.derive)


def _condition_problem(field: str, condition: Any) -> str | None:
    """Why a condition cannot apply to a profile field, or None when it is sound."""
    info = ProjectProfile.model_fields.get(field)
    if info is None or field == "title":
        return "not a profile field the rules can test"
    domain = field_domain(field)
    allowed = set(domain.choices)
    if allowed:
        values = condition if isinstance(condition, list) else [condition]
        if not values or not all(isinstance(v, str) for v in values):
            return f"expects one of {sorted(allowed)} or a list of them"
        unknown = [v for v in values if v not in allowed]
        return f"unknown value(s) {unknown}; expected {sorted(allowed)}" if unknown else None
    if domain.kind == "flag":
        return None if isinstance(condition, bool) else "expects true or false"
    if domain.kind == "number":
        if isinstance(condition, Comparison):
            try:
                condition.bound()
            except ValueError as exc:
                return str(exc)
            return None
        return (
            None
            if isinstance(condition, int) and not isinstance(condition, bool)
            else "expects a number or a comparison"
        )
    return "cannot be tested"


def _digest(*parts: Any) -> str:
    def dump(part: Any) -> Any:
        if isinstance(part, BaseModel):
            return part.model_dump(mode="json")
        if isinstance(part, list):
            return [dump(p) for p in part]
        return part

    canonical = json.dumps([dump(p) for p in parts], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
