"""The profile space spans every value the rules can tell apart, and no more."""

from __future__ import annotations

import dataclasses
import math

from recommender import KnowledgeBase, Recommender, decision
from recommender.engine.reference import ReferenceEvaluator
from recommender.kb.models import Rule
from recommender.space import ValueSpace, number_cuts
from recommender.verify.space import field_values, profiles


def test_the_timeline_takes_both_sides_of_every_threshold_and_its_bounds(kb: KnowledgeBase) -> None:
    # Thresholds in rules.yaml: lt 6, lt 12, gte 12, gte 24; the field runs from 1 to 120.
    assert field_values(kb)["timeline_months"] == (1, 5, 6, 11, 12, 120)


def test_the_space_holds_every_combination_of_the_fields_including_no_proposed_initiation(kb: KnowledgeBase) -> None:
    values = field_values(kb)

    assert values["proposed_initiation"] == (None, "agency", "researcher", "co_produced")
    assert values["agency_evidence_need"] == ("none", "general", "specific")
    assert values["uses_agency_data"] == (False, True)
    assert "title" not in values
    space = list(profiles(kb))
    assert len(space) == len(set(space)) == math.prod(len(v) for v in values.values())
    # Every field the shipped rules test spans the space: 5 project types x 6 timelines (both
    # sides of 6 and 12, and the bounds) x 5 funding x 3 x 3 x 4 proposals (or none) x 3 needs
    # x 2^4 flags.
    assert len(space) == 5 * 6 * 5 * 3 * 3 * 4 * 3 * 2**4


def test_an_equality_on_a_number_adds_the_value_and_both_its_neighbours(kb: KnowledgeBase) -> None:
    exact = Rule.model_validate(
        {
            "id": "exactly_thirty_months",
            "description": "d",
            "rationale": "r",
            "when": {"profile": {"timeline_months": 30}},
            "then": {"mitigations": ["agree_shared_aims"]},
            "findings": ["collab.agree_aims_always"],
        }
    )
    edited = dataclasses.replace(kb, rules=(*kb.rules, exact))

    assert {29, 30, 31} <= set(field_values(edited)["timeline_months"])


def test_a_field_no_rule_tests_takes_only_its_default(kb: KnowledgeBase) -> None:
    untested = dataclasses.replace(
        kb, rules=tuple(rule for rule in kb.rules if "politically_sensitive" not in rule.when.profile)
    )

    assert field_values(untested)["politically_sensitive"] == (False,)
    # The proposal is read by the service to put a mode in play, so it always varies.
    assert len(field_values(untested)["proposed_initiation"]) == 4


def test_proposing_the_recommended_mode_fires_what_proposing_nothing_fires(
    recommender: Recommender, kb: KnowledgeBase
) -> None:
    # The check reuses the answer for such profiles instead of asking the engines again.
    durable, reference = recommender, Recommender(kb, ReferenceEvaluator(kb))
    # (when no rule reads the proposal: the rules that do, such as a warning, are set aside here).
    reading = {rule.id for rule in kb.rules if "proposed_initiation" in rule.when.profile}
    unproposed = [profile for profile in profiles(kb) if profile.proposed_initiation is None]
    for position, profile in enumerate(unproposed):
        engines = (reference, durable) if position % 7 == 0 else (reference,)
        for engine in engines:
            fired = engine.fired_rules(profile)
            recommended = decision.outcome(kb, fired).mode
            proposing = profile.model_copy(update={"proposed_initiation": recommended})
            assert [r for r in engine.fired_rules(proposing) if r not in reading] == fired


def test_the_check_and_the_what_if_cut_the_timeline_at_the_same_thresholds(kb: KnowledgeBase) -> None:
    # The what-if reads only the deciding rules; every value it tries is in the check's space.
    cuts = number_cuts("timeline_months", kb.rules)

    assert cuts.sides(bounds=True) == field_values(kb)["timeline_months"]
    assert set(ValueSpace(kb).values_to_try("timeline_months", 8)) <= set(cuts.sides())
    assert cuts.ranges() == ((1, 5), (6, 11), (12, 120))


def test_cuts_outside_the_fields_bounds_are_dropped(kb: KnowledgeBase) -> None:
    extreme = Rule.model_validate(
        {
            "id": "beyond_the_bounds",
            "description": "d",
            "rationale": "r",
            "when": {"profile": {"timeline_months": {"lte": 120}}},
            "then": {"mitigations": ["agree_shared_aims"]},
            "findings": ["collab.agree_aims_always"],
        }
    )

    cuts = number_cuts("timeline_months", [extreme])

    assert (cuts.cuts, cuts.sides(), cuts.sides(bounds=True)) == ((), (), (1, 120))
