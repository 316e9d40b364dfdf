"""Scores, ranking and level follow the documented mechanism."""

from __future__ import annotations

from recommender import KnowledgeBase
from recommender.decision import level, ranking


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
