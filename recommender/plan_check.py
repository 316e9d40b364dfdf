"""The grant plan check: which components of a partnership plan are in place, how serious each
gap is for this project, what it leaves open, what to add, and a readiness score.

Every component, severity, weight, threshold and text comes from ``rules/`` (components.yaml,
readiness.yaml); this module is mechanism only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from recommender.applicability import Situation, holds, situation_of
from recommender.errors import FieldProblem, KnowledgeBaseError, ProfileError
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Component, Readiness
from recommender.profile import ProjectProfile
from recommender.recommendation import KnowledgeBaseRef, OutputModel
from recommender.service import Recommender
from recommender.vocabulary import CollaborationLevel, InitiationMode, MitigationKind, Party

FORMULA = "score = round(100 * in_place_weight / total_weight)"


class SeverityReason(OutputModel):
    """Why a gap's severity differs from its base for this profile (raised, or held down by the level)."""

    to: str
    because: str
    findings: list[str] = Field(min_length=1)


class ComponentStatus(OutputModel):
    """One plan component: in place or missing, and what its gap would weigh for this profile."""

    id: str
    title: str
    kind: MitigationKind
    status: Literal["in_place", "missing"]
    severity: str = Field(description="The severity a gap in this component has for this profile.")
    weight: int = Field(description="The weight of that severity in the readiness score.")
    findings: list[str] = Field(min_length=1)


class RiskRef(OutputModel):
    id: str
    party: Party
    title: str
    findings: list[str] = Field(min_length=1)


class MitigationRef(OutputModel):
    id: str
    title: str
    action: str
    findings: list[str] = Field(min_length=1)


class Gap(OutputModel):
    """A missing component: its severity for this profile, the risks it leaves open, what to add."""

    component: str
    title: str
    severity: str
    base_severity: str
    raised_because: list[SeverityReason]
    risks_left_open: list[RiskRef] = Field(min_length=1)
    add: list[MitigationRef] = Field(min_length=1)
    findings: list[str] = Field(min_length=1)


class BandThreshold(OutputModel):
    band: str
    min_score: int


class AppliedCap(OutputModel):
    """A cap that held the band down: gaps of ``severity`` keep it no better than ``band``."""

    severity: str
    band: str
    components: list[str]
    reason: str
    findings: list[str] = Field(min_length=1)


class ReadinessScore(OutputModel):
    """The readiness score, its band, and every input of the computation."""

    score: int = Field(ge=0, le=100)
    band: str
    band_title: str
    formula: str
    in_place_weight: int
    total_weight: int
    severity_weights: dict[str, int]
    thresholds: list[BandThreshold] = Field(description="Bands best first; the first whose min_score is reached.")
    band_by_score: str
    caps_applied: list[AppliedCap]
    findings: list[str] = Field(min_length=1)


class PlanCheck(OutputModel):
    """The plan check for one profile and plan."""

    profile: ProjectProfile
    initiation_mode: InitiationMode
    collaboration_level: CollaborationLevel
    components: list[ComponentStatus]
    gaps: list[Gap] = Field(description="Missing components, most severe first.")
    readiness: ReadinessScore
    knowledge_base: KnowledgeBaseRef


def check_plan(profile: ProjectProfile, *, in_place: Sequence[str], recommender: Recommender) -> PlanCheck:
    """Check a partnership plan: what is in place, each gap's severity for ``profile``, readiness.

    Raises:
        ProfileError: an id in ``in_place`` is not a component (field ``plan.in_place[i]``).

    Example:
        >>> from recommender import ProjectProfile, check_plan, default_recommender
        >>> profile = ProjectProfile(project_type="data_analysis", timeline_months=18,
        ...     funding="external_grant", relationship="prior_project", staff_stability="moderate",
        ...     proposed_initiation="researcher", uses_agency_data=True)
        >>> result = check_plan(profile, in_place=["aims_in_writing"], recommender=default_recommender())
        >>> result.gaps[0].component, result.gaps[0].severity
        ('data_access_agreement', 'critical')
    """
    engine = recommender
    kb = engine.kb
    readiness = _readiness_of(kb)
    chosen = _validate_in_place(kb, in_place)
    outcome = engine.outcome(profile)
    situation = situation_of(kb, profile, outcome)
    order = [s.id for s in readiness.severities]
    weights = {s.id: s.weight for s in readiness.severities}

    statuses: list[ComponentStatus] = []
    gaps: list[Gap] = []
    for component in kb.components.values():
        severity, reasons = _severity(component, situation, order)
        present = component.id in chosen
        statuses.append(
            ComponentStatus(
                id=component.id,
                title=component.title,
                kind=component.kind,
                status="in_place" if present else "missing",
                severity=severity,
                weight=weights[severity],
                findings=list(component.findings),
            )
        )
        if not present:
            gaps.append(_gap(kb, component, severity, reasons))
    gaps.sort(key=lambda gap: -order.index(gap.severity))  # stable: knowledge-base order within a severity
    return PlanCheck(
        profile=profile,
        initiation_mode=outcome.mode,
        collaboration_level=outcome.level,
        components=statuses,
        gaps=gaps,
        readiness=_score(readiness, statuses, gaps),
        knowledge_base=engine.knowledge_base_ref,
    )


def _readiness_of(kb: KnowledgeBase) -> Readiness:
    if not kb.components or kb.readiness is None:
        raise KnowledgeBaseError("this knowledge base defines no plan components", file="components.yaml")
    return kb.readiness


def _validate_in_place(kb: KnowledgeBase, in_place: Sequence[str]) -> set[str]:
    if isinstance(in_place, str):
        raise ProfileError([FieldProblem("plan.in_place", "expected a list of component ids, not a string")])
    problems: list[FieldProblem] = []
    seen: set[str] = set()
    for index, item in enumerate(in_place):
        where = f"plan.in_place[{index}]"
        if not isinstance(item, str):
            problems.append(FieldProblem(where, "expected a component id (a string)"))
        elif item not in kb.components:
            problems.append(FieldProblem(where, f"unknown component; expected one of {sorted(kb.components)}", item))
        elif item in seen:
            problems.append(FieldProblem(where, "component listed more than once", item))
        else:
            seen.add(item)
    if problems:
        raise ProfileError(problems)
    return seen


def _severity(component: Component, situation: Situation, order: list[str]) -> tuple[str, list[SeverityReason]]:
    applicable = [raise_ for raise_ in component.severity.raises if holds(raise_.when, situation)]
    severity = max([component.severity.base, *(r.to for r in applicable)], key=order.index)
    caps = [cap for cap in component.severity.at_most if holds(cap.when, situation)]
    capped = min([severity, *(c.to for c in caps)], key=order.index)
    applied = [r for r in applicable if order.index(r.to) <= order.index(capped)]
    applied += [c for c in caps if c.to == capped and capped != severity]
    reasons = [SeverityReason(to=r.to, because=r.because, findings=list(r.findings)) for r in applied]
    return capped, reasons


def _gap(kb: KnowledgeBase, component: Component, severity: str, reasons: list[SeverityReason]) -> Gap:
    risks = [kb.risks[risk_id] for risk_id in component.risks]
    mitigations = [kb.mitigations[mitigation_id] for mitigation_id in component.add]
    return Gap(
        component=component.id,
        title=component.title,
        severity=severity,
        base_severity=component.severity.base,
        raised_because=reasons,
        risks_left_open=[RiskRef(id=r.id, party=r.party, title=r.title, findings=list(r.findings)) for r in risks],
        add=[MitigationRef(id=m.id, title=m.title, action=m.action, findings=list(m.findings)) for m in mitigations],
        findings=list(component.findings),
    )


def _score(readiness: Readiness, statuses: list[ComponentStatus], gaps: list[Gap]) -> ReadinessScore:
    total = sum(status.weight for status in statuses)
    in_place = sum(status.weight for status in statuses if status.status == "in_place")
    score = round(100 * in_place / total)
    bands = [band.id for band in readiness.bands]  # best first
    by_score = next(band for band in readiness.bands if score >= band.min_score).id
    band = by_score
    applied: list[AppliedCap] = []
    for cap in readiness.caps:
        capped = [gap.component for gap in gaps if gap.severity == cap.severity]
        if capped:
            applied.append(
                AppliedCap(
                    severity=cap.severity,
                    band=cap.band,
                    components=capped,
                    reason=cap.reason,
                    findings=list(cap.findings),
                )
            )
            band = max(band, cap.band, key=bands.index)
    titles = {b.id: b.title for b in readiness.bands}
    return ReadinessScore(
        score=score,
        band=band,
        band_title=titles[band],
        formula=FORMULA,
        in_place_weight=in_place,
        total_weight=total,
        severity_weights={s.id: s.weight for s in readiness.severities},
        thresholds=[BandThreshold(band=b.id, min_score=b.min_score) for b in readiness.bands],
        band_by_score=by_score,
        caps_applied=applied,
        findings=list(readiness.findings),
    )
