"""What-if: every reported change is the engine's answer, and every change that matters is reported."""

from __future__ import annotations

import functools
import itertools
import shutil
from pathlib import Path
from types import NoneType
from typing import Any, Literal, get_args, get_origin

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from recommender import (
    KnowledgeBase,
    ProfileError,
    ProjectProfile,
    Recommender,
    WhatIf,
    default_recommender,
    recommend,
    what_if,
)
from recommender.kb import default_rules_dir
from recommender.kb.models import Comparison
from recommender.space import ValueSpace
from tests.integration.strategies import FIELDS, profiles

SHIPPED = default_recommender()

TRUSTED = ProjectProfile(
    project_type="evaluation",
    timeline_months=24,
    funding="external_grant",
    relationship="long_term",
    staff_stability="high",
)
FAR = ProjectProfile(
    project_type="evidence_review",
    timeline_months=3,
    funding="external_grant",
    relationship="none",
    staff_stability="low",
)
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _answer(profile: ProjectProfile, **changes: object) -> tuple[str, str]:
    changed = ProjectProfile.model_validate({**profile.model_dump(), **changes})
    recommendation = recommend(changed)
    return recommendation.initiation_mode.recommended, recommendation.collaboration_level.recommended


@functools.cache
def _every_value(field: str) -> list[object]:
    """Every value the profile model allows for ``field``, read from its type (not from the code under test)."""
    annotation = ProjectProfile.model_fields[field].annotation
    if annotation is int:
        return list(range(1, 121))
    return _values_of(annotation)


def _values_of(annotation: Any) -> list[object]:
    if annotation is bool:
        return [False, True]
    if annotation is NoneType:
        return [None]
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    return [value for arg in get_args(annotation) for value in _values_of(arg)]  # an optional field: X | None


def _values_that_matter(kb: KnowledgeBase, field: str) -> list[object]:
    """Every value of ``field``, except that a number takes its bounds and both sides of every threshold
    a rule sets on it: between two of those, no rule's condition can change."""
    if ProjectProfile.model_fields[field].annotation is not int:
        return _every_value(field)
    points = {1, 120}
    for rule in kb.rules:
        condition = rule.when.profile.get(field)
        if isinstance(condition, Comparison):
            bound = condition.bound()[1]
            points |= {bound - 1, bound, bound + 1}
    within: list[object] = [point for point in sorted(points) if 1 <= point <= 120]
    return within


def _reported(result: WhatIf, field: str, value: object) -> tuple[str, str] | None:
    """What the what-if says ``field = value`` gives, or None when it reports no change for it."""
    baseline = (result.baseline.initiation_mode, result.baseline.collaboration_level)
    for change in next(item for item in result.fields if item.field == field).changes:
        covers = (
            change.range.min <= value <= change.range.max
            if change.range and isinstance(value, int)
            else change.value == value
        )
        if covers:
            mode = change.initiation_mode.after if change.initiation_mode else baseline[0]
            level = change.collaboration_level.after if change.collaboration_level else baseline[1]
            return mode, level
    return None


def test_timeline_values_are_both_sides_of_the_rules_breakpoints(recommender: Recommender) -> None:
    space = ValueSpace(recommender.kb)
    # rules.yaml: timeline_short (lt 6) and timeline_allows_coproduction (gte 12) decide;
    # timeline_long (gte 24) only raises a risk, so it is no breakpoint for the answer
    assert space.values_to_try("timeline_months", 8) == [5, 6, 11, 12]
    assert space.interval("timeline_months", 8) == (6, 11)
    assert space.class_representatives("timeline_months", 8) == [5, 12]
    assert "politically_sensitive" not in space.search_fields
    assert "proposed_initiation" not in space.search_fields


def test_breakpoints_move_with_the_rules_thresholds(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    data = yaml.safe_load((rules / "rules.yaml").read_text())
    rule = next(r for r in data["rules"] if r["id"] == "timeline_allows_coproduction")
    rule["when"]["profile"]["timeline_months"] = {"gte": 18}
    (rules / "rules.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    engine = Recommender.from_directory(rules)
    # 12 stays a breakpoint: coproduction_gap_time still tests lt 12
    assert ValueSpace(engine.kb).values_to_try("timeline_months", 8) == [5, 6, 11, 12, 17, 18]
    result = what_if(TRUSTED.model_copy(update={"funding": "co_funded", "timeline_months": 12}), recommender=engine)
    assert result.baseline.collaboration_level == "collaborative"
    assert result.co_production is not None
    assert [(a.field, a.value) for a in result.co_production.changes] == [("timeline_months", 18)]


def test_co_funding_alone_makes_a_trusted_stable_evaluation_co_production() -> None:
    result = what_if(TRUSTED, recommender=SHIPPED)
    assert result.baseline.collaboration_level == "collaborative"
    assert result.co_production is not None
    assert [(a.field, a.value) for a in result.co_production.changes] == [("funding", "co_funded")]
    assert result.co_production.findings
    assert _answer(TRUSTED, funding="co_funded")[1] == "co_production"


def test_the_minimal_co_production_change_for_a_far_profile_takes_five_fields() -> None:
    result = what_if(FAR, recommender=SHIPPED)
    assert result.co_production is not None
    changes = {a.field: a.value for a in result.co_production.changes}
    assert set(changes) == {"project_type", "timeline_months", "funding", "relationship", "staff_stability"}
    assert _answer(FAR, **changes)[1] == "co_production"
    for alternative in result.co_production.alternatives:
        assert len(alternative) == 5
        assert _answer(FAR, **{a.field: a.value for a in alternative})[1] == "co_production"
    # A bound on the search, far below brute force over the searched fields (every combination
    # of five of seven fields' distinct values); two optional flags joined the search in 2026-12.
    assert result.evaluations < 2500


def test_the_search_stops_at_max_changes() -> None:
    result = what_if(FAR, max_changes=2, recommender=SHIPPED)
    assert result.co_production is None
    assert result.co_production_searched_up_to == 2


def test_single_field_analysis_takes_a_few_dozen_evaluations() -> None:
    result = what_if(TRUSTED, recommender=SHIPPED)
    assert sum(len(item.values_tried) for item in result.fields) <= 36
    assert [item.field for item in result.fields] == FIELDS


@SLOW
@given(profiles)
def test_every_reported_change_really_changes_the_engines_answer(profile: ProjectProfile) -> None:
    result = what_if(profile, recommender=SHIPPED)
    baseline = _answer(profile)
    assert baseline == (result.baseline.initiation_mode, result.baseline.collaboration_level)
    for item in result.fields:
        for change in item.changes:
            values = [change.value] if change.range is None else [change.range.min, change.range.max, change.value]
            for value in values:
                after = _answer(profile, **{item.field: value})
                assert after != baseline, (item.field, value)
                assert after == _reported(result, item.field, value)


@SLOW
@given(profiles)
def test_every_single_field_change_that_changes_the_answer_is_reported(profile: ProjectProfile) -> None:
    result = what_if(profile, recommender=SHIPPED)
    baseline = _answer(profile)
    for field in FIELDS:
        for value in _every_value(field):
            if value == getattr(profile, field):
                continue
            after = _answer(profile, **{field: value})
            assert _reported(result, field, value) == (after if after != baseline else None), (field, value)


@SLOW
@given(profiles)
def test_the_co_production_change_works_and_no_smaller_one_does(
    recommender: Recommender, profile: ProjectProfile
) -> None:
    result = what_if(profile, recommender=SHIPPED)
    path = result.co_production
    if result.baseline.collaboration_level == "co_production":
        assert path is not None
        assert path.already
        return
    assert path is not None  # within every field the rules test, co-production is always reachable
    assert _answer(profile, **{a.field: a.value for a in path.changes})[1] == "co_production"
    if len(path.changes) > 1:
        assert not any(
            change.collaboration_level and change.collaboration_level.after == "co_production"
            for item in result.fields
            for change in item.changes
        )
    # Brute force: no profile that differs from this one in fewer fields, whichever fields and
    # values, is co-production (on the engine, with no cache).
    engine = Recommender(recommender.kb, recommender.evaluator, cache_size=0)
    for size in range(1, len(path.changes)):
        for fields in itertools.combinations(FIELDS, size):
            others = [[v for v in _values_that_matter(engine.kb, f) if v != getattr(profile, f)] for f in fields]
            for values in itertools.product(*others):
                changes = dict(zip(fields, values, strict=True))
                changed = ProjectProfile.model_validate({**profile.model_dump(), **changes})
                assert engine.outcome(changed).level != "co_production", changes


def test_a_negative_search_bound_searches_nothing() -> None:
    result = what_if(FAR, max_changes=-3, recommender=SHIPPED)
    assert result.co_production_searched_up_to == 0
    assert result.co_production is None


def test_keeping_funding_finds_a_path_to_co_production_that_leaves_funding_alone() -> None:
    free = what_if(TRUSTED, recommender=SHIPPED)
    held = what_if(TRUSTED, keep=["funding"], recommender=SHIPPED)

    assert [(a.field, a.value) for a in free.co_production.changes] == [("funding", "co_funded")]  # type: ignore[union-attr]
    assert held.kept == ["funding"]
    assert "funding" not in [f.field for f in held.fields]
    assert [f.field for f in held.fields] == [f.field for f in free.fields if f.field != "funding"]
    if held.co_production is not None:
        assert all(a.field != "funding" for a in held.co_production.changes)
        changed = ProjectProfile.model_validate(
            {**TRUSTED.model_dump(), **{a.field: a.value for a in held.co_production.changes}}
        )
        assert recommend(changed).collaboration_level.recommended == "co_production"


def test_keeping_every_field_leaves_nothing_to_vary() -> None:
    result = what_if(FAR, keep=list(ProjectProfile.model_fields), recommender=SHIPPED)

    assert result.fields == []
    assert result.co_production is None
    assert result.co_production_searched_up_to == 0


def test_an_unknown_field_to_keep_is_named() -> None:
    with pytest.raises(ProfileError) as raised:
        what_if(TRUSTED, keep=["funding", "payer", "staff_stability"], recommender=SHIPPED)

    assert [(p.field, p.value) for p in raised.value.problems] == [("keep[1]", "payer")]
