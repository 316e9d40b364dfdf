"""The recommender's answer cache: the same answers as without it, bounded, and safe under threads."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings

from recommender import ProjectProfile, Recommender, what_if
from recommender.engine import durable_adapter
from tests.evaluators import CountingEvaluator
from tests.integration.strategies import profiles


def _profile(months: int, **fields: object) -> ProjectProfile:
    base: dict[str, object] = {
        "project_type": "evaluation",
        "timeline_months": months,
        "funding": "external_grant",
        "relationship": "prior_project",
        "staff_stability": "moderate",
    }
    return ProjectProfile.model_validate({**base, **fields})


@settings(max_examples=150, deadline=None)
@given(profiles)
def test_a_cached_answer_is_byte_for_byte_the_uncached_one(recommender: Recommender, profile: ProjectProfile) -> None:
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)
    expected = uncached.recommend(profile).model_dump_json()
    assert recommender.recommend(profile).model_dump_json() == expected
    assert recommender.recommend(profile).model_dump_json() == expected


def test_a_repeated_profile_is_answered_without_the_engine(recommender: Recommender) -> None:
    counting = CountingEvaluator(recommender.evaluator)
    cached = Recommender(recommender.kb, counting, cache_size=4)
    cached.recommend(_profile(12))
    cached.recommend(_profile(12))
    assert counting.calls == 1


@pytest.mark.parametrize("ask", ["recommend", "outcome"])
def test_the_least_recently_used_answer_is_dropped_beyond_the_cache_size(recommender: Recommender, ask: str) -> None:
    counting = CountingEvaluator(recommender.evaluator)
    cached = Recommender(recommender.kb, counting, cache_size=2)
    answer = getattr(cached, ask)
    first, second, third = _profile(12), _profile(13), _profile(14)
    for profile in (first, second, first, third):  # `second` is now the least recently used
        answer(profile)
    assert counting.calls == 3
    answer(first)
    assert counting.calls == 3
    answer(second)
    assert counting.calls == 4


def test_an_equal_profile_gets_an_answer_that_names_that_very_profile(recommender: Recommender) -> None:
    implicit = _profile(12)
    explicit = _profile(12, agency_evidence_need="general", uses_agency_data=False)
    assert implicit == explicit
    first = recommender.recommend(implicit)
    second = recommender.recommend(explicit)
    assert first.profile is implicit
    assert second.profile is explicit
    # The same answer, but each says which inputs its caller left at their defaults.
    assert second.model_dump_json(exclude={"defaulted_inputs"}) == first.model_dump_json(exclude={"defaulted_inputs"})
    assert set(first.defaulted_inputs) - set(second.defaulted_inputs) == {"agency_evidence_need", "uses_agency_data"}


def test_a_zero_cache_size_sends_every_call_to_the_engine(recommender: Recommender) -> None:
    counting = CountingEvaluator(recommender.evaluator)
    uncached = Recommender(recommender.kb, counting, cache_size=0)
    for _ in range(3):
        uncached.recommend(_profile(12))
    assert counting.calls == 3


def test_threads_sharing_a_small_cache_get_the_sequential_answers(recommender: Recommender) -> None:
    cases: Sequence[ProjectProfile] = [_profile(months) for months in range(1, 25)]
    expected = [Recommender(recommender.kb, recommender.evaluator, cache_size=0).recommend(p) for p in cases]
    shared = Recommender(recommender.kb, recommender.evaluator, cache_size=5)  # constant eviction

    def mismatches(offset: int) -> list[int]:
        indices = [(n + offset) % len(cases) for n in range(120)]
        return [i for i in indices if shared.recommend(cases[i]).model_dump_json() != expected[i].model_dump_json()]

    with ThreadPoolExecutor(max_workers=6) as pool:  # result() re-raises anything a thread raised
        found = [index for result in pool.map(mismatches, range(6)) for index in result]
    assert found == []
    assert durable_adapter.live_sessions() == 0


def test_an_outcome_is_cached_by_the_fields_the_rules_read_and_is_the_uncached_one(recommender: Recommender) -> None:
    counting = CountingEvaluator(recommender.evaluator)
    cached = Recommender(recommender.kb, counting, cache_size=2)
    first = cached.outcome(_profile(12))
    assert cached.outcome(_profile(12, title="Another name, the same fields")) is first
    assert counting.calls == 1
    assert first == Recommender(recommender.kb, recommender.evaluator, cache_size=0).outcome(_profile(12))


def test_what_if_asks_its_recommender_and_honours_its_cache_size(recommender: Recommender) -> None:
    profile = _profile(8, relationship="long_term", staff_stability="high")
    counting = CountingEvaluator(recommender.evaluator)
    cached = Recommender(recommender.kb, counting, cache_size=4_000)
    expected = what_if(profile, recommender=cached).model_dump_json()
    asked = counting.calls
    assert asked > 1
    assert what_if(profile, recommender=cached).model_dump_json() == expected
    assert counting.calls == asked  # answered from the recommender's cache

    # A fresh recommender shares no answers with the first one, and with no cache asks the engine again.
    counting_again = CountingEvaluator(recommender.evaluator)
    uncached = Recommender(recommender.kb, counting_again, cache_size=0)
    for round_ in (1, 2):
        assert what_if(profile, recommender=uncached).model_dump_json() == expected
        assert counting_again.calls == round_ * asked
