"""Prove the knowledge base's declared claims (``claims:`` in ``knowledge_base.yaml``) over the
whole discretised profile space.

Each claim kind is a small, fixed piece of mechanism; what it asserts (which level, which risk,
under which conditions) is data in the knowledge base. A claim holds when no profile of the
space violates it; each violation names the claim, one profile and what was found.

* ``level_fits_initiation``: the recommended mode's ``fit`` admits the recommended level;
* ``level_at_least``: every profile matching ``when`` gets ``level`` or higher;
* ``reasons_apart``: in every answer, each reason listed for a mode raises its score and each
  reason against it lowers it (checked on the assembled rankings);
* ``raises_risk``: every profile matching ``when`` lists ``risk`` (and ``mitigation``);
* ``score_no_higher``: ``mode``'s score with ``field`` at ``value`` never exceeds its score with
  ``field`` at ``than``, all else equal.

Answers that depend only on the fired rules are checked once per distinct set of fired rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from recommender import decision
from recommender.applicability import matches_condition
from recommender.assemble import Assembler
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import (
    Claim,
    Condition,
    LevelAtLeastClaim,
    LevelFitsInitiationClaim,
    RaisesRiskClaim,
    ReasonsApartClaim,
    ScoreNoHigherClaim,
)
from recommender.profile import ProjectProfile
from recommender.verify.mitigations import mitigation_ids
from recommender.verify.report import ClaimViolation, Profile
from recommender.verify.space import Value
from recommender.vocabulary import COLLABORATION_LEVELS

_ANY_PROFILE = ProjectProfile(
    project_type="evidence_review", timeline_months=1, funding="unfunded", relationship="none", staff_stability="low"
)


@dataclass(frozen=True)
class Space:
    """The discretised space and what the service decided on each profile of it."""

    names: Sequence[str]
    combinations: Sequence[tuple[Value, ...]]
    shown: Sequence[Profile]
    outcomes: Sequence[decision.Outcome]


def claim_violations(kb: KnowledgeBase, space: Space, *, assembler: Assembler | None = None) -> list[ClaimViolation]:
    """Every violation of every claim of ``kb`` over ``space`` (``assembler`` builds the rankings
    the ``reasons_apart`` claim reads; default: the service's own)."""
    assembler = assembler or Assembler(kb)
    violations: list[ClaimViolation] = []
    for claim in kb.claims:
        violations += _CHECKS[type(claim)](kb, claim, space, assembler)
    return violations


def _matches(profile: Profile, conditions: Mapping[str, Condition]) -> bool:
    return all(field in profile and matches_condition(profile[field], c) for field, c in conditions.items())


def _first_per_fired_set(space: Space) -> dict[frozenset[str], int]:
    """One profile (its position) for each distinct set of fired rules."""
    first: dict[frozenset[str], int] = {}
    for position, outcome in enumerate(space.outcomes):
        first.setdefault(outcome.fired, position)
    return first


def _level_fits(kb: KnowledgeBase, claim: Claim, space: Space, assembler: Assembler) -> list[ClaimViolation]:
    fits = {mode.id: (mode.fit.levels if mode.fit else COLLABORATION_LEVELS) for mode in kb.modes}
    found = []
    for _fired, position in _first_per_fired_set(space).items():
        outcome = space.outcomes[position]
        if outcome.level not in fits[outcome.mode]:
            found.append(
                ClaimViolation(claim.id, space.shown[position], f"{outcome.mode} initiation with {outcome.level}")
            )
    return found


def _level_at_least(kb: KnowledgeBase, claim: Claim, space: Space, assembler: Assembler) -> list[ClaimViolation]:
    assert isinstance(claim, LevelAtLeastClaim)
    floor = COLLABORATION_LEVELS.index(claim.level)
    return [
        ClaimViolation(claim.id, profile, f"level {outcome.level}")
        for profile, outcome in zip(space.shown, space.outcomes, strict=True)
        if COLLABORATION_LEVELS.index(outcome.level) < floor and _matches(profile, claim.when)
    ]


def _reasons_apart(kb: KnowledgeBase, claim: Claim, space: Space, assembler: Assembler) -> list[ClaimViolation]:
    found = []
    for position in _first_per_fired_set(space).values():
        answer = assembler.build(_ANY_PROFILE, space.outcomes[position])
        for ranked in answer.initiation_mode.ranking:
            wrong = [r.rule for r in ranked.reasons if r.contribution <= 0]
            wrong += [r.rule for r in ranked.reasons_against if r.contribution >= 0]
            if wrong:
                detail = f"{ranked.mode}: reasons on the wrong side: {', '.join(wrong)}"
                found.append(ClaimViolation(claim.id, space.shown[position], detail))
    return found


def _raises_risk(kb: KnowledgeBase, claim: Claim, space: Space, assembler: Assembler) -> list[ClaimViolation]:
    assert isinstance(claim, RaisesRiskClaim)
    rules = kb.rules_by_id
    found = []
    for profile, outcome in zip(space.shown, space.outcomes, strict=True):
        if not _matches(profile, claim.when):
            continue
        risks = {risk for rule_id in outcome.fired for risk in rules[rule_id].then.risks}
        if claim.risk not in risks:
            found.append(ClaimViolation(claim.id, profile, f"risk {claim.risk} not raised"))
        elif claim.mitigation and claim.mitigation not in mitigation_ids(kb, outcome.fired):
            found.append(ClaimViolation(claim.id, profile, f"mitigation {claim.mitigation} not listed"))
    return found


def _score_no_higher(kb: KnowledgeBase, claim: Claim, space: Space, assembler: Assembler) -> list[ClaimViolation]:
    assert isinstance(claim, ScoreNoHigherClaim)
    if claim.field not in space.names:
        return []
    at = list(space.names).index(claim.field)
    index = {combination: position for position, combination in enumerate(space.combinations)}
    found = []
    for position, combination in enumerate(space.combinations):
        if combination[at] != claim.value:
            continue
        other = index.get((*combination[:at], claim.than, *combination[at + 1 :]))
        if other is None:
            continue
        mine, theirs = space.outcomes[position].scores[claim.mode], space.outcomes[other].scores[claim.mode]
        if mine > theirs:
            detail = f"{claim.mode} scores {mine} with {claim.field}={claim.value}, {theirs} with {claim.than}"
            found.append(ClaimViolation(claim.id, space.shown[position], detail))
    return found


_Check = Callable[[KnowledgeBase, Claim, Space, Assembler], list[ClaimViolation]]
_CHECKS: dict[type, _Check] = {
    LevelFitsInitiationClaim: _level_fits,
    LevelAtLeastClaim: _level_at_least,
    ReasonsApartClaim: _reasons_apart,
    RaisesRiskClaim: _raises_risk,
    ScoreNoHigherClaim: _score_no_higher,
}
