"""Build the recommendation from the rules that fired. Mechanism only: all text and every
citation come from the knowledge base.

An :class:`Assembler` builds, once per knowledge base, every part of an answer that depends
on one rule alone (its trace entry, its reasons, its steps), and remembers each risk and
mitigation item it has built (they depend on which rules raised them, a small finite set);
each answer then only builds what depends on the whole set of fired rules. The parts are
frozen models, shared between answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

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


class _RuleParts:
    """What one rule contributes to any answer it fires in."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.id = rule.id
        self.risks = tuple(rule.then.risks)
        self.mitigations = (*rule.then.mitigations, *rule.then.steps)
        self.trace = TraceEntry(rule=rule.id, findings=list(rule.findings))
        self.mode_reasons: Mapping[str, ModeReason] = {
            mode: ModeReason(rule=rule.id, text=rule.rationale, findings=list(rule.findings), contribution=contribution)
            for mode, contribution in rule.then.scores.items()
            if contribution
        }
        bounds = (("at_least", rule.then.level_at_least), ("at_most", rule.then.level_at_most))
        self.level_reasons = [
            LevelReason(rule=rule.id, text=rule.rationale, findings=list(rule.findings), bound=bound, level=level)
            for bound, level in bounds
            if level is not None
        ]
        self.steps = [
            Step(mitigation=mitigation, rule=rule.id, findings=list(rule.findings)) for mitigation in rule.then.steps
        ]


_Item = TypeVar("_Item", RiskItem, MitigationItem)


class _Items(Generic[_Item]):
    """Risk or mitigation items in knowledge-base order, each built once per list of referrers
    (the rules raising a risk, the risks a mitigation answers): a set bounded by the knowledge base."""

    def __init__(self, model: type[_Item], entries: Mapping[str, BaseModel], referrers: str) -> None:
        self._model: Callable[..., _Item] = model
        self._fields = {entry_id: entry.model_dump() for entry_id, entry in entries.items()}
        self._order = {entry_id: index for index, entry_id in enumerate(entries)}
        self._referrers = referrers
        self._built: dict[tuple[str, tuple[str, ...]], _Item] = {}

    def __call__(self, referred: Mapping[str, list[str]]) -> list[_Item]:
        items = []
        for entry_id in sorted(referred, key=self._order.__getitem__):
            key = (entry_id, tuple(referred[entry_id]))
            item = self._built.get(key)
            if item is None:
                fields = {**self._fields[entry_id], self._referrers: referred[entry_id]}
                item = self._built[key] = self._model(**fields)
            items.append(item)
        return items


class Assembler:
    """Builds recommendations on one knowledge base.

    Example:
        >>> assembler = Assembler(kb)                       # doctest: +SKIP
        >>> assembler.build(profile, fired).trace[0].rule   # doctest: +SKIP
        'success_components'
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._rules = [_RuleParts(rule) for rule in kb.rules]  # knowledge-base order
        self._titles = {mode.id: mode.title for mode in kb.modes}
        self._ref = KnowledgeBaseRef(version=kb.version, digest=kb.digest)
        self._risk_items = _Items(RiskItem, kb.risks, "raised_by")
        self._mitigation_items = _Items(MitigationItem, kb.mitigations, "addresses")
        self._compared: dict[tuple[str, str], ComparedReason] = {}

    def build(self, profile: ProjectProfile, fired: Iterable[str]) -> Recommendation:
        """The recommendation for ``profile`` given the ids of the rules that fired."""
        decided = decision.outcome(self.kb, fired)
        rules = [parts for parts in self._rules if parts.id in decided.fired]
        initiation = self._initiation(decided, rules)
        risks = self._risks(rules)
        return Recommendation(
            profile=profile,
            initiation_mode=initiation,
            collaboration_level=_level(decided, rules),
            risks=risks,
            mitigations=self._mitigations(rules, risks),
            trace=[parts.trace for parts in rules],
            knowledge_base=self._ref,
            assessment=self._assessment(initiation, rules, profile.proposed_initiation),
        )

    def _initiation(self, decided: decision.Outcome, rules: list[_RuleParts]) -> InitiationResult:
        ranked = [
            RankedMode(
                mode=mode,
                title=self._titles[mode],
                score=decided.scores[mode],
                reasons=[parts.mode_reasons[mode] for parts in rules if mode in parts.mode_reasons],
            )
            for mode in decided.ranking
        ]
        return InitiationResult(
            recommended=ranked[0].mode,
            ranking=ranked,
            tie_broken=ranked[0].score == ranked[1].score,
        )

    def _risks(self, rules: list[_RuleParts]) -> list[RiskItem]:
        raised: dict[str, list[str]] = {}
        for parts in rules:
            for risk_id in parts.risks:
                raised.setdefault(risk_id, []).append(parts.id)
        return self._risk_items(raised)

    def _mitigations(self, rules: list[_RuleParts], risks: list[RiskItem]) -> list[MitigationItem]:
        addresses: dict[str, list[str]] = {}
        for risk in risks:
            for mitigation_id in risk.mitigations:
                addresses.setdefault(mitigation_id, []).append(risk.id)
        for parts in rules:
            for mitigation_id in parts.mitigations:
                addresses.setdefault(mitigation_id, [])
        return self._mitigation_items(addresses)

    def _assessment(
        self, initiation: InitiationResult, rules: list[_RuleParts], proposed: InitiationMode | None
    ) -> Assessment | None:
        if proposed is None:
            return None
        modes = [ranked.mode for ranked in initiation.ranking]
        rank = modes.index(proposed) + 1
        mine = initiation.ranking[rank - 1]
        my_contributions = {reason.rule: reason.contribution for reason in mine.reasons}
        higher = initiation.ranking[: rank - 1]
        reasons: list[ComparedReason] = [
            self._compared_reason(reason, ranked.mode)
            for ranked in higher
            for reason in ranked.reasons
            if reason.contribution > my_contributions.get(reason.rule, 0)
        ]
        if higher:
            reasons += [self._compared_reason(reason, mine.mode) for reason in mine.reasons if reason.contribution < 0]
        return Assessment(
            proposed=mine.mode,
            rank=rank,
            score=mine.score,
            is_recommended=rank == 1,
            outranked_by=[ranked.mode for ranked in higher],
            reasons_for_higher=reasons,
            risks=[risk for parts in rules if parts.rule.when.initiation == proposed for risk in parts.rule.then.risks],
        )

    def _compared_reason(self, reason: ModeReason, mode: InitiationMode) -> ComparedReason:
        """``reason``, the rule's contribution to ``mode``, as a comparison."""
        key = (reason.rule, mode)
        compared = self._compared.get(key)
        if compared is None:
            fields: dict[str, Any] = reason.model_dump()
            compared = self._compared[key] = ComparedReason(**fields, mode=mode)
        return compared


def _level(decided: decision.Outcome, rules: list[_RuleParts]) -> LevelResult:
    return LevelResult(
        recommended=decided.level,
        reasons=[reason for parts in rules for reason in parts.level_reasons],
        steps_toward_co_production=[step for parts in rules for step in parts.steps],
    )
