"""Build the recommendation from the rules that fired. Mechanism only: all text and every
citation come from the knowledge base.

An :class:`Assembler` builds, once per knowledge base, every part of an answer that depends
on one rule alone (its trace entry, its reasons, its steps), and remembers each risk and
mitigation item it has built (they depend on which rules raised them, a small finite set);
each answer then only builds what depends on the whole set of fired rules. The parts are
frozen models, shared between answers.

Each section of an answer is built from the fired rules *of its own kind* only (the rules that
score modes for the initiation, those bounding the level for the level, those raising risks or
listing mitigations for the risks...), given as a bit mask over the knowledge base's rules. So
a section is a function of its mask, and :meth:`Assembler.write` keeps each section's JSON by
that mask: the JSON of a new answer is mostly joined from sections already written, byte for
byte what ``build(...).model_dump_json()`` gives (``tests/unit/test_write.py``).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel, TypeAdapter

from recommender import decision
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Calibration, Rule
from recommender.profile import ProjectProfile
from recommender.recommendation import (
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
    ProposalAssessment,
    RankedMode,
    Recommendation,
    RiskItem,
    Statement,
    Step,
    TraceEntry,
)
from recommender.vocabulary import CollaborationLevel, InitiationMode


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
                # Threads building one item at once all take the one kept (whose id then numbers it).
                item = self._built.setdefault(key, self._model(**fields))
            items.append(item)
        return items


#: How many of each section's JSON :meth:`Assembler.write` keeps (one per distinct mask of the
#: rules of its kind; ``bench/`` measures the memory of the whole space written).
SECTIONS_KEPT = 16384

#: How many neighbouring rules' trace entries are kept joined as one piece.
_TRACE_PIECE = 16

#: The fields of a recommendation, in the order :meth:`Assembler.write` writes them.
_SECTIONS = (
    "profile",
    "initiation_mode",
    "collaboration_level",
    "risks",
    "mitigations",
    "blockers",
    "warnings",
    "own_calibrations",
    "success",
    "limits",
    "trace",
    "knowledge_base",
    "assessment",
)


@dataclass(frozen=True)
class _Kinds:
    """The rules each section is built from, as bit masks over the knowledge base's rules."""

    scoring: int  # a nonzero contribution to a mode's score: the initiation
    levelling: int  # a level bound or steps toward co-production: the level
    raising: int  # risks raised or mitigations listed: risks, mitigations, blockers
    warning: int  # a warning about the profile
    calibrating: int  # a number of the tool's own
    proposing: int  # conditioned on the initiation in play and raising risks: the assessment

    @classmethod
    def of(cls, rules: list[_RuleParts], bits: Mapping[str, int]) -> _Kinds:
        def mask(test: Callable[[_RuleParts], object]) -> int:
            return sum(bits[parts.id] for parts in rules if test(parts))

        return cls(
            scoring=mask(lambda parts: parts.mode_reasons),
            levelling=mask(lambda parts: parts.level_reasons or parts.steps),
            raising=mask(lambda parts: parts.risks or parts.mitigations),
            warning=mask(lambda parts: parts.warning),
            calibrating=mask(lambda parts: parts.own_calibration),
            proposing=mask(lambda parts: parts.rule.when.initiation is not None and parts.risks),
        )


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
        self._bits = {parts.id: 1 << position for position, parts in enumerate(self._rules)}
        self._kinds = _Kinds.of(self._rules, self._bits)
        self._init_writing()
        self._init_risk_bits()

    def _init_writing(self) -> None:
        """What :meth:`write` joins: the JSON of the sections no rule changes, of each rule's trace
        entry, and a bounded memo of every other section's JSON by its mask."""
        fields = list(Recommendation.model_fields)
        if fields != list(_SECTIONS):  # pragma: no cover - a field added to the contract must be written too
            raise AssertionError(f"Recommendation's fields changed: {fields}; update Assembler.write")
        self._json_of: dict[str, Callable[[Any], bytes]] = {
            name: TypeAdapter(cast(Any, info.annotation)).dump_json
            for name, info in Recommendation.model_fields.items()
        }
        self._json_of["defaulted_inputs"] = TypeAdapter(list[str]).dump_json
        json_of = self._json_of
        self._constant_middle = (
            b"".join(
                (b',"success":', json_of["success"](self._success), b',"limits":', json_of["limits"](self._limits))
            )
            + b',"trace":'
        )
        self._constant_end = b',"knowledge_base":' + json_of["knowledge_base"](self._ref) + b',"assessment":'
        self._trace_entries = [TypeAdapter(TraceEntry).dump_json(parts.trace) for parts in self._rules]
        #: A trace is joined from the traces of its rules 16 at a time, each piece kept by its mask.
        self._trace_shifts = range(0, len(self._rules), _TRACE_PIECE)
        kept = functools.lru_cache(maxsize=SECTIONS_KEPT)
        self._item_numbers: dict[int, int] = {}
        self._items_lock = threading.Lock()
        self._items_json: list[bytes] = []
        self._items_after_comma: list[bytes] = []
        # Each section built once per mask, for build() and write() alike (the methods below, kept).
        self._initiation = kept(self._initiation)  # type: ignore[method-assign]
        self._level = kept(self._level)  # type: ignore[method-assign]
        self._risks = kept(self._risks)  # type: ignore[method-assign]
        self._warnings = kept(self._warnings)  # type: ignore[method-assign]
        self._calibrations = kept(self._calibrations)  # type: ignore[method-assign]
        self._assessed = kept(self._assessed)  # type: ignore[method-assign]
        self._initiation_written = kept(self._write_initiation)
        self._level_written = kept(self._write_level)
        self._risks_written = kept(self._write_risks)
        self._warnings_written = kept(self._write_warnings)
        self._calibrations_written = kept(self._write_calibrations)
        self._assessment_written = kept(self._write_assessment)
        self._defaulted_written = kept(self._write_defaulted)
        self._trace_piece = kept(self._write_trace_piece)

    def _write_initiation(self, scoring: int, level: CollaborationLevel) -> bytes:
        return self._json_of["initiation_mode"](self._initiation(scoring, level))

    def _write_level(self, levelling: int, level: CollaborationLevel) -> bytes:
        return self._json_of["collaboration_level"](self._level(levelling, level))

    def _init_risk_bits(self) -> None:
        """What :meth:`_write_risks` reads: per risk (knowledge-base order) the rules raising it, per
        mitigation the rules listing it and the risks answered by it, as bit masks (risks numbered
        by their position), and the blocking risks."""
        risk_ids = list(self.kb.risks)
        position = {risk_id: number for number, risk_id in enumerate(risk_ids)}

        def raising(risk_id: str) -> int:
            return sum(self._bits[parts.id] for parts in self._rules if risk_id in parts.risks)

        def listing(mitigation_id: str) -> int:
            return sum(self._bits[parts.id] for parts in self._rules if mitigation_id in parts.mitigations)

        self._risk_raisers = [(risk_id, raising(risk_id)) for risk_id in risk_ids]
        self._mitigation_parts = [
            (
                mitigation_id,
                listing(mitigation_id),
                sum(1 << position[r] for r, risk in self.kb.risks.items() if mitigation_id in risk.mitigations),
            )
            for mitigation_id in self.kb.mitigations
        ]
        self._blocking_risks = sum(1 << position[r] for r, risk in self.kb.risks.items() if risk.blocking)
        self._risk_numbers: dict[tuple[int, int], int] = {}
        self._mitigation_numbers: dict[tuple[int, int], int] = {}
        self._blockers_json: dict[int, bytes] = {}

    def _write_risks(self, raising: int) -> tuple[tuple[bytes, ...], tuple[bytes, ...], bytes]:
        """The risks' and the mitigations' JSON, each list as its items' pieces (:meth:`_listed`),
        and the blockers' JSON: small enough to keep for every mask of the space. What
        :meth:`_risks` builds, read from bit masks (the same items, so the same JSON)."""
        raised, risks = 0, []
        for position, (_, raisers) in enumerate(self._risk_raisers):
            by = raising & raisers
            if by:
                raised |= 1 << position
                number = self._risk_numbers.get((position, by))
                if number is None:
                    number = self._risk_numbers[(position, by)] = self._risk_item(position, by)
                risks.append(number)
        unblocking: list[int] = []
        others: list[int] = []
        for position, (_, listers, answered) in enumerate(self._mitigation_parts):
            addressed = raised & answered
            if addressed or raising & listers:
                number = self._mitigation_numbers.get((position, addressed))
                if number is None:
                    number = self._mitigation_numbers[(position, addressed)] = self._mitigation_item(
                        position, addressed
                    )
                (unblocking if addressed & self._blocking_risks else others).append(number)
        blocking = raised & self._blocking_risks
        blockers = self._blockers_json.get(blocking)
        if blockers is None:
            ids = [risk_id for risk_id, _ in self._ids_of(blocking, self._risk_raisers)]
            blockers = self._blockers_json[blocking] = self._json_of["blockers"](ids)
        return self._listed(tuple(risks)), self._listed((*unblocking, *others)), blockers

    def _risk_item(self, position: int, by: int) -> int:
        risk_id = self._risk_raisers[position][0]
        return self._item(self._risk_items({risk_id: [parts.id for parts in self._rules_in(by)]})[0])

    def _mitigation_item(self, position: int, addressed: int) -> int:
        mitigation_id = self._mitigation_parts[position][0]
        answers = [risk_id for risk_id, _ in self._ids_of(addressed, self._risk_raisers)]
        return self._item(self._mitigation_items({mitigation_id: answers})[0])

    @staticmethod
    def _ids_of(mask: int, entries: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """The entries at the positions of ``mask``'s bits, in order."""
        return [entries[position] for position in range(mask.bit_length()) if mask >> position & 1]

    def _item(self, built: RiskItem | MitigationItem) -> int:
        """The number of ``built``'s JSON in ``_items_json``. Items are built once and kept by their
        :class:`_Items`, so an item's ``id`` stays its own."""
        number = self._item_numbers.get(id(built))
        if number is None:
            written = built.__pydantic_serializer__.to_json(built)
            with self._items_lock:  # two threads numbering two items must not take one number
                number = self._item_numbers.get(id(built))
                if number is None:
                    self._items_json.append(written)
                    self._items_after_comma.append(b"," + written)
                    number = self._item_numbers[id(built)] = len(self._items_json) - 1
        return number

    def _write_warnings(self, warning: int) -> bytes:
        return self._json_of["warnings"](self._warnings(warning))

    def _write_calibrations(self, calibrating: int, tie_broken: bool) -> bytes:
        return self._json_of["own_calibrations"](self._calibrations(calibrating, tie_broken))

    def _write_assessment(
        self, scoring: int, level: CollaborationLevel, proposing: int, proposed: InitiationMode
    ) -> bytes:
        return self._json_of["assessment"](self._assessed(scoring, level, proposing, proposed))

    def _assessed(
        self, scoring: int, level: CollaborationLevel, proposing: int, proposed: InitiationMode | None
    ) -> ProposalAssessment | None:
        """:meth:`_assessment` of the initiation of ``scoring`` at ``level``."""
        return self._assessment(self._initiation(scoring, level), proposing, proposed)

    def _write_defaulted(self, given: frozenset[str]) -> bytes:
        return self._json_of["defaulted_inputs"](sorted(set(ProjectProfile.model_fields) - given))

    def _trace_written(self, fired: int) -> list[bytes]:
        """The trace's JSON in pieces of 16 rules, kept by each piece's mask."""
        piece, width = self._trace_piece, (1 << _TRACE_PIECE) - 1
        found = [b"["]
        for shift in self._trace_shifts:
            written = piece(shift, fired >> shift & width, len(found) == 1)
            if written:
                found.append(written)
        found.append(b"]")
        return found

    def _write_trace_piece(self, shift: int, fired: int, first: bool) -> bytes:
        """The trace entries of the rules ``shift`` to ``shift + 15`` that ``fired`` (shifted) holds,
        joined, after a comma unless they are the ``first``."""
        entries = self._trace_entries
        joined = b",".join(entries[shift + bit] for bit in range(_TRACE_PIECE) if fired >> bit & 1)
        return joined if first or not joined else b"," + joined

    def mask(self, fired: Iterable[str]) -> int:
        """The rules ``fired`` as a bit mask: bit ``i`` is the knowledge base's ``i``-th rule."""
        return sum(self._bits[rule_id] for rule_id in fired)

    def build(self, profile: ProjectProfile, decided: decision.Outcome) -> Recommendation:
        """The recommendation for ``profile`` given what the rules that fired decide."""
        fired = self.mask(decided.fired)
        kinds = self._kinds
        scoring = fired & kinds.scoring
        initiation = self._initiation(scoring, decided.level)
        risks, mitigations, blockers = self._risks(fired & kinds.raising)
        return Recommendation(
            profile=profile,
            initiation_mode=initiation,
            collaboration_level=self._level(fired & kinds.levelling, decided.level),
            risks=risks,
            mitigations=mitigations,
            blockers=blockers,
            warnings=self._warnings(fired & kinds.warning),
            own_calibrations=self._calibrations(fired & kinds.calibrating, initiation.tie_broken),
            success=self._success,
            limits=self._limits,
            trace=[parts.trace for parts in self._rules_in(fired)],
            knowledge_base=self._ref,
            assessment=self._assessed(scoring, decided.level, fired & kinds.proposing, profile.proposed_initiation),
        )

    def write(self, profile: ProjectProfile, fired: int, level: CollaborationLevel) -> bytes:
        """``build(profile, outcome).model_dump_json()`` as UTF-8, for the outcome that fires the rules
        of the mask ``fired`` and decides ``level``: :meth:`pieces` joined around the profile."""
        return self.join(profile, self.pieces(fired, level, profile.proposed_initiation))

    def join(self, profile: ProjectProfile, pieces: tuple[bytes, ...]) -> bytes:
        """The JSON answer to ``profile`` from the :meth:`pieces` of its outcome."""
        return b"".join(
            (
                b'{"profile":',
                profile.__pydantic_serializer__.to_json(profile),
                *pieces,
                self._defaulted_written(frozenset(profile.model_fields_set)),
                b"}",
            )
        )

    def pieces(self, fired: int, level: CollaborationLevel, proposed: InitiationMode | None) -> tuple[bytes, ...]:
        """The JSON of an answer after its profile and before its defaulted inputs, in pieces that
        answers share (each section's JSON, written once per section mask and kept, at most
        :data:`SECTIONS_KEPT` of each kind, least recently used dropped first; each risk's and
        mitigation's; the trace's, 16 rules at a time): a tuple of references, small enough to
        keep for every class of the space."""
        kinds = self._kinds
        scoring = fired & kinds.scoring
        risks, mitigations, blockers = self._risks_written(fired & kinds.raising)
        return (
            b',"initiation_mode":',
            self._initiation_written(scoring, level),
            b',"collaboration_level":',
            self._level_written(fired & kinds.levelling, level),
            b',"risks":[',
            *risks,
            b'],"mitigations":[',
            *mitigations,
            b'],"blockers":',
            blockers,
            b',"warnings":',
            self._warnings_written(fired & kinds.warning),
            b',"own_calibrations":',
            self._calibrations_written(fired & kinds.calibrating, self._initiation(scoring, level).tie_broken),
            self._constant_middle,
            *self._trace_written(fired),
            self._constant_end,
            b"null"
            if proposed is None
            else self._assessment_written(scoring, level, fired & kinds.proposing, proposed),
            b',"defaulted_inputs":',
        )

    def _listed(self, numbers: tuple[int, ...]) -> tuple[bytes, ...]:
        """The JSON of the items ``numbers``, the first as is and the others after a comma."""
        if not numbers:
            return ()
        after_comma = self._items_after_comma
        return (self._items_json[numbers[0]], *(after_comma[number] for number in numbers[1:]))

    def _rules_in(self, mask: int) -> list[_RuleParts]:
        """The rules of ``mask``, in knowledge-base order."""
        rules, found = self._rules, []
        while mask:
            low = mask & -mask
            found.append(rules[low.bit_length() - 1])
            mask ^= low
        return found

    def _initiation(self, scoring: int, level: CollaborationLevel) -> InitiationResult:
        """The initiation from the fired rules that score modes, at the decided ``level``."""
        rules = self._rules_in(scoring)
        totals = decision.scores(self.kb, (parts.id for parts in rules))
        fitting = decision.viable(self.kb, level)
        ranked = []
        for mode in decision.ranking(self.kb, totals, fitting):
            reasons = [parts.mode_reasons[mode] for parts in rules if mode in parts.mode_reasons]
            ranked.append(
                RankedMode(
                    mode=mode,
                    title=self._titles[mode],
                    score=totals[mode],
                    reasons=[reason for reason in reasons if reason.contribution > 0],
                    reasons_against=[reason for reason in reasons if reason.contribution < 0],
                    fit=self._fits[(mode, mode in fitting)],
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

    def _risks(self, raising: int) -> tuple[list[RiskItem], list[MitigationItem], list[str]]:
        """The risks, the mitigations (those answering blocking risks first) and the blockers, from
        the fired rules that raise risks or list mitigations."""
        rules = self._rules_in(raising)
        raised: dict[str, list[str]] = {}
        for parts in rules:
            for risk_id in parts.risks:
                raised.setdefault(risk_id, []).append(parts.id)
        risks = self._risk_items(raised)
        addresses: dict[str, list[str]] = {}
        for risk in risks:
            for mitigation_id in risk.mitigations:
                addresses.setdefault(mitigation_id, []).append(risk.id)
        for parts in rules:
            for mitigation_id in parts.mitigations:
                addresses.setdefault(mitigation_id, [])
        unblocking = frozenset(m for risk in risks if risk.blocking for m in risk.mitigations)
        return risks, self._mitigation_items(addresses, first=unblocking), [risk.id for risk in risks if risk.blocking]

    def _level(self, levelling: int, level: CollaborationLevel) -> LevelResult:
        """The level section from the fired rules that bound the level or give steps toward co-production."""
        rules = self._rules_in(levelling)
        return LevelResult(
            recommended=level,
            reasons=[reason for parts in rules for reason in parts.level_reasons],
            steps_toward_co_production=[step for parts in rules for step in parts.steps],
        )

    def _warnings(self, warning: int) -> list[ProfileWarning]:
        return [parts.warning for parts in self._rules_in(warning) if parts.warning is not None]

    def _calibrations(self, calibrating: int, tie_broken: bool) -> list[Calibrated]:
        """The tool's own numbers behind this answer: its rules', the margin's, the tie-break's when it decided."""
        calibrations = [parts.own_calibration for parts in self._rules_in(calibrating) if parts.own_calibration]
        if self._margin_calibration is not None:
            calibrations.append(self._margin_calibration)
        if tie_broken and self._tie_break_calibration is not None:
            calibrations.append(self._tie_break_calibration)
        return calibrations

    def _assessment(
        self, initiation: InitiationResult, proposing: int, proposed: InitiationMode | None
    ) -> ProposalAssessment | None:
        """The proposed initiation assessed against the ranking, with the risks of the fired rules
        on an initiation (``proposing``) that the proposal raises."""
        if proposed is None:
            return None
        rules = self._rules_in(proposing)
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
        return ProposalAssessment(
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
