"""Build the recommendation from the rules that fired. Mechanism only: all text and every
citation come from the knowledge base.

An :class:`Assembler` builds, once per knowledge base, every part of an answer that depends
on one rule alone (its trace entry, its reasons, its steps), and remembers each risk and
mitigation item it has built (they depend on which rules raised them, a small finite set);
each answer then only builds what depends on the whole set of fired rules. The parts are
frozen models, shared between answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from recommender import decision
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Calibration, Rule
from recommender.profile import ProjectProfile
from recommender.recommendation import (
    Assessment,
    Calibrated,
    CloseCall,
    ComparedReason,
    Fit,
    InitiationResult,
    KnowledgeBaseRef,
    LevelReason,
    LevelResult,
    MitigationItem,
    ModeReason,
    ProfileWarning,
    RankedMode,
    Recommendation,
    RiskItem,
    Statement,
    Step,
    TraceEntry,
)
from recommender.vocabulary import InitiationMode


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
        self.warning = (
            ProfileWarning(id=rule.id, text=rule.then.warning, fields=sorted(rule.when.profile), findings=rule.findings)
            if rule.then.warning
            else None
        )
        calibration = rule.calibration
        self.own_calibration = (
            Calibrated(source=rule.id, text=calibration.why, findings=list(rule.findings))
            if calibration is not None and calibration.by == "tool"
            else None
        )


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

    def __call__(self, referred: Mapping[str, list[str]], first: frozenset[str] = frozenset()) -> list[_Item]:
        """The items of the ``referred`` ids, those in ``first`` first, each part in knowledge-base order."""
        items = []
        for entry_id in sorted(referred, key=lambda entry: (entry not in first, self._order[entry])):
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
        self._fits = {
            (mode.id, viable): Fit(
                viable=viable,
                levels=list(mode.fit.levels) if mode.fit else [level.id for level in kb.levels],
                text=mode.fit.text if mode.fit else mode.description,
                findings=list(mode.fit.findings if mode.fit else mode.findings),
            )
            for mode in kb.modes
            for viable in (True, False)
        }
        self._fields = _fields_rested_on(kb)
        self._margin = kb.margin.points if kb.margin is not None else 0
        self._margin_calibration = _calibrated("margin", kb.margin.calibration if kb.margin else None, kb)
        self._tie_break_calibration = _calibrated("tie_break", kb.tie_break_calibration, kb)
        self._success = [Statement(**s.model_dump()) for s in kb.success]
        self._limits = [Statement(**s.model_dump()) for s in kb.limits]

    def build(self, profile: ProjectProfile, decided: decision.Outcome) -> Recommendation:
        """The recommendation for ``profile`` given what the rules that fired decide."""
        rules = [parts for parts in self._rules if parts.id in decided.fired]
        initiation = self._initiation(decided, rules)
        risks = self._risks(rules)
        calibrations = [parts.own_calibration for parts in rules if parts.own_calibration is not None]
        if self._margin_calibration is not None:
            calibrations.append(self._margin_calibration)
        if initiation.tie_broken and self._tie_break_calibration is not None:
            calibrations.append(self._tie_break_calibration)
        return Recommendation(
            profile=profile,
            initiation_mode=initiation,
            collaboration_level=_level(decided, rules),
            risks=risks,
            mitigations=self._mitigations(rules, risks),
            blockers=[risk.id for risk in risks if risk.blocking],
            warnings=[parts.warning for parts in rules if parts.warning is not None],
            own_calibrations=calibrations,
            success=self._success,
            limits=self._limits,
            trace=[parts.trace for parts in rules],
            knowledge_base=self._ref,
            assessment=self._assessment(initiation, rules, profile.proposed_initiation),
        )

    def _initiation(self, decided: decision.Outcome, rules: list[_RuleParts]) -> InitiationResult:
        ranked = []
        for mode in decided.ranking:
            reasons = [parts.mode_reasons[mode] for parts in rules if mode in parts.mode_reasons]
            ranked.append(
                RankedMode(
                    mode=mode,
                    title=self._titles[mode],
                    score=decided.scores[mode],
                    reasons=[reason for reason in reasons if reason.contribution > 0],
                    reasons_against=[reason for reason in reasons if reason.contribution < 0],
                    fit=self._fits[(mode, mode in decided.viable)],
                )
            )
        viable = [entry for entry in ranked if entry.fit.viable]
        top = ranked[0]
        close = [entry.mode for entry in viable if top.score - entry.score <= self._margin]
        if len(viable) < 2:
            strength = "only_fit"
        elif len(close) > 1:
            strength = "close_call"
        else:
            strength = "clear_lead"
        return InitiationResult(
            recommended=top.mode,
            ranking=ranked,
            tie_broken=len(viable) > 1 and viable[1].score == top.score,
            strength=strength,
            close_call=self._close_call(close, rules) if strength == "close_call" else None,
        )

    def _close_call(self, modes: list[InitiationMode], rules: list[_RuleParts]) -> CloseCall:
        """The close modes, and the fields of the rules that score them differently."""
        fields: set[str] = set()
        for parts in rules:
            contributions = {parts.rule.then.scores.get(mode, 0) for mode in modes}
            if len(contributions) > 1:
                fields |= self._fields[parts.id]
        ordered = [name for name in ProjectProfile.model_fields if name in fields]
        return CloseCall(modes=modes, margin=self._margin, deciding_fields=ordered)

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
        unblocking = frozenset(m for risk in risks if risk.blocking for m in risk.mitigations)
        return self._mitigation_items(addresses, first=unblocking)

    def _assessment(
        self, initiation: InitiationResult, rules: list[_RuleParts], proposed: InitiationMode | None
    ) -> Assessment | None:
        if proposed is None:
            return None
        modes = [ranked.mode for ranked in initiation.ranking]
        rank = modes.index(proposed) + 1
        mine = initiation.ranking[rank - 1]
        my_contributions = {reason.rule: reason.contribution for reason in (*mine.reasons, *mine.reasons_against)}
        higher = initiation.ranking[: rank - 1]
        reasons: list[ComparedReason] = [
            self._compared_reason(reason, ranked.mode)
            for ranked in higher
            for reason in ranked.reasons
            if reason.contribution > my_contributions.get(reason.rule, 0)
        ]
        if higher:
            reasons += [self._compared_reason(reason, mine.mode) for reason in mine.reasons_against]
        return Assessment(
            proposed=mine.mode,
            rank=rank,
            score=mine.score,
            is_recommended=rank == 1,
            outranked_by=[ranked.mode for ranked in higher],
            reasons_for_higher=reasons,
            risks=[risk for parts in rules if parts.rule.when.initiation == proposed for risk in parts.rule.then.risks],
            fit=mine.fit,
        )

    def _compared_reason(self, reason: ModeReason, mode: InitiationMode) -> ComparedReason:
        """``reason``, the rule's contribution to ``mode``, as a comparison."""
        key = (reason.rule, mode)
        compared = self._compared.get(key)
        if compared is None:
            fields: dict[str, Any] = reason.model_dump()
            compared = self._compared[key] = ComparedReason(**fields, mode=mode)
        return compared


def _calibrated(source: str, calibration: Calibration | None, kb: KnowledgeBase) -> Calibrated | None:
    """A knowledge-wide number (margin, tie-break) when it is the tool's own."""
    if calibration is None or calibration.by != "tool":
        return None
    findings = kb.margin.findings if source == "margin" and kb.margin else kb.tie_break_findings
    return Calibrated(source=source, text=calibration.why, findings=list(findings))


def _fields_rested_on(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """Each rule's profile fields, with those of the rules deriving the facts it uses (transitively)."""
    by_fact: dict[str, set[str]] = {}
    fields: dict[str, frozenset[str]] = {}
    for rule in kb.rules:  # file order: facts are derived above their use (the loader checks)
        own = set(rule.when.profile)
        for fact in rule.when.facts:
            own |= by_fact.get(fact, set())
        fields[rule.id] = frozenset(own)
        for fact in rule.then.derive:
            by_fact.setdefault(fact, set()).update(own)
    return fields


def _level(decided: decision.Outcome, rules: list[_RuleParts]) -> LevelResult:
    return LevelResult(
        recommended=decided.level,
        reasons=[reason for parts in rules for reason in parts.level_reasons],
        steps_toward_co_production=[step for parts in rules for step in parts.steps],
    )
