"""Step definitions for features/recommendation.feature."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from recommender import Recommendation
from recommender.vocabulary import COLLABORATION_LEVELS
from tests.bdd.library import PARTIES, advise, advise_afresh, profile_from_table

scenarios("recommendation.feature")

MODES = {"agency initiation": "agency", "researcher initiation": "researcher", "co-produced initiation": "co_produced"}
#: The components every partnership needs, whatever the model; the others are chosen by what the profile needs.
SUCCESS_COMPONENTS = [
    "agree_shared_aims",
    "dated_deliverables",
    "open_communication_channel",
]


@given("a project profile", target_fixture="profile")
def _profile(datatable: list[list[str]]) -> dict[str, object]:
    return profile_from_table(datatable)


@when("the engine recommends a partnership model", target_fixture="answer")
def _recommend(profile: dict[str, object]) -> Recommendation:
    return advise(profile)


@when("the engine recommends a partnership model twice", target_fixture="answers")
def _recommend_twice(profile: dict[str, object]) -> tuple[str, str]:
    # Two evaluations on the engine, no answer kept between them: not a cache hit.
    return advise_afresh(profile).model_dump_json(), advise_afresh(profile).model_dump_json()


@when(parsers.parse('the {field} rises to "{higher}"'), target_fixture="pair")
def _raise(profile: dict[str, object], field: str, higher: str) -> tuple[Recommendation, Recommendation]:
    return advise(profile), advise({**profile, field: higher})


@then(parsers.parse("{mode} is ranked first"))
def _ranked_first(answer: Recommendation, mode: str) -> None:
    assert answer.initiation_mode.recommended == MODES[mode]
    assert answer.initiation_mode.ranking[0].mode == MODES[mode]


@then("every ranked mode gives its reasons with findings")
def _reasons(answer: Recommendation) -> None:
    assert len(answer.initiation_mode.ranking) == 3
    for ranked in answer.initiation_mode.ranking:
        both = (*ranked.reasons, *ranked.reasons_against)
        assert sum(reason.contribution for reason in both) == ranked.score
        assert all(reason.findings for reason in both)
    assert answer.initiation_mode.ranking[0].reasons


PARTY = r"the risks for the (?P<party>policy agency|researchers|both parties)"


@then(parsers.re(PARTY + r' include "(?P<risk>[^"]+)"'))
def _risk_included(answer: Recommendation, party: str, risk: str) -> None:
    assert risk in {item.id for item in answer.risks if item.party == PARTIES[party]}


@then(parsers.re(PARTY + r' do not include "(?P<risk>[^"]+)"'))
def _risk_absent(answer: Recommendation, party: str, risk: str) -> None:
    assert risk not in {item.id for item in answer.risks}


@then(parsers.parse('the collaboration level is "{level}"'))
def _level(answer: Recommendation, level: str) -> None:
    assert answer.collaboration_level.recommended == level


@then(parsers.parse('the level reasons cite "{finding}"'))
def _level_cites(answer: Recommendation, finding: str) -> None:
    assert any(finding in reason.findings for reason in answer.collaboration_level.reasons)


@then(parsers.parse('the mitigations include "{mitigation}"'))
def _mitigation(answer: Recommendation, mitigation: str) -> None:
    assert mitigation in {item.id for item in answer.mitigations}


@then("the mitigations include every success component")
def _success_components(answer: Recommendation) -> None:
    present = {item.id for item in answer.mitigations}
    assert [m for m in SUCCESS_COMPONENTS if m not in present] == []


@then(parsers.parse('the steps toward co-production include "{step}"'))
def _step(answer: Recommendation, step: str) -> None:
    assert step in {item.mitigation for item in answer.collaboration_level.steps_toward_co_production}
    assert step in {item.id for item in answer.mitigations}


@then("the co-production score does not fall")
def _score_monotone(pair: tuple[Recommendation, Recommendation]) -> None:
    before, after = (
        next(r.score for r in answer.initiation_mode.ranking if r.mode == "co_produced") for answer in pair
    )
    assert after >= before


@then("the collaboration level does not fall")
def _level_monotone(pair: tuple[Recommendation, Recommendation]) -> None:
    before, after = (COLLABORATION_LEVELS.index(answer.collaboration_level.recommended) for answer in pair)
    assert after >= before


@then(parsers.parse("the proposed mode is outranked by {mode}"))
def _outranked(answer: Recommendation, mode: str) -> None:
    assert answer.assessment is not None
    assert not answer.assessment.is_recommended
    assert answer.assessment.outranked_by[0] == MODES[mode]


@then(parsers.parse('the assessment explains the gap with rule "{rule}"'))
def _explains(answer: Recommendation, rule: str) -> None:
    assert answer.assessment is not None
    assert rule in {reason.rule for reason in answer.assessment.reasons_for_higher}


@then(parsers.parse('the assessment lists "{risk}" among the proposed mode\'s risks'))
def _assessment_risk(answer: Recommendation, risk: str) -> None:
    assert answer.assessment is not None
    assert risk in answer.assessment.risks
    assert risk in {item.id for item in answer.risks}


@then("the proposed mode is the recommended one")
def _confirmed(answer: Recommendation) -> None:
    assert answer.assessment is not None
    assert answer.assessment.is_recommended
    assert answer.assessment.outranked_by == []
    assert answer.assessment.proposed == answer.initiation_mode.recommended


@then("both answers are identical byte for byte")
def _identical(answers: tuple[str, str]) -> None:
    assert answers[0] == answers[1]
