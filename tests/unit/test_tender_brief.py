"""The tender scoping brief: engine's recommendation, conditional items, and citations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import HealthCheck, given, settings

from recommender import KnowledgeBase, ProjectProfile, Recommender, default_recommender, recommend, tender_brief
from tests.integration.strategies import profiles

SHIPPED = default_recommender()

COMMISSION = ProjectProfile(
    project_type="evidence_review",
    timeline_months=8,
    funding="agency_commissioned",
    relationship="prior_project",
    staff_stability="high",
    agency_evidence_need="specific",
)


def _ids(items: Sequence[Any]) -> list[str]:
    return [item.id for item in items]


def test_the_brief_carries_the_engines_initiation_and_level() -> None:
    brief = tender_brief(COMMISSION, recommender=SHIPPED)
    recommendation = recommend(COMMISSION)
    assert brief.initiation_mode == recommendation.initiation_mode.recommended == "agency"
    assert brief.collaboration_level == recommendation.collaboration_level.recommended
    assert {r.rule for r in brief.initiation_reasons} <= {
        r.rule for r in recommendation.initiation_mode.ranking[0].reasons
    }
    assert all(r.rule for r in brief.level_reasons)


def test_unconditional_items_are_always_in_the_brief(kb: KnowledgeBase) -> None:
    brief = tender_brief(COMMISSION, recommender=SHIPPED)
    always = [c.id for c in kb.tender_clauses if not c.applies.model_dump(exclude_defaults=True)]
    assert set(always) <= set(_ids(brief.clauses))
    assert "synthesis_and_recommendations" in always


def test_conditional_items_follow_the_profile() -> None:
    plain = tender_brief(COMMISSION, recommender=SHIPPED)
    sensitive = tender_brief(
        COMMISSION.model_copy(update={"politically_sensitive": True, "uses_agency_data": True, "timeline_months": 4}),
        recommender=SHIPPED,
    )
    assert "political_contingency" not in _ids(plain.clauses)
    assert "political_contingency" in _ids(sensitive.clauses)
    assert "data_access_terms" in _ids(sensitive.clauses)
    assert "provide_data" in _ids(sensitive.commitments)
    assert "pragmatic_methods_declared" in _ids(sensitive.clauses)  # the engine's short_timeline fact
    assert "pragmatic_methods_declared" not in _ids(plain.clauses)


def test_items_keep_the_knowledge_base_order(kb: KnowledgeBase) -> None:
    brief = tender_brief(COMMISSION, recommender=SHIPPED)
    order = [c.id for c in kb.tender_clauses]
    assert _ids(brief.clauses) == sorted(_ids(brief.clauses), key=order.index)


def test_over_promising_is_covered_by_bid_questions_with_warning_signs() -> None:
    brief = tender_brief(COMMISSION, recommender=SHIPPED)
    flagged = [q for q in brief.questions if "agency_init.risk_overpromising" in q.findings]
    assert flagged
    assert all(q.warning_signs and q.look_for for q in flagged)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profiles)
def test_every_brief_item_cites_findings_that_exist(
    kb: KnowledgeBase, recommender: Recommender, profile: ProjectProfile
) -> None:
    brief = tender_brief(profile, recommender=recommender)
    assert brief.clauses
    assert brief.questions
    assert brief.commitments
    items: list[Any] = [*brief.clauses, *brief.questions, *brief.commitments, *brief.initiation_reasons]
    for item in [*items, *brief.level_reasons]:
        assert item.findings
        assert set(item.findings) <= set(kb.findings)
