"""recommend() on the real durable_rules engine: the contract's invariants hold for every profile."""

from __future__ import annotations

import itertools
import threading

from hypothesis import given, settings

from recommender import ProjectProfile, Recommendation, Recommender, recommend
from recommender.engine import durable_adapter
from recommender.vocabulary import COLLABORATION_LEVELS, INITIATION_MODES
from tests.integration.strategies import profiles


def check_contract(answer: Recommendation, recommender: Recommender) -> None:
    kb = recommender.kb
    ranking = answer.initiation_mode.ranking
    assert sorted(r.mode for r in ranking) == sorted(INITIATION_MODES)
    assert answer.initiation_mode.recommended == ranking[0].mode
    # Modes that fit the recommended level first, each part best first.
    fits = [r.fit.viable for r in ranking]
    assert fits == sorted(fits, reverse=True)
    for part in (True, False):
        scores = [r.score for r in ranking if r.fit.viable is part]
        assert scores == sorted(scores, reverse=True)
    assert answer.collaboration_level.recommended in COLLABORATION_LEVELS
    for r in ranking:
        assert all(reason.contribution > 0 for reason in r.reasons)
        assert all(reason.contribution < 0 for reason in r.reasons_against)
        assert r.score == sum(reason.contribution for reason in (*r.reasons, *r.reasons_against))
    blocking = [risk.id for risk in answer.risks if risk.blocking]
    assert answer.blockers == blocking
    first = [
        m.id for m in answer.mitigations[: len({m for risk in answer.risks if risk.blocking for m in risk.mitigations})]
    ]
    assert {m for risk in answer.risks if risk.blocking for m in risk.mitigations} == set(first)
    assert answer.success
    assert answer.limits
    assert answer.own_calibrations
    listed = {m.id for m in answer.mitigations}
    for risk in answer.risks:
        assert risk.findings
        assert risk.mitigations
        assert set(risk.mitigations) <= listed
    cited: list[list[str]] = [m.findings for m in answer.mitigations]
    cited += [reason.findings for r in ranking for reason in (*r.reasons, *r.reasons_against)]
    cited += [warning.findings for warning in answer.warnings]
    cited += [c.findings for c in answer.own_calibrations]
    cited += [reason.findings for reason in answer.collaboration_level.reasons]
    cited += [entry.findings for entry in answer.trace]
    for findings in cited:
        assert findings
        assert set(findings) <= set(kb.findings)
    assert answer.knowledge_base.digest == kb.digest
    assert [t.rule for t in answer.trace] == [r.id for r in kb.rules if r.id in {t.rule for t in answer.trace}]


@settings(max_examples=300, deadline=None)
@given(profiles)
def test_every_valid_profile_gets_an_answer_that_keeps_the_contract(
    recommender: Recommender, profile: ProjectProfile
) -> None:
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)  # the engine runs on every call
    answer = uncached.recommend(profile)
    check_contract(answer, recommender)
    assert uncached.recommend(profile).model_dump_json() == answer.model_dump_json()
    assert recommender.recommend(profile).model_dump_json() == answer.model_dump_json()


def _co_production(answer: Recommendation) -> tuple[int, int]:
    score = next(r.score for r in answer.initiation_mode.ranking if r.mode == "co_produced")
    return score, COLLABORATION_LEVELS.index(answer.collaboration_level.recommended)


@settings(max_examples=200, deadline=None)
@given(profiles)
def test_more_trust_and_more_stability_never_lower_co_production(
    recommender: Recommender, profile: ProjectProfile
) -> None:
    for field, ladder in (
        ("relationship", ["none", "prior_project", "long_term"]),
        ("staff_stability", ["low", "moderate", "high"]),
    ):
        scores = [_co_production(recommender.recommend(profile.model_copy(update={field: value}))) for value in ladder]
        for lower, higher in itertools.pairwise(scores):
            assert higher[0] >= lower[0], (field, scores)
            assert higher[1] >= lower[1], (field, scores)


@settings(max_examples=100, deadline=None)
@given(profiles)
def test_a_proposed_mode_is_assessed_against_the_ranking(recommender: Recommender, profile: ProjectProfile) -> None:
    answer = recommender.recommend(profile)
    if profile.proposed_initiation is None:
        assert answer.assessment is None
        return
    assessment = answer.assessment
    assert assessment is not None
    modes = [r.mode for r in answer.initiation_mode.ranking]
    assert modes[assessment.rank - 1] == profile.proposed_initiation
    assert assessment.outranked_by == modes[: assessment.rank - 1]
    assert set(assessment.risks) <= {risk.id for risk in answer.risks}
    if assessment.outranked_by:
        # Outranked for its score, or because it does not fit the recommended level.
        assert assessment.reasons_for_higher or not assessment.fit.viable


def test_recommend_gives_the_same_answer_on_every_call(recommender: Recommender) -> None:
    profile = ProjectProfile(
        project_type="evaluation",
        timeline_months=14,
        funding="external_grant",
        relationship="prior_project",
        staff_stability="moderate",
        proposed_initiation="agency",
        uses_agency_data=True,
    )
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)  # the engine runs on every call
    first = uncached.recommend(profile).model_dump_json()
    assert all(uncached.recommend(profile).model_dump_json() == first for _ in range(20))
    assert recommend(profile).model_dump_json() == first


def test_sessions_are_freed_so_thousands_of_evaluations_never_exhaust_durable(recommender: Recommender) -> None:
    profile = ProjectProfile(
        project_type="data_analysis", timeline_months=3, funding="unfunded", relationship="none", staff_stability="low"
    )
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)  # every call reaches the engine
    for _ in range(1500):  # durable_rules allows 1,024 live session ids per ruleset
        uncached.recommend(profile)
    assert durable_adapter.live_sessions() == 0


def test_concurrent_threads_get_the_same_answers_as_sequential_calls(recommender: Recommender) -> None:
    cases = [
        ProjectProfile(project_type=t, timeline_months=m, funding=f, relationship="long_term", staff_stability="high")
        for t in ("evaluation", "evidence_review")
        for m in (4, 30)
        for f in ("co_funded", "external_grant")
    ]
    expected = [Recommender(recommender.kb).recommend(p).model_dump_json() for p in cases]
    shared = Recommender(recommender.kb, recommender.evaluator, cache_size=0)  # every call reaches the engine
    mismatches: list[int] = []

    def work() -> None:
        for _ in range(25):
            for index, profile in enumerate(cases):
                if shared.recommend(profile).model_dump_json() != expected[index]:
                    mismatches.append(index)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert mismatches == []
    assert durable_adapter.live_sessions() == 0


def test_a_second_recommender_on_the_same_knowledge_base_reuses_the_registered_ruleset(
    recommender: Recommender,
) -> None:
    again = Recommender(recommender.kb)
    assert durable_adapter.registered_rulesets().count(durable_adapter.ruleset_name(recommender.kb)) == 1
    profile = ProjectProfile(
        project_type="intervention",
        timeline_months=40,
        funding="co_funded",
        relationship="long_term",
        staff_stability="high",
    )
    assert again.recommend(profile) == recommender.recommend(profile)
