"""From fired rules to decisions: scores, ranking, tie-break and collaboration level.

This is mechanism only: every number and bound comes from the rules' conclusions.

* A mode's score is the sum of the contributions of the fired rules.
* The level starts at the lowest of the continuum, rises to the highest ``level_at_least``
  of the fired rules, then falls to the lowest ``level_at_most``: feasibility caps win over
  what the work would benefit from.
* Initiation and level are decided together: a mode is *viable* when its ``fit`` in the
  knowledge base admits the level (a mode without ``fit`` admits every level). Viable modes
  rank first, by score, highest first; then the others, by score. A tie goes to the mode
  listed first in the knowledge base's ``modes`` (the documented tie-break). So the
  recommended mode always fits the level, unless no mode does (``kb check`` reports it).

:func:`outcome` is the one place that turns fired rules into all three; every service and
check asks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.recommendation import OutputModel
from recommender.vocabulary import COLLABORATION_LEVELS, CollaborationLevel, InitiationMode


class ModeAndLevel(OutputModel):
    """The engine's answer as the what-if analysis reports it: the recommended initiation mode and
    collaboration level."""

    initiation_mode: InitiationMode
    collaboration_level: CollaborationLevel


@dataclass(frozen=True)
class Outcome:
    """What a set of fired rules decides: every mode's score, the modes best first, and the level.

    The one outcome of an evaluation: the service memoises it by the profile's class, the
    assembler builds the answer from it, and the what-if analysis compares its ``answer``.
    """

    fired: frozenset[str]
    scores: Mapping[InitiationMode, int]
    ranking: tuple[InitiationMode, ...]
    level: CollaborationLevel
    viable: frozenset[InitiationMode]
    answer: ModeAndLevel

    @property
    def mode(self) -> InitiationMode:
        """The recommended initiation mode (the first of the ranking)."""
        return self.ranking[0]

    def with_fired(self, fired: Iterable[str]) -> Outcome:
        """The same decision, fired by ``fired``: for rules that only raise risks (those on the
        initiation in play, as the loader enforces), which change no score, bound or level."""
        return replace(self, fired=frozenset(fired))


def outcome(kb: KnowledgeBase, fired: Iterable[str]) -> Outcome:
    """The scores, ranking and level the rules ``fired`` decide (the order they fired in does not matter).

    Example:
        >>> from recommender.kb import load_knowledge_base
        >>> kb = load_knowledge_base()
        >>> decided = outcome(kb, ["long_term_relationship_builds_trust"])
        >>> decided.mode, decided.level
        ('co_produced', 'transactional')
    """
    fired_set = frozenset(fired)
    totals = scores(kb, fired_set)
    bounds = kb.level_bounds
    decided_level = level([bounds[rule_id] for rule_id in fired_set])
    fitting = viable(kb, decided_level)
    ranked = tuple(ranking(kb, totals, fitting))
    return Outcome(
        fired=fired_set,
        scores=totals,
        ranking=ranked,
        level=decided_level,
        viable=fitting,
        answer=ModeAndLevel(initiation_mode=ranked[0], collaboration_level=decided_level),
    )


def viable(kb: KnowledgeBase, at: CollaborationLevel) -> frozenset[InitiationMode]:
    """The modes whose ``fit`` admits the level ``at`` (a mode without ``fit`` admits every level)."""
    return frozenset(mode.id for mode in kb.modes if mode.fit is None or at in mode.fit.levels)


def scores(kb: KnowledgeBase, fired: Iterable[str]) -> dict[InitiationMode, int]:
    """Each mode's score from the fired rules' contributions, in knowledge-base mode order."""
    by_id = kb.rules_by_id
    totals: dict[InitiationMode, int] = {mode.id: 0 for mode in kb.modes}
    for rule_id in fired:
        for mode, contribution in by_id[rule_id].then.scores.items():
            totals[mode] += contribution
    return totals


def ranking(
    kb: KnowledgeBase, totals: Mapping[InitiationMode, int], fitting: frozenset[InitiationMode] | None = None
) -> list[InitiationMode]:
    """Modes best first: those in ``fitting`` (default: all) first, then by score; ties by the
    knowledge base's mode order."""
    order = [mode.id for mode in kb.modes]
    return sorted(
        order,
        key=lambda mode: (fitting is not None and mode not in fitting, -totals[mode], order.index(mode)),
    )


def level(
    fired_rules: Sequence[tuple[CollaborationLevel | None, CollaborationLevel | None]],
) -> CollaborationLevel:
    """The collaboration level from (at_least, at_most) bounds of the fired rules."""
    index = 0
    for at_least, _ in fired_rules:
        if at_least is not None:
            index = max(index, COLLABORATION_LEVELS.index(at_least))
    for _, at_most in fired_rules:
        if at_most is not None:
            index = min(index, COLLABORATION_LEVELS.index(at_most))
    return COLLABORATION_LEVELS[index]  # type: ignore[return-value]


def modes_in_play(kb: KnowledgeBase, proposed: InitiationMode | None, fired: Iterable[str]) -> list[InitiationMode]:
    """The recommended mode, and the proposed one when it differs."""
    # Called on every evaluation, between the two passes: the top of the ranking is all it needs.
    return in_play(outcome(kb, fired).mode, proposed)


def in_play(recommended: InitiationMode, proposed: InitiationMode | None) -> list[InitiationMode]:
    """The recommended mode, and the proposed one when it differs."""
    return [recommended] if proposed is None or proposed == recommended else [recommended, proposed]
