"""What-if analysis: which changes to a profile would change the recommendation.

Everything here is found by evaluating the engine on changed profiles; nothing is read from a
second table of answers. The rules' own conditions say which values to try:

* for a number field (the timeline), both sides of every breakpoint the rules' thresholds
  define; the values between two breakpoints satisfy the same conditions, so each change is
  reported with the range of values it stands for;
* for the search for co-production, values that every deciding rule's conditions treat alike
  are tried once, and fields no deciding rule tests are left alone. A rule decides when it
  scores a mode, bounds the level, or derives a fact a deciding rule uses (rules on the
  initiation in play only raise risks; the loader enforces it).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from itertools import combinations, product
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from recommender.decision import ModeAndLevel
from recommender.errors import FieldProblem, ProfileError
from recommender.profile import ProjectProfile, parse_profile
from recommender.recommendation import KnowledgeBaseRef, OutputModel
from recommender.service import Recommender
from recommender.space import Value, ValueSpace
from recommender.vocabulary import COLLABORATION_LEVELS, CollaborationLevel, InitiationMode

#: The far end of the continuum: the level the minimal-change search aims for.
TARGET_LEVEL = COLLABORATION_LEVELS[-1]


class Engine:
    """Asks the recommender about the changed profiles of one question, and counts the distinct
    ones (as the rules read them); the recommender memoises the outcomes by class."""

    def __init__(self, recommender: Recommender) -> None:
        self.recommender = recommender
        self.kb = recommender.kb
        self._asked: set[tuple[object, ...]] = set()

    @property
    def evaluations(self) -> int:
        """The distinct profiles (as the rules read them) this question has looked at."""
        return len(self._asked)

    def evaluate(self, profile: ProjectProfile) -> tuple[ModeAndLevel, frozenset[str]]:
        """The answer to ``profile`` and the rules it fires."""
        self._asked.add(_as_read(profile))
        decided = self.recommender.outcome(profile)
        return decided.answer, decided.fired

    def answer(self, profile: ProjectProfile) -> ModeAndLevel:
        """The answer to ``profile`` (what :meth:`evaluate` gives first, without the rules fired)."""
        self._asked.add(_as_read(profile))
        return self.recommender.mode_and_level(profile)


#: The fields the rules read, in order: two profiles with equal values are one profile to them.
_READ = operator.attrgetter(*(name for name in ProjectProfile.model_fields if name != "title"))


def _as_read(profile: ProjectProfile) -> tuple[object, ...]:
    """``profile`` as the rules read it (its :meth:`~ProjectProfile.engine_fields`, as a tuple)."""
    values: tuple[object, ...] = _READ(profile)
    return values


class ValueRange(OutputModel):
    """All the values of a number field that give the same answer as the one reported."""

    min: int
    max: int


class ModeChange(OutputModel):
    before: InitiationMode
    after: InitiationMode


class LevelChange(OutputModel):
    before: CollaborationLevel
    after: CollaborationLevel


class Change(OutputModel):
    """One other value of one field, and what it changes."""

    field: str
    value: Value
    range: ValueRange | None = Field(default=None, description="For number fields: every value this change stands for.")
    initiation_mode: ModeChange | None = None
    collaboration_level: LevelChange | None = None
    rules_now_firing: list[str]
    rules_no_longer_firing: list[str]
    findings: list[str] = Field(min_length=1, description="Findings of the rules that fire differently.")


class FieldWhatIf(OutputModel):
    field: str
    current: Value
    values_tried: list[Value]
    changes: list[Change] = Field(description="The tried values that change the mode or the level.")


class Assignment(OutputModel):
    field: str
    value: Value
    range: ValueRange | None = None


class CoProductionPath(OutputModel):
    """The smallest set of changes that makes co-production the recommended level."""

    already: bool = Field(description="True when co-production is already the recommended level.")
    changes: list[Assignment]
    outcome: ModeAndLevel
    alternatives: list[list[Assignment]] = Field(description="Other sets of the same size that also work.")
    findings: list[str] = Field(min_length=1, description="Findings of the rules that set the level to co-production.")


class WhatIf(OutputModel):
    profile: ProjectProfile
    baseline: ModeAndLevel
    kept: list[str] = Field(
        default_factory=list,
        description="Fields held fixed: neither varied on their own nor changed in the co-production search.",
    )
    fields: list[FieldWhatIf]
    co_production: CoProductionPath | None = Field(
        description="None when no set of changes within the search makes co-production the level."
    )
    co_production_searched_up_to: int = Field(
        description="The largest number of fields changed together in the search."
    )
    evaluations: int = Field(description="How many changed profiles the analysis looked at (each evaluated once).")
    knowledge_base: KnowledgeBaseRef


def what_if(
    profile: ProjectProfile,
    *,
    recommender: Recommender,
    max_changes: int | None = None,
    keep: Iterable[str] = (),
) -> WhatIf:
    """For each field, the other values that change the recommended mode or level, and the
    smallest set of changes that makes co-production the recommended level.

    ``max_changes`` bounds the co-production search (default: every field the rules test).
    ``keep`` names fields to hold fixed (a grant holder cannot change who pays): they are not
    varied and no co-production path changes them. A name that is not a profile field raises
    :class:`~recommender.errors.ProfileError` naming it (``keep[0]``).

    Example:
        >>> from recommender import ProjectProfile, default_recommender, what_if
        >>> profile = ProjectProfile(project_type="evaluation", timeline_months=24,
        ...     funding="external_grant", relationship="long_term", staff_stability="high")
        >>> result = what_if(profile, recommender=default_recommender())
        >>> [(a.field, a.value) for a in result.co_production.changes]
        [('funding', 'co_funded')]
    """
    with recommender.bulk():  # many evaluations: every single request takes the engine first
        return _what_if(profile, recommender, max_changes, kept=checked_keep(keep))


def _what_if(profile: ProjectProfile, recommender: Recommender, max_changes: int | None, *, kept: list[str]) -> WhatIf:
    engine = Engine(recommender)
    space = ValueSpace(engine.kb)
    baseline, fired = engine.evaluate(profile)
    varied = [name for name in space.fields if name not in kept]
    searched = [name for name in space.search_fields if name not in kept]
    fields = [_field_what_if(engine, space, profile, name, baseline, fired) for name in varied]
    limit = len(searched) if max_changes is None else max(0, min(max_changes, len(searched)))
    path = _co_production(engine, space, profile, baseline, limit, searched)
    return WhatIf(
        profile=profile,
        baseline=baseline,
        kept=kept,
        fields=fields,
        co_production=path,
        co_production_searched_up_to=limit,
        evaluations=engine.evaluations - 1,
        knowledge_base=recommender.knowledge_base_ref,
    )


def _field_what_if(
    engine: Engine, space: ValueSpace, profile: ProjectProfile, name: str, baseline: ModeAndLevel, fired: frozenset[str]
) -> FieldWhatIf:
    current = getattr(profile, name)
    tried = [value for value in space.values_to_try(name, current) if value != current]
    changes: list[Change] = []
    reported: dict[object, list[ModeAndLevel]] = {}
    for value in sorted(tried, key=lambda v: space.distance(name, current, v)):
        changed = _changed(profile, {name: value})
        outcome = engine.answer(changed)
        if outcome == baseline:
            continue
        interval = space.interval(name, value)
        stands_for = reported.setdefault(interval or ("value", value), [])
        if outcome in stands_for:
            continue  # the nearer side of this range already stands for it
        stands_for.append(outcome)
        _, now = engine.evaluate(changed)
        changes.append(_change(engine, name, value, interval, baseline, outcome, fired, now))
    changes.sort(key=lambda change: tried.index(change.value))
    return FieldWhatIf(field=name, current=current, values_tried=tried, changes=changes)


def _change(
    engine: Engine,
    name: str,
    value: Value,
    interval: tuple[int, int] | None,
    baseline: ModeAndLevel,
    outcome: ModeAndLevel,
    before: frozenset[str],
    after: frozenset[str],
) -> Change:
    by_id = engine.kb.rules_by_id
    gained = [rule.id for rule in engine.kb.rules if rule.id in after - before]
    lost = [rule.id for rule in engine.kb.rules if rule.id in before - after]
    findings = list(dict.fromkeys(finding for rule_id in (*gained, *lost) for finding in by_id[rule_id].findings))
    mode_changed = outcome.initiation_mode != baseline.initiation_mode
    level_changed = outcome.collaboration_level != baseline.collaboration_level
    return Change(
        field=name,
        value=value,
        range=_range(interval),
        initiation_mode=ModeChange(before=baseline.initiation_mode, after=outcome.initiation_mode)
        if mode_changed
        else None,
        collaboration_level=(
            LevelChange(before=baseline.collaboration_level, after=outcome.collaboration_level)
            if level_changed
            else None
        ),
        rules_now_firing=gained,
        rules_no_longer_firing=lost,
        findings=findings,
    )


def checked_keep(keep: Iterable[str]) -> list[str]:
    """The field names of ``keep`` once each, in the order given; a name that is no profile field
    (or not a string) raises :class:`~recommender.errors.ProfileError` naming ``keep[i]``.

    Example:
        >>> checked_keep(["funding", "funding", "staff_stability"])
        ['funding', 'staff_stability']
    """
    names = list(keep)
    problems = [
        FieldProblem(
            f"keep[{index}]",
            f"not a profile field; one of: {', '.join(ProjectProfile.model_fields)}",
            name[:80] if isinstance(name, str) else None,
        )
        for index, name in enumerate(names)
        if not isinstance(name, str) or name not in ProjectProfile.model_fields
    ]
    if problems:
        raise ProfileError(problems)
    return list(dict.fromkeys(names))


class WhatIfRequest(BaseModel):
    """A profile and the fields to hold fixed while exploring it."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    profile: ProjectProfile
    keep: list[str] = Field(
        default_factory=list,
        description="Profile fields to hold fixed: not varied, and left alone by the co-production search.",
        json_schema_extra={"items": {"type": "string", "enum": list(ProjectProfile.model_fields)}},
    )


def parse_what_if_request(data: Any) -> WhatIfRequest:
    """Validate raw data ``{"profile": {...}, "keep": [...]}``, naming every bad field from the top
    (``profile.funding``, ``keep[1]``).

    Example:
        >>> parse_what_if_request({"profile": {"project_type": "evaluation", "timeline_months": 12,
        ...     "funding": "co_funded", "relationship": "long_term", "staff_stability": "high"},
        ...     "keep": ["funding"]}).keep
        ['funding']
    """
    if not isinstance(data, dict):
        raise ProfileError([FieldProblem("(body)", "expected a JSON object with profile and keep")])
    problems = [FieldProblem(name, "unknown field") for name in data if name not in ("profile", "keep")]
    profile: ProjectProfile | None = None
    if "profile" not in data:
        problems.append(FieldProblem("profile", "Field required"))
    else:
        try:
            profile = parse_profile(data["profile"])
        except ProfileError as exc:
            problems += [FieldProblem(_under("profile", p.field), p.reason, p.value) for p in exc.problems]
    keep: list[str] = []
    given = data.get("keep", [])
    if not isinstance(given, list):
        problems.append(FieldProblem("keep", "Input should be a valid list of profile field names"))
    else:
        try:
            keep = checked_keep(given)
        except ProfileError as exc:
            problems += exc.problems
    if problems or profile is None:
        raise ProfileError(problems)
    return WhatIfRequest(profile=profile, keep=keep)


def _under(prefix: str, field: str) -> str:
    return prefix if field == "(body)" else f"{prefix}.{field}"


def _co_production(
    engine: Engine,
    space: ValueSpace,
    profile: ProjectProfile,
    baseline: ModeAndLevel,
    limit: int,
    searched: list[str],
) -> CoProductionPath | None:
    if baseline.collaboration_level == TARGET_LEVEL:
        return _path(engine, profile, [], [], baseline)
    options = [(name, space.class_representatives(name, getattr(profile, name))) for name in searched]
    for size in range(1, limit + 1):
        found = [
            changes
            for changes in _change_sets(options, size)
            if engine.answer(_changed(profile, dict(changes))).collaboration_level == TARGET_LEVEL
        ]
        if found:
            first = _changed(profile, dict(found[0]))
            assignments = [[_assignment(space, name, value) for name, value in changes] for changes in found]
            return _path(engine, first, assignments[0], assignments[1:], engine.answer(first))
    return None


def _change_sets(options: list[tuple[str, list[Value]]], size: int) -> Iterator[list[tuple[str, Value]]]:
    for chosen in combinations(options, size):
        for values in product(*(values for _, values in chosen)):
            yield [(name, value) for (name, _), value in zip(chosen, values, strict=True)]


def _path(
    engine: Engine,
    changed: ProjectProfile,
    changes: list[Assignment],
    alternatives: list[list[Assignment]],
    outcome: ModeAndLevel,
) -> CoProductionPath:
    reasons = engine.recommender.recommend(changed).collaboration_level.reasons
    findings = [f for r in reasons if r.bound == "at_least" and r.level == TARGET_LEVEL for f in r.findings]
    return CoProductionPath(
        already=not changes,
        changes=changes,
        outcome=outcome,
        alternatives=alternatives,
        findings=list(dict.fromkeys(findings)),
    )


def _assignment(space: ValueSpace, name: str, value: Value) -> Assignment:
    return Assignment(field=name, value=value, range=_range(space.interval(name, value)))


def _range(interval: tuple[int, int] | None) -> ValueRange | None:
    return None if interval is None else ValueRange(min=interval[0], max=interval[1])


def _changed(profile: ProjectProfile, changes: dict[str, Value]) -> ProjectProfile:
    """``profile`` with ``changes``: values of the fields' own domains (:class:`ValueSpace`), so
    there is nothing to validate again."""
    return profile.model_copy(update=changes)
