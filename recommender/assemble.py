"""Build the recommendation from the rules that fired. Mechanism only: all text and every
citation come from the knowledge base."""

from __future__ import annotations

from collections.abc import Iterable

from recommender import decision
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Rule
from recommender.profile import InitiationMode, ProjectProfile
from recommender.recommendation import (
    Assessment,
    ComparedReason,
    InitiationResult,
    KnowledgeBaseRef,
    LevelReason,
    LevelResult,
    MitigationItem,
    ModeReason,
    RankedMode,
    Recommendation,
    RiskItem,
    Step,
    TraceEntry,
)


def build(kb: KnowledgeBase, profile: ProjectProfile, fired: Iterable[str]) -> Recommendation:
    """The recommendation for ``profile`` given the ids of the rules that fired."""
    fired_set = set(fired)
    rules = [rule for rule in kb.rules if rule.id in fired_set]  # knowledge-base order
    initiation = _initiation(kb, rules)
    risks = _risks(kb, rules)
    return Recommendation(
        profile=profile,
        initiation_mode=initiation,
        collaboration_level=_level(rules),
        risks=risks,
        mitigations=_mitigations(kb, rules, risks),
        trace=[TraceEntry(rule=rule.id, findings=list(rule.findings)) for rule in rules],
        knowledge_base=KnowledgeBaseRef(version=kb.version, digest=kb.digest),
        assessment=_assessment(initiation, rules, profile.proposed_initiation),
    )


def _initiation(kb: KnowledgeBase, rules: list[Rule]) -> InitiationResult:
    totals = decision.scores(kb, (rule.id for rule in rules))
    order = decision.ranking(kb, totals)
    titles = {mode.id: mode.title for mode in kb.modes}
    ranked = [
        RankedMode(
            mode=mode,
            title=titles[mode],
            score=totals[mode],
            reasons=[
                ModeReason(
                    rule=rule.id, text=rule.rationale, findings=list(rule.findings), contribution=rule.then.scores[mode]
                )
                for rule in rules
                if rule.then.scores.get(mode)
            ],
        )
        for mode in order
    ]
    return InitiationResult(
        recommended=ranked[0].mode,
        ranking=ranked,
        tie_broken=ranked[0].score == ranked[1].score,
    )


def _level(rules: list[Rule]) -> LevelResult:
    reasons: list[LevelReason] = []
    for rule in rules:
        for bound, level in (("at_least", rule.then.level_at_least), ("at_most", rule.then.level_at_most)):
            if level is not None:
                reasons.append(
                    LevelReason(
                        rule=rule.id, text=rule.rationale, findings=list(rule.findings), bound=bound, level=level
                    )
                )
    steps = [
        Step(mitigation=mitigation, rule=rule.id, findings=list(rule.findings))
        for rule in rules
        for mitigation in rule.then.steps
    ]
    recommended = decision.level([(rule.then.level_at_least, rule.then.level_at_most) for rule in rules])
    return LevelResult(recommended=recommended, reasons=reasons, steps_toward_co_production=steps)


def _risks(kb: KnowledgeBase, rules: list[Rule]) -> list[RiskItem]:
    raised: dict[str, list[str]] = {}
    for rule in rules:
        for risk_id in rule.then.risks:
            raised.setdefault(risk_id, []).append(rule.id)
    return [RiskItem(**risk.model_dump(), raised_by=raised[risk.id]) for risk in kb.risks.values() if risk.id in raised]


def _mitigations(kb: KnowledgeBase, rules: list[Rule], risks: list[RiskItem]) -> list[MitigationItem]:
    addresses: dict[str, list[str]] = {}
    for risk in risks:
        for mitigation_id in risk.mitigations:
            addresses.setdefault(mitigation_id, []).append(risk.id)
    for rule in rules:
        for mitigation_id in (*rule.then.mitigations, *rule.then.steps):
            addresses.setdefault(mitigation_id, [])
    return [
        MitigationItem(**mitigation.model_dump(), addresses=addresses[mitigation.id])
        for mitigation in kb.mitigations.values()
        if mitigation.id in addresses
    ]


def _assessment(initiation: InitiationResult, rules: list[Rule], proposed: InitiationMode | None) -> Assessment | None:
    if proposed is None:
        return None
    modes = [ranked.mode for ranked in initiation.ranking]
    rank = modes.index(proposed) + 1
    mine = initiation.ranking[rank - 1]
    my_contributions = {reason.rule: reason.contribution for reason in mine.reasons}
    higher = initiation.ranking[: rank - 1]
    reasons: list[ComparedReason] = [
        ComparedReason(**reason.model_dump(), mode=ranked.mode)
        for ranked in higher
        for reason in ranked.reasons
        if reason.contribution > my_contributions.get(reason.rule, 0)
    ]
    if higher:
        reasons += [
            ComparedReason(**reason.model_dump(), mode=mine.mode) for reason in mine.reasons if reason.contribution < 0
        ]
    return Assessment(
        proposed=mine.mode,
        rank=rank,
        score=mine.score,
        is_recommended=rank == 1,
        outranked_by=[ranked.mode for ranked in higher],
        reasons_for_higher=reasons,
        risks=[risk for rule in rules if rule.when.initiation == proposed for risk in rule.then.risks],
    )
