"""The recommender's answer cache: the same answers as without it, bounded, and safe under threads."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from recommender import ProjectProfile, Recommender, memo, what_if
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


def test_two_profiles_of_one_class_are_evaluated_on_the_engine_once(recommender: Recommender) -> None:
    counting = CountingEvaluator(recommender.evaluator)
    cached = Recommender(recommender.kb, counting, cache_size=4)
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)
    # 13 and 60 months lie between the same two cuts of the rules; the titles differ.
    first, second = _profile(13, title="First"), _profile(60, title="Second")
    assert cached.memo is not None
    assert cached.memo.classes.index(first) == cached.memo.classes.index(second)
    answers = [cached.recommend(first), cached.recommend(second)]
    cached.outcome(second)
    assert counting.calls == 1
    assert answers[0].model_dump_json() == uncached.recommend(first).model_dump_json()
    assert answers[1].model_dump_json() == uncached.recommend(second).model_dump_json()
    assert (answers[1].profile.title, answers[1].profile.timeline_months) == ("Second", 60)


def test_profiles_the_rules_tell_apart_are_each_evaluated(recommender: Recommender) -> None:
    counting = CountingEvaluator(recommender.evaluator)
    cached = Recommender(recommender.kb, counting, cache_size=4)
    for months in (5, 11, 13, 5, 11, 13):  # three ranges of the timeline's cuts
        cached.recommend(_profile(months))
    assert counting.calls == 3


def test_an_answer_dropped_beyond_the_cache_size_is_rebuilt_without_the_engine(recommender: Recommender) -> None:
    counting = CountingEvaluator(recommender.evaluator)
    cached = Recommender(recommender.kb, counting, cache_size=1)  # keeps one assembled answer
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)
    short, long = _profile(5), _profile(24)
    assert cached.recommend(short).model_dump_json() != cached.recommend(long).model_dump_json()
    assert cached.recommend(short).model_dump_json() == uncached.recommend(short).model_dump_json()
    assert counting.calls == 2


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


def test_an_outcome_is_memoised_by_class_and_is_the_uncached_one(recommender: Recommender) -> None:
    counting = CountingEvaluator(recommender.evaluator)
    cached = Recommender(recommender.kb, counting, cache_size=2)
    first = cached.outcome(_profile(12))
    assert cached.outcome(_profile(30, title="Another name, the same class")) == first
    assert counting.calls == 1
    assert first == Recommender(recommender.kb, recommender.evaluator, cache_size=0).outcome(_profile(12))


def test_what_if_evaluates_each_class_of_its_changed_profiles_once(recommender: Recommender) -> None:
    profile = _profile(8, relationship="long_term", staff_stability="high")
    counting = CountingEvaluator(recommender.evaluator)
    cached = Recommender(recommender.kb, counting, cache_size=4_000)
    expected = what_if(profile, recommender=cached).model_dump_json()
    assert cached.memo is not None
    assert counting.calls == cached.memo.filled > 1
    asked = counting.calls
    assert what_if(profile, recommender=cached).model_dump_json() == expected
    assert what_if(_profile(10, relationship="long_term", staff_stability="high"), recommender=cached)
    assert counting.calls == asked  # the same classes: nothing reaches the engine

    counting_again = CountingEvaluator(recommender.evaluator)
    uncached = Recommender(recommender.kb, counting_again, cache_size=0)
    assert what_if(profile, recommender=uncached).model_dump_json() == expected
    assert counting_again.calls > asked  # without the memo, every question goes to the engine


@settings(max_examples=100, deadline=None)
@given(profiles)
def test_the_spliced_json_is_byte_for_byte_the_answer_serialised(
    recommender: Recommender, profile: ProjectProfile
) -> None:
    expected = Recommender(recommender.kb, recommender.evaluator, cache_size=0).recommend(profile).model_dump_json()
    assert recommender.recommend_json(profile) == expected.encode()
    assert recommender.recommend_json(profile) == expected.encode()  # the second from the sections kept


def test_warming_memoises_every_class_of_a_space_once(recommender: Recommender) -> None:
    counting = CountingEvaluator(recommender.evaluator)
    cached = Recommender(recommender.kb, counting, cache_size=4)
    assert cached.memo is not None
    representatives = list(cached.memo.classes.representatives())
    assert [cached.memo.classes.index(p) for p in representatives[:500]] == list(range(500))
    assert cached.warm(limit=300) == counting.calls == cached.memo.filled == 300
    assert cached.warm(limit=300) == 0
    assert counting.calls == 300
    assert cached.warm(limit=340, write_answers=False) == 40  # the outcomes only, as the memo builder warms
    assert counting.calls == cached.memo.filled == 340


def test_a_saved_memo_answers_another_recommender_without_the_engine(recommender: Recommender, tmp_path: Path) -> None:
    first = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    assert first.memo is not None
    first.warm(limit=200)
    first.save_memo(tmp_path / "memo.json")
    counting = CountingEvaluator(recommender.evaluator)
    second = Recommender(recommender.kb, counting, cache_size=4)
    assert second.memo is not None
    assert second.load_memo(tmp_path / "memo.json", check=False) == 200
    for profile in itertools.islice(second.memo.classes.representatives(), 200):
        assert second.outcome(profile) == first.outcome(profile)
    assert counting.calls == 0
    assert second.memo.filled == 200
    assert [p.name for p in tmp_path.iterdir()] == ["memo.json"]  # written beside it, renamed into place


def test_a_checked_memo_is_evaluated_again_in_part_before_it_is_taken(recommender: Recommender, tmp_path: Path) -> None:
    first = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    first.warm(limit=100)
    first.save_memo(tmp_path / "memo.json")
    counting = CountingEvaluator(recommender.evaluator)
    second = Recommender(recommender.kb, counting, cache_size=4)
    assert second.load_memo(tmp_path / "memo.json") == 100
    assert counting.calls == memo.CHECKED_ON_LOAD  # a sample of its classes, on the engine


def test_a_loaded_memo_keeps_the_classes_already_memoised(recommender: Recommender, tmp_path: Path) -> None:
    first = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    first.warm(limit=300)
    first.save_memo(tmp_path / "memo.json")
    second = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    assert second.memo is not None
    representatives = list(itertools.islice(second.memo.classes.representatives(), 400))
    before = [second.recommend_json(p) for p in representatives[250:400]]  # 250-299 in both, 300-399 here only
    assert second.load_memo(tmp_path / "memo.json", check=False) == 250
    assert second.memo.filled == 400
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)
    for profile in representatives:
        assert second.outcome(profile) == uncached.outcome(profile)
    assert [second.recommend_json(p) for p in representatives[250:400]] == before


def _damaged(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _swap_two_classes(data: dict[str, Any]) -> None:
    first, second = (number for number in data["table"] if number >= 0)
    masks = data["masks"]
    masks[first], masks[second] = masks[second], masks[first]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda data: data.update(digest="0" * 64), "another knowledge base"),
        (lambda data: data.update(format=1), "not a memo of format"),
        (lambda data: data.pop("masks"), "missing or of the wrong type"),
        (lambda data: data["table"].pop(), "do not fit together"),
        (lambda data: data["masks"].append(1 << 200), "do not fit together"),
        (lambda data: data["decisions"].append(["no_such_rule"]), "unknown rules"),
        (_swap_two_classes, "fires other rules on this engine"),
    ],
)
def test_a_memo_file_that_is_not_sound_is_refused_whole(
    recommender: Recommender, tmp_path: Path, change: Callable[[dict[str, Any]], object], reason: str
) -> None:
    cached = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    assert cached.memo is not None
    # Two classes that fire different rules, so that swapping them is a real damage.
    cached.outcome(_profile(6, funding="agency_commissioned"))
    cached.outcome(_profile(36, relationship="long_term", staff_stability="high"))
    cached.save_memo(tmp_path / "memo.json")
    _damaged(tmp_path / "memo.json", change)
    fresh = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    assert fresh.memo is not None
    with pytest.raises(ValueError, match=reason):
        fresh.load_memo(tmp_path / "memo.json")
    assert fresh.memo.filled == 0


@pytest.mark.parametrize("content", [b"", b"{", b"\xff\xfe", b"[1, 2]", b'"memo"'])
def test_an_unreadable_memo_file_is_refused(recommender: Recommender, tmp_path: Path, content: bytes) -> None:
    (tmp_path / "memo.json").write_bytes(content)
    with pytest.raises(ValueError, match=r"memo\.json: not a"):
        Recommender(recommender.kb, recommender.evaluator, cache_size=4).load_memo(tmp_path / "memo.json")


def test_every_class_has_the_representative_its_position_gives(recommender: Recommender) -> None:
    assert recommender.memo is not None
    classes = recommender.memo.classes
    for index, profile in enumerate(itertools.islice(classes.representatives(), 3000)):
        assert classes.representative(index) == profile
    for index in range(classes.size - 1, 0, -997):  # across the whole space
        assert classes.index(classes.representative(index)) == index
    with pytest.raises(IndexError):
        classes.representative(classes.size)


def test_a_field_of_a_class_is_read_without_its_profile(recommender: Recommender) -> None:
    assert recommender.memo is not None
    classes = recommender.memo.classes
    # Against the profiles of the whole space as itertools.product orders them.
    for index, profile in itertools.islice(enumerate(classes.representatives()), 0, None, 211):
        for field in classes.fields:
            value = classes.value_at(index, field.name)
            assert value == (getattr(profile, field.name) if field.name in profile.model_fields_set else None)
    with pytest.raises(IndexError):
        classes.value_at(classes.size, "funding")


def test_a_spliced_answer_names_the_defaults_of_its_own_profile(recommender: Recommender) -> None:
    implicit = _profile(12)
    explicit = _profile(12, agency_evidence_need="general", uses_agency_data=False)
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)
    for profile in (implicit, explicit, implicit):  # one class: the second and third from the kept tail
        assert recommender.recommend_json(profile) == uncached.recommend(profile).model_dump_json().encode()
    spliced = json.loads(recommender.recommend_json(explicit))
    assert not {"agency_evidence_need", "uses_agency_data"} & set(spliced["defaulted_inputs"])


def test_the_answers_of_memoised_classes_are_written_ahead_without_the_engine(
    recommender: Recommender, tmp_path: Path
) -> None:
    source = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    source.warm(limit=100, write_answers=False)
    source.save_memo(tmp_path / "memo.json")
    counting = CountingEvaluator(recommender.evaluator)
    loaded = Recommender(recommender.kb, counting, cache_size=4)
    loaded.load_memo(tmp_path / "memo.json", check=False)

    assert loaded.write_answers(pause=lambda: True, every=10) == 10  # a pause that says stop
    assert loaded.answers_kept == 10
    assert loaded.write_answers() == 90  # the rest, not the ten again
    assert (loaded.answers_kept, counting.calls) == (100, 0)
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)
    assert loaded.memo is not None
    for index in range(100):  # three proposals among them: each class's own is written
        profile = loaded.memo.classes.representative(index)
        assert loaded.recommend_json(profile) == uncached.recommend(profile).model_dump_json().encode()
    assert counting.calls == 0
