"""The plan check: gaps and their severity for the profile, validation of the plan, readiness."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender import (
    KnowledgeBase,
    PlanCheck,
    ProfileError,
    ProjectProfile,
    Recommender,
    check_plan,
    default_recommender,
    tender_brief,
)
from recommender.assemble import Assembler
from recommender.plan import parse_plan_check
from tests.evaluators import CountingEvaluator
from tests.integration.strategies import profiles

SHIPPED = default_recommender()

GRANT = ProjectProfile(
    project_type="data_analysis",
    timeline_months=18,
    funding="external_grant",
    relationship="prior_project",
    staff_stability="moderate",
    proposed_initiation="researcher",
    uses_agency_data=True,
)


def _gap(result: PlanCheck, component: str) -> str:
    return next(gap.severity for gap in result.gaps if gap.component == component)


def test_a_missing_data_access_agreement_is_critical_when_the_work_uses_agency_data() -> None:
    result = check_plan(GRANT, in_place=[], recommender=SHIPPED)
    assert _gap(result, "data_access_agreement") == "critical"
    assert result.gaps[0].severity == "critical"
    gap = next(gap for gap in result.gaps if gap.component == "data_access_agreement")
    assert gap.base_severity == "low"
    assert [reason.to for reason in gap.raised_because] == ["critical"]
    assert [risk.id for risk in gap.risks_left_open] == ["researchers.resources_not_delivered"]
    assert [m.id for m in gap.add] == ["data_access_agreement"]


def test_the_same_gap_is_low_when_no_agency_data_is_used() -> None:
    result = check_plan(GRANT.model_copy(update={"uses_agency_data": False}), in_place=[], recommender=SHIPPED)
    assert _gap(result, "data_access_agreement") == "low"


def test_a_publication_policy_is_raised_for_researcher_initiation_and_most_when_agency_staff_contribute() -> None:
    data_analysis = check_plan(
        GRANT, in_place=[], recommender=SHIPPED
    )  # researcher-led, consultative: agency staff contribute little
    evaluation = check_plan(GRANT.model_copy(update={"project_type": "evaluation"}), in_place=[], recommender=SHIPPED)
    agency_led = check_plan(
        GRANT.model_copy(update={"proposed_initiation": "agency"}), in_place=[], recommender=SHIPPED
    )
    assert data_analysis.collaboration_level not in ("collaborative", "co_production")
    assert _gap(data_analysis, "publication_policy") == "high"
    assert evaluation.collaboration_level == "collaborative"
    assert _gap(evaluation, "publication_policy") == "critical"
    assert _gap(agency_led, "publication_policy") == "medium"


def test_severity_raises_on_facts_the_engine_derived_use_the_rules_thresholds() -> None:
    short = check_plan(GRANT.model_copy(update={"timeline_months": 5}), in_place=[], recommender=SHIPPED)
    medium = check_plan(GRANT.model_copy(update={"timeline_months": 6}), in_place=[], recommender=SHIPPED)
    long = check_plan(GRANT.model_copy(update={"timeline_months": 24}), in_place=[], recommender=SHIPPED)
    assert _gap(short, "dated_deliverables") == "critical"
    assert _gap(medium, "dated_deliverables") == "high"
    assert _gap(long, "dated_deliverables") == "critical"


def test_components_in_place_are_not_gaps_and_keep_their_weight() -> None:
    result = check_plan(GRANT, in_place=["data_access_agreement", "aims_in_writing"], recommender=SHIPPED)
    statuses = {c.id: c for c in result.components}
    assert statuses["data_access_agreement"].status == "in_place"
    assert statuses["data_access_agreement"].severity == "critical"
    assert "data_access_agreement" not in [gap.component for gap in result.gaps]
    assert (
        result.readiness.in_place_weight
        == statuses["data_access_agreement"].weight + statuses["aims_in_writing"].weight
    )


def test_gaps_are_listed_most_severe_first(kb: KnowledgeBase) -> None:
    assert kb.readiness is not None
    order = [s.id for s in kb.readiness.severities]
    result = check_plan(GRANT, in_place=[], recommender=SHIPPED)
    ranks = [order.index(gap.severity) for gap in result.gaps]
    assert ranks == sorted(ranks, reverse=True)


def test_the_readiness_score_shows_its_inputs(kb: KnowledgeBase) -> None:
    assert kb.readiness is not None
    result = check_plan(
        GRANT, in_place=["aims_in_writing", "meeting_cadence", "dated_deliverables"], recommender=SHIPPED
    )
    readiness = result.readiness
    assert readiness.severity_weights == {s.id: s.weight for s in kb.readiness.severities}
    assert readiness.total_weight == sum(c.weight for c in result.components)
    assert readiness.score == round(100 * readiness.in_place_weight / readiness.total_weight)
    assert [t.band for t in readiness.thresholds] == ["strong", "borderline", "concern"]
    assert "in_place_weight" in readiness.formula
    assert readiness.findings


def test_a_critical_gap_caps_the_band_even_with_a_high_score(kb: KnowledgeBase) -> None:
    everything_but_data = [c for c in kb.components if c != "data_access_agreement"]
    result = check_plan(GRANT, in_place=everything_but_data, recommender=SHIPPED)
    assert result.readiness.band_by_score == "strong"
    assert result.readiness.band == "concern"
    assert [cap.components for cap in result.readiness.caps_applied] == [["data_access_agreement"]]


def test_a_full_plan_scores_100_and_is_strong(kb: KnowledgeBase) -> None:
    result = check_plan(GRANT, in_place=list(kb.components), recommender=SHIPPED)
    assert result.gaps == []
    assert (result.readiness.score, result.readiness.band) == (100, "strong")


@pytest.mark.parametrize(
    ("in_place", "field", "reason"),
    [
        (["aims_in_writing", "mou"], "plan.in_place[1]", "unknown component"),
        (["aims_in_writing", "aims_in_writing"], "plan.in_place[1]", "more than once"),
        ([3], "plan.in_place[0]", "expected a component id"),
        ("aims_in_writing", "plan.in_place", "not a string"),
    ],
)
def test_a_bad_plan_is_rejected_naming_the_field(in_place: list[str], field: str, reason: str) -> None:
    with pytest.raises(ProfileError) as caught:
        check_plan(GRANT, in_place=in_place, recommender=SHIPPED)
    assert [problem.field for problem in caught.value.problems] == [field]
    assert reason in caught.value.problems[0].reason


def test_every_bad_entry_is_named_at_once() -> None:
    with pytest.raises(ProfileError) as caught:
        check_plan(GRANT, in_place=["x", "aims_in_writing", "y"], recommender=SHIPPED)
    assert [problem.field for problem in caught.value.problems] == ["plan.in_place[0]", "plan.in_place[2]"]
    assert [problem.value for problem in caught.value.problems] == ["x", "y"]


@st.composite
def _plans(draw: st.DrawFn) -> tuple[ProjectProfile, list[str], list[str]]:
    ids = list(default_recommender().kb.components)
    larger = draw(st.lists(st.sampled_from(ids), unique=True))
    smaller = [component for component in larger if draw(st.booleans())]
    return draw(profiles), smaller, larger


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_plans())
def test_a_plan_with_more_components_in_place_never_scores_lower(
    recommender: Recommender, plans: tuple[ProjectProfile, list[str], list[str]]
) -> None:
    profile, smaller, larger = plans
    low = check_plan(profile, in_place=smaller, recommender=recommender).readiness
    high = check_plan(profile, in_place=larger, recommender=recommender).readiness
    bands = [t.band for t in low.thresholds]
    assert low.score <= high.score
    assert bands.index(high.band) <= bands.index(low.band)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profiles)
def test_every_item_of_a_check_cites_findings_that_exist(kb: KnowledgeBase, profile: ProjectProfile) -> None:
    result = check_plan(profile, in_place=[], recommender=SHIPPED)
    for gap in result.gaps:
        cited = [*gap.findings, *(f for reason in gap.raised_because for f in reason.findings)]
        cited += [f for risk in gap.risks_left_open for f in risk.findings]
        cited += [f for mitigation in gap.add for f in mitigation.findings]
        assert gap.findings
        assert set(cited) <= set(kb.findings)
    assert set(result.readiness.findings) <= set(kb.findings)


def test_the_plan_check_tender_brief_and_what_if_are_part_of_the_public_api() -> None:
    import recommender

    assert {"PlanCheck", "TenderBrief", "WhatIf", "check_plan", "tender_brief", "what_if"} <= set(recommender.__all__)


def test_raw_plan_check_data_is_parsed_naming_every_bad_field_from_the_top() -> None:
    good = parse_plan_check({"profile": GRANT.model_dump(exclude_none=True), "plan": {"in_place": ["aims_in_writing"]}})
    assert good.profile == GRANT
    assert good.plan.in_place == ["aims_in_writing"]
    with pytest.raises(ProfileError) as caught:
        parse_plan_check({"profile": {"project_type": "survey"}, "plan": {"in_place": [True]}, "extra": 1})
    fields = [problem.field for problem in caught.value.problems]
    assert fields[0] == "extra"
    assert "profile.project_type" in fields
    assert "profile.timeline_months" in fields
    assert fields[-1] == "plan.in_place[0]"


def test_a_plan_check_takes_one_evaluation_and_builds_no_recommendation(kb: KnowledgeBase) -> None:
    counting = CountingEvaluator(SHIPPED.evaluator)
    uncached = Recommender(kb, counting, cache_size=0)  # every outcome() reaches the engine

    with patch.object(Assembler, "build", autospec=True, side_effect=Assembler.build) as build:
        result = check_plan(GRANT, in_place=[], recommender=uncached)
        assert (counting.calls, build.call_count) == (1, 0)
        tender_brief(GRANT, recommender=uncached)  # it needs the recommendation's reasons: one, on one evaluation
        assert (counting.calls, build.call_count) == (2, 1)

    recommendation = SHIPPED.recommend(GRANT)
    assert result.initiation_mode == recommendation.initiation_mode.recommended
    assert result.collaboration_level == recommendation.collaboration_level.recommended
    assert result.knowledge_base == recommendation.knowledge_base


@given(profile=profiles)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_outcome_decides_what_the_recommendation_says(profile: ProjectProfile) -> None:
    outcome = SHIPPED.outcome(profile)
    recommendation = SHIPPED.recommend(profile)

    assert outcome.mode == recommendation.initiation_mode.recommended
    assert outcome.level == recommendation.collaboration_level.recommended
    assert outcome.fired == {entry.rule for entry in recommendation.trace}
