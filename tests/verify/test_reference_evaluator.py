"""The reference evaluator reads the rule data the way rules.yaml describes it."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from recommender import KnowledgeBase, ProjectProfile, Recommender
from recommender.engine.reference import ReferenceEvaluator

CO_PRODUCTION = ProjectProfile(
    project_type="evaluation",
    timeline_months=18,
    funding="co_funded",
    relationship="long_term",
    staff_stability="high",
)
REVIEW = ProjectProfile(
    project_type="evidence_review",
    timeline_months=4,
    funding="agency_commissioned",
    relationship="none",
    staff_stability="low",
    proposed_initiation="researcher",
    agency_evidence_need="none",
    uses_agency_data=True,
)


def test_the_reference_evaluator_fires_the_rules_durable_fires(recommender: Recommender, kb: KnowledgeBase) -> None:
    reference = Recommender(kb, ReferenceEvaluator(kb))
    for profile in (CO_PRODUCTION, REVIEW):
        assert set(reference.fired_rules(profile)) == set(recommender.fired_rules(profile))


def test_forward_chaining_reaches_the_same_rules_whatever_the_order_of_the_rules(kb: KnowledgeBase) -> None:
    backwards = dataclasses.replace(kb, rules=tuple(reversed(kb.rules)))
    in_order = Recommender(kb, ReferenceEvaluator(kb))
    reversed_order = Recommender(backwards, ReferenceEvaluator(backwards))

    for profile in (CO_PRODUCTION, REVIEW):
        assert set(in_order.fired_rules(profile)) == set(reversed_order.fired_rules(profile))
    # Reversed, this rule comes before the five rules deriving the facts it needs.
    assert "coproduction_preconditions_met" in reversed_order.fired_rules(CO_PRODUCTION)


def test_rules_on_the_initiation_fire_only_for_the_modes_decide_puts_in_play(kb: KnowledgeBase) -> None:
    seen: list[Sequence[str]] = []

    def decide(fired: Sequence[str]) -> list[str]:
        seen.append(fired)
        return ["researcher"]

    fired = ReferenceEvaluator(kb).evaluate(REVIEW.engine_fields(), decide)

    by_id = kb.rules_by_id
    assert len(seen) == 1
    assert all(by_id[rule].when.initiation is None for rule in seen[0])
    second_pass = [rule for rule in fired if by_id[rule].when.initiation is not None]
    assert second_pass
    assert {by_id[rule].when.initiation for rule in second_pass} == {"researcher"}
    assert len(fired) == len(set(fired))
