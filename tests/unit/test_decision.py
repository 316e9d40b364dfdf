"""Scores, ranking and level follow the documented mechanism."""

from __future__ import annotations

from recommender import KnowledgeBase
from recommender.decision import level, outcome, ranking, scores


def test_a_tie_goes_to_the_mode_listed_first_in_the_knowledge_base(kb: KnowledgeBase) -> None:
    order = [mode.id for mode in kb.modes]
    assert ranking(kb, dict.fromkeys(order, 2)) == order
    assert ranking(kb, {order[0]: 1, order[1]: 5, order[2]: 5}) == [order[1], order[2], order[0]]


def test_the_level_rises_to_the_highest_floor() -> None:
    assert level([("consultative", None), ("collaborative", None)]) == "collaborative"


def test_a_feasibility_cap_wins_over_a_floor() -> None:
    assert level([("co_production", None), (None, "consultative")]) == "consultative"


def test_with_no_bound_the_level_is_transactional() -> None:
    assert level([]) == "transactional"


def test_the_outcome_is_the_scores_ranking_and_level_of_the_fired_rules_in_any_order(kb: KnowledgeBase) -> None:
    fired = [rule.id for rule in kb.rules if rule.when.initiation is None][::3]
    decided = outcome(kb, fired)
    assert decided.fired == frozenset(fired)
    assert decided.scores == scores(kb, fired)
    assert list(decided.ranking) == ranking(kb, scores(kb, fired))
    assert decided.mode == decided.ranking[0]
    by_id = kb.rules_by_id
    assert decided.level == level([(by_id[r].then.level_at_least, by_id[r].then.level_at_most) for r in fired])
    assert outcome(kb, reversed(fired)) == decided


def test_the_level_bounds_are_each_rules_own(kb: KnowledgeBase) -> None:
    assert kb.level_bounds == {rule.id: (rule.then.level_at_least, rule.then.level_at_most) for rule in kb.rules}
    assert kb.level_bounds is kb.level_bounds  # built once per knowledge base
