"""Check a knowledge base over the whole discretised profile space.

Every profile of :mod:`recommender.verify.space` is evaluated twice, on the durable_rules
adapter and on the independent :class:`~recommender.engine.reference.ReferenceEvaluator`, the
way the service evaluates it (same profile fields, same ``decide``: :func:`recommender.service.fired_on`).
The profiles are kept as tuples of field values and handed to the evaluators as the fields
the service would read, without building a profile model for each (the cost of tens of
thousands of validations; ``tests/verify`` checks the fields are the model's own). The check
then reports:

* schema and reference errors (the loader's, and nothing else is checked then);
* gaps: profiles for which no fired rule contributes to any mode's score, or none bounds the
  collaboration level. The mechanism always yields a mode and a level, so "no mode" or "no
  level" can only mean an answer that rests on the defaults and on no finding;
* ties the documented tie-break settled (listed, not a failure);
* dead rules (fire for no profile), facts a rule derives that no rule, plan component or
  tender entry uses, and findings no entry cites;
* monotonicity violations: one step up in relationship (none, prior_project, long_term) or in
  staff stability (low, moderate, high), all else equal, lowering the co_produced score or the
  level;
* every difference between the two evaluators in fired rules, scores, recommended mode or level.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import cast

from recommender import decision
from recommender.assemble import Assembler
from recommender.engine.base import Evaluator, Scalar
from recommender.engine.reference import ReferenceEvaluator
from recommender.errors import KnowledgeBaseError
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.loader import default_rules_dir, load_knowledge_base
from recommender.kb.models import Comparison
from recommender.service import fired_on
from recommender.verify.claims import Space, claim_violations
from recommender.verify.mitigations import mitigation_ids
from recommender.verify.report import (
    CheckReport,
    Disagreement,
    Gap,
    MonotonicityViolation,
    Profile,
    SchemaProblem,
    Tie,
    Uncalibrated,
)
from recommender.verify.space import Value, field_values
from recommender.vocabulary import COLLABORATION_LEVELS

EvaluatorFactory = Callable[[KnowledgeBase], Evaluator]

_PROPOSED = "proposed_initiation"


def _durable(kb: KnowledgeBase) -> Evaluator:
    from recommender.engine.durable_adapter import DurableEvaluator

    return DurableEvaluator(kb)


def check_knowledge_base(
    directory: str | Path | None = None,
    *,
    evaluator: EvaluatorFactory = _durable,
    reference: EvaluatorFactory = ReferenceEvaluator,
    workers: int | None = None,
    partial: bool = False,
    assembler: Assembler | None = None,
) -> CheckReport:
    """Load the knowledge base in ``directory`` (default: shipped) and check it on every profile.

    ``evaluator`` and ``reference`` build the two evaluators compared (by default the
    durable_rules adapter and the reference interpreter); the first one's answers are the ones
    checked for gaps, ties, dead rules and monotonicity. The space is split between ``workers``
    processes (default: one per CPU, for large spaces); with more than one, the factories must be picklable
    (module-level), and with ``workers=1`` everything runs in this process. ``partial`` lets the
    field guide and the plan files be absent (see :func:`~recommender.kb.load_knowledge_base`).

    Example:
        >>> report = check_knowledge_base()  # doctest: +SKIP
        >>> report.ok, report.profiles  # doctest: +SKIP
        (True, 259200)
    """
    started = time.perf_counter()
    root = str(directory if directory is not None else default_rules_dir())
    try:
        kb = load_knowledge_base(directory, partial=partial)
    except KnowledgeBaseError as exc:
        return CheckReport(knowledge_base=root, errors=[SchemaProblem(exc.file, exc.entry, exc.reason, exc.line)])
    names = tuple(field_values(kb))
    space = list(profile_values(kb))
    evaluators, fired, fired_by_reference = _fired_everywhere(kb, evaluator, reference, len(space), workers)
    outcomes, references = _outcomes(kb, fired), _outcomes(kb, fired_by_reference)
    shown = [engine_fields(names, combination) for combination in space]
    fired_anywhere = set().union(*(outcome.fired for outcome in outcomes))
    cited = {finding for finding, _, _ in kb.citations()}
    claimed = Space(names, space, shown, outcomes)
    return CheckReport(
        knowledge_base=root,
        version=kb.version,
        digest=kb.digest,
        evaluators=evaluators,
        profiles=len(space),
        errors=[],
        gaps=_gaps(kb, shown, outcomes),
        ties=_ties(shown, outcomes),
        dead_rules=[rule.id for rule in kb.rules if rule.id not in fired_anywhere],
        unused_facts=derived_but_unused(kb),
        uncited_findings=[finding for finding in kb.findings if finding not in cited],
        monotonicity_violations=_monotonicity(kb, names, space, shown, outcomes),
        disagreements=_disagreements(shown, outcomes, references),
        claims=[claim.id for claim in kb.claims],
        claim_violations=claim_violations(kb, claimed, assembler=assembler),
        uncalibrated=uncalibrated(kb),
        unattributed_findings=[finding.id for finding in kb.findings.values() if finding.said_by is None],
        mitigation_sets=len({mitigation_ids(kb, outcome.fired) for outcome in outcomes}),
        seconds=time.perf_counter() - started,
    )


def uncalibrated(kb: KnowledgeBase) -> list[Uncalibrated]:
    """Rules with a score or a numeric threshold but no ``calibration`` saying whose numbers they are.

    Example:
        >>> from recommender.kb import load_knowledge_base
        >>> uncalibrated(load_knowledge_base())
        []
    """
    found = []
    for rule in kb.rules:
        numeric = [f for f, c in rule.when.profile.items() if isinstance(c, Comparison)]
        if (rule.then.scores or numeric) and rule.calibration is None:
            what = "scores" if rule.then.scores else f"a threshold on {', '.join(numeric)}"
            found.append(Uncalibrated(rule.id, f"has {what} but no calibration"))
    return found


def derived_but_unused(kb: KnowledgeBase) -> list[str]:
    """Facts some rule derives that nothing reads: no rule's ``when.facts``, no plan component's
    severity raise and no tender clause, bid question or agency commitment (``applies.facts``).

    Example:
        >>> from recommender.kb import load_knowledge_base
        >>> derived_but_unused(load_knowledge_base())
        []
    """
    derived = {fact for rule in kb.rules for fact in rule.then.derive}
    conditions = [raise_.when for component in kb.components.values() for raise_ in component.severity.raises]
    for items in (kb.tender_clauses, kb.bid_questions, kb.agency_commitments):
        conditions += [item.applies for item in items]
    used = {fact for rule in kb.rules for fact in rule.when.facts}
    used |= {fact for applies in conditions for fact in applies.facts}
    return [fact for fact in kb.facts if fact in derived - used]


def engine_fields(names: Sequence[str], combination: Sequence[Value]) -> dict[str, Scalar]:
    """The fields the service reads (``ProjectProfile.engine_fields``) of the profile with these values."""
    return {name: value for name, value in zip(names, combination, strict=True) if value is not None}


def profile_values(kb: KnowledgeBase, start: int = 0, stop: int | None = None) -> Iterator[tuple[Value, ...]]:
    """The values of every profile of the space (or those from ``start`` to ``stop``), in ``profiles`` order."""
    return itertools.islice(itertools.product(*field_values(kb).values()), start, stop)


_Fired = list[tuple[str, ...]]
_PROFILES_PER_WORKER = 5_000


def _fired_everywhere(
    kb: KnowledgeBase, evaluator: EvaluatorFactory, reference: EvaluatorFactory, size: int, workers: int | None
) -> tuple[tuple[str, str], _Fired, _Fired]:
    """The rules each evaluator fires on each profile of the space, split between processes."""
    if workers is None:
        # A process costs about a second to start: only large spaces are worth splitting.
        workers = min(_cpus(), size // _PROFILES_PER_WORKER)
    workers = max(1, min(workers, size))
    if workers == 1:
        return _fired_in(kb, evaluator, reference, 0, size)
    bounds = [size * part // workers for part in range(workers + 1)]
    # spawn, not fork: a forked durable host, or a fork of a threaded process, is unsafe.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        starts, stops = bounds[:-1], bounds[1:]
        parts = list(pool.map(_fired_in, *([item] * workers for item in (kb, evaluator, reference)), starts, stops))
    return parts[0][0], [f for part in parts for f in part[1]], [f for part in parts for f in part[2]]


def _cpus() -> int:
    """The CPUs this process may run on (not the host's count, in a container)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def _fired_in(
    kb: KnowledgeBase, evaluator: EvaluatorFactory, reference: EvaluatorFactory, start: int, stop: int
) -> tuple[tuple[str, str], _Fired, _Fired]:
    """The rules each evaluator fires on the profiles from ``start`` to ``stop``."""
    ours, theirs = _Asker(kb, evaluator(kb)), _Asker(kb, reference(kb))
    names = tuple(field_values(kb))
    fired: _Fired = []
    fired_by_reference: _Fired = []
    for combination in profile_values(kb, start, stop):
        fields = engine_fields(names, combination)
        fired.append(ours.fired_rules(combination, fields))
        fired_by_reference.append(theirs.fired_rules(combination, fields))
    return (ours.name, theirs.name), fired, fired_by_reference


class _Asker:
    """Asks one evaluator for the rules fired on a profile, as the service does.

    A profile that proposes the very mode it is recommended is not evaluated again when no rule
    tests ``proposed_initiation``: ``decide`` names the same one mode as for the same profile
    proposing nothing, and no condition reads the one field in which the two differ, so both
    fire the same rules. The answer for the profile without a proposal is reused (a quarter of
    the space).
    """

    def __init__(self, kb: KnowledgeBase, evaluator: Evaluator) -> None:
        self.kb = kb
        self.name = type(evaluator).__name__
        self._evaluator = evaluator
        self._proposed = tuple(field_values(kb)).index(_PROPOSED)
        self._reuse = not any(_PROPOSED in rule.when.profile for rule in kb.rules)
        self._unproposed: dict[tuple[Value, ...], tuple[Value, tuple[str, ...]]] = {}

    def fired_rules(self, combination: tuple[Value, ...], fields: Mapping[str, Scalar]) -> tuple[str, ...]:
        """The rules fired on the profile with these values, whose ``fields`` the service reads."""
        at = self._proposed
        proposed = combination[at]
        if self._reuse and proposed is not None:
            known = self._unproposed.get((*combination[:at], None, *combination[at + 1 :]))
            if known is not None and known[0] == proposed:
                return known[1]
        answer = tuple(fired_on(self.kb, self._evaluator, fields))
        if self._reuse and proposed is None:
            self._unproposed[combination] = (decision.modes_in_play(self.kb, None, answer)[0], answer)
        return answer


def _outcomes(kb: KnowledgeBase, fired_per_profile: Iterable[Iterable[str]]) -> list[decision.Outcome]:
    """What the rules fired on each profile decide (profiles that fire the same rules share one)."""
    known: dict[frozenset[str], decision.Outcome] = {}
    outcomes = []
    for fired_list in fired_per_profile:
        fired = frozenset(fired_list)
        outcome = known.get(fired)
        if outcome is None:
            outcome = known[fired] = decision.outcome(kb, fired)
        outcomes.append(outcome)
    return outcomes


def _gaps(kb: KnowledgeBase, shown: Sequence[Profile], outcomes: Sequence[decision.Outcome]) -> list[Gap]:
    rules, bounds = kb.rules_by_id, kb.level_bounds
    missing: dict[frozenset[str], tuple[str, ...]] = {}
    gaps = []
    for profile, outcome in zip(shown, outcomes, strict=True):
        kinds = missing.get(outcome.fired)
        if kinds is None:
            scored = any(rules[rule_id].then.scores for rule_id in outcome.fired)
            bounded = any(at_least or at_most for at_least, at_most in (bounds[r] for r in outcome.fired))
            kinds = missing[outcome.fired] = (*(() if scored else ("mode",)), *(() if bounded else ("level",)))
        gaps += [Gap(profile, kind) for kind in kinds]
    return gaps


def _ties(shown: Sequence[Profile], outcomes: Sequence[decision.Outcome]) -> list[Tie]:
    ties = []
    for profile, outcome in zip(shown, outcomes, strict=True):
        top = outcome.scores[outcome.mode]
        tied = tuple(mode for mode in outcome.ranking if mode in outcome.viable and outcome.scores[mode] == top)
        if len(tied) > 1:
            ties.append(Tie(profile, tied, top, outcome.mode))
    return ties


def _monotonicity(
    kb: KnowledgeBase,
    names: Sequence[str],
    space: Sequence[tuple[Value, ...]],
    shown: Sequence[Profile],
    outcomes: Sequence[decision.Outcome],
) -> list[MonotonicityViolation]:
    index = {combination: position for position, combination in enumerate(space)}
    # A field no rule tests takes one value in the space: it cannot move anything.
    monotone = kb.monotone
    values = field_values(kb)
    varied = {field: (names.index(field), order) for field, order in monotone.fields.items() if len(values[field]) > 1}
    violations = []
    for position, combination in enumerate(space):
        lower = outcomes[position]
        for field, (at, order) in varied.items():
            value = cast(str, combination[at])  # the monotone fields are choices
            if value == order[-1]:
                continue
            step = (value, order[order.index(value) + 1])
            higher = outcomes[index[(*combination[:at], step[1], *combination[at + 1 :])]]
            measures = (
                (f"{monotone.mode} score", lower.scores[monotone.mode], higher.scores[monotone.mode]),
                ("level", lower.level, higher.level),
            )
            for measure, before, after in measures:
                if _rank(before) > _rank(after):
                    violations.append(MonotonicityViolation(field, step, shown[position], measure, before, after))
    return violations


def _rank(value: str | int) -> int:
    return COLLABORATION_LEVELS.index(value) if isinstance(value, str) else value


def _disagreements(
    shown: Sequence[Profile], outcomes: Sequence[decision.Outcome], references: Sequence[decision.Outcome]
) -> list[Disagreement]:
    found = []
    for profile, ours, theirs in zip(shown, outcomes, references, strict=True):
        if ours == theirs:
            continue
        if ours.fired != theirs.fired:
            found.append(
                Disagreement(
                    profile, "fired rules", sorted(ours.fired - theirs.fired), sorted(theirs.fired - ours.fired)
                )
            )
        if ours.scores != theirs.scores:
            found.append(Disagreement(profile, "scores", ours.scores, theirs.scores))
        if ours.mode != theirs.mode:
            found.append(Disagreement(profile, "recommended mode", ours.mode, theirs.mode))
        if ours.level != theirs.level:
            found.append(Disagreement(profile, "level", ours.level, theirs.level))
    return found
