"""Step definitions for features/advice.feature."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from recommender import PlanCheck, Recommendation
from recommender.recommendation import RankedMode
from recommender.reports import render_recommendation
from recommender.vocabulary import COLLABORATION_LEVELS
from tests.bdd.library import PARTIES, advise, check, knowledge_base, profile_from_table

scenarios("advice.feature")

MODES = {"agency initiation": "agency", "researcher initiation": "researcher", "co-produced initiation": "co_produced"}
MODE = r"(?P<mode>agency initiation|researcher initiation|co-produced initiation)"


def _ranked(answer: Recommendation, mode: str) -> RankedMode:
    """The ranking entry of ``mode`` (given in the domain's words) in ``answer``."""
    return next(ranked for ranked in answer.initiation_mode.ranking if ranked.mode == MODES[mode])


@given("a project profile", target_fixture="profile")
def _profile(datatable: list[list[str]]) -> dict[str, object]:
    return profile_from_table(datatable)


@given("a plan with these components in place", target_fixture="in_place")
def _in_place(datatable: list[list[str]]) -> list[str]:
    return [row[0] for row in datatable]


@when("the engine recommends a partnership model", target_fixture="answer")
def _recommend(profile: dict[str, object]) -> Recommendation:
    return advise(profile)


@when(parsers.parse('the {field} is "{other}" instead'), target_fixture="pair")
def _instead(profile: dict[str, object], field: str, other: str) -> tuple[Recommendation, Recommendation]:
    return advise(profile), advise({**profile, **profile_from_table([[field, other]])})


@when("the plan is checked", target_fixture="result")
def _check(profile: dict[str, object], in_place: list[str]) -> PlanCheck:
    return check(profile, in_place)


# --- initiation and level ------------------------------------------------------------------


@then(parsers.parse('the collaboration level is "{level}"'))
def _level(answer: Recommendation, level: str) -> None:
    assert answer.collaboration_level.recommended == level


@then(parsers.parse('the collaboration level is at least "{level}"'))
def _level_at_least(answer: Recommendation, level: str) -> None:
    recommended = answer.collaboration_level.recommended
    assert COLLABORATION_LEVELS.index(recommended) >= COLLABORATION_LEVELS.index(level), recommended


@then(parsers.parse('the level reasons cite "{finding}"'))
def _level_cites(answer: Recommendation, finding: str) -> None:
    assert any(finding in reason.findings for reason in answer.collaboration_level.reasons)


@then(parsers.re(MODE + r" is ranked first$"))
def _ranked_first(answer: Recommendation, mode: str) -> None:
    assert answer.initiation_mode.recommended == MODES[mode]
    assert answer.initiation_mode.ranking[0].mode == MODES[mode]


@then(parsers.re(MODE + r" is not recommended$"))
def _not_recommended(answer: Recommendation, mode: str) -> None:
    assert answer.initiation_mode.recommended != MODES[mode]


@then("the recommended mode fits the collaboration level")
def _fits(answer: Recommendation) -> None:
    top = answer.initiation_mode.ranking[0]
    assert top.mode == answer.initiation_mode.recommended
    assert top.fit.viable
    assert answer.collaboration_level.recommended in top.fit.levels


@then(parsers.re(MODE + r" is said not to fit the collaboration level$"))
def _does_not_fit(answer: Recommendation, mode: str) -> None:
    fit = _ranked(answer, mode).fit
    assert not fit.viable
    assert answer.collaboration_level.recommended not in fit.levels
    assert fit.text
    assert fit.findings


# --- reasons ---------------------------------------------------------------------------------


@then("every reason for a mode raises its score and every reason against it lowers it")
def _reasons_apart(answer: Recommendation) -> None:
    for ranked in answer.initiation_mode.ranking:
        assert all(reason.contribution > 0 for reason in ranked.reasons), ranked.mode
        assert all(reason.contribution < 0 for reason in ranked.reasons_against), ranked.mode
        together = [*ranked.reasons, *ranked.reasons_against]
        assert sum(reason.contribution for reason in together) == ranked.score, ranked.mode


@then(parsers.re(r'"(?P<rule>[^"]+)" is a reason against ' + MODE + r", not a reason for it$"))
def _reason_against(answer: Recommendation, rule: str, mode: str) -> None:
    ranked = _ranked(answer, mode)
    assert rule in [reason.rule for reason in ranked.reasons_against]
    assert rule not in [reason.rule for reason in ranked.reasons]


@then(parsers.re(r'"(?P<rule>[^"]+)" is a reason for ' + MODE + r"$"))
def _reason_for(answer: Recommendation, rule: str, mode: str) -> None:
    assert rule in [reason.rule for reason in _ranked(answer, mode).reasons]


@then("researcher initiation scores no higher without an agency need than with a general interest")
def _no_need_no_lift(pair: tuple[Recommendation, Recommendation]) -> None:
    without_need, general = (_ranked(answer, "researcher initiation").score for answer in pair)
    assert pair[0].profile.agency_evidence_need == "none"
    assert without_need <= general


# --- risks, blockers and mitigations ---------------------------------------------------------

PARTY = r"the risks for the (?P<party>policy agency|researchers|both parties)"


@then(parsers.re(PARTY + r' include "(?P<risk>[^"]+)"'))
def _risk_included(answer: Recommendation, party: str, risk: str) -> None:
    assert risk in {item.id for item in answer.risks if item.party == PARTIES[party]}


@then(parsers.parse('"{risk}" blocks the partnership'))
def _blocks(answer: Recommendation, risk: str) -> None:
    assert risk in answer.blockers
    assert next(item for item in answer.risks if item.id == risk).blocking


@then(parsers.parse('the first mitigation is "{mitigation}"'))
def _first_mitigation(answer: Recommendation, mitigation: str) -> None:
    assert answer.mitigations[0].id == mitigation, [item.id for item in answer.mitigations[:3]]


@then("the researchers' plan is not told it simply matches the recommendation")
def _not_simply_matches(answer: Recommendation) -> None:
    assert answer.assessment is not None
    assert answer.assessment.proposed == "researcher"
    report = render_recommendation(answer, knowledge_base(), "md")
    told = report.split("### Your plan:", 1)[1].split("\n## ", 1)[0]
    assert "Your plan matches the recommendation." not in told, told.strip()


@then(parsers.parse("the proposed mode is the recommended one"))
def _confirmed(answer: Recommendation) -> None:
    assert answer.assessment is not None
    assert answer.assessment.is_recommended
    assert answer.assessment.proposed == answer.initiation_mode.recommended


# --- warnings --------------------------------------------------------------------------------


@then(parsers.parse('the profile is warned about, naming the fields "{first}" and "{second}"'))
def _warned(answer: Recommendation, first: str, second: str) -> None:
    assert any({first, second} <= set(warning.fields) and warning.text for warning in answer.warnings), answer.warnings


@then("the profile is not warned about")
def _not_warned(answer: Recommendation) -> None:
    assert answer.warnings == []


# --- how far to trust the advice -------------------------------------------------------------


@then("the answer names the tool's own calibrations behind its scores")
def _calibrations(answer: Recommendation) -> None:
    rules = knowledge_base().rules_by_id
    named = {item.source for item in answer.own_calibrations}
    scoring = {
        reason.rule
        for ranked in answer.initiation_mode.ranking
        for reason in [*ranked.reasons, *ranked.reasons_against]
    }
    assert {rule for rule in scoring if rules[rule].calibration is not None} <= named
    assert "margin" in named
    assert all(item.text and item.findings for item in answer.own_calibrations)


@then("the answer carries every limit of the study")
def _limits(answer: Recommendation) -> None:
    assert [item.id for item in answer.limits] == [item.id for item in knowledge_base().limits]


@then(parsers.parse("the answer says what success looks like in {count:d} statements"))
def _success(answer: Recommendation, count: int) -> None:
    assert len(answer.success) == count
    assert [item.id for item in answer.success] == [item.id for item in knowledge_base().success]


# --- close calls -----------------------------------------------------------------------------


@then(parsers.re(r"the initiation is a close call between " + MODE + r" and (?P<other>[a-z-]+ initiation)$"))
def _close_call(answer: Recommendation, mode: str, other: str) -> None:
    initiation = answer.initiation_mode
    assert initiation.strength == "close_call"
    assert initiation.close_call is not None
    assert set(initiation.close_call.modes) == {MODES[mode], MODES[other]}
    margin = knowledge_base().margin
    assert margin is not None
    assert initiation.close_call.margin == margin.points


@then(parsers.parse('the close call is decided by the fields "{first}" and "{second}"'))
def _deciding(answer: Recommendation, first: str, second: str) -> None:
    assert answer.initiation_mode.close_call is not None
    assert set(answer.initiation_mode.close_call.deciding_fields) == {first, second}


# --- plan check ------------------------------------------------------------------------------


@pytest.fixture
def severities() -> list[str]:
    readiness = knowledge_base().readiness
    assert readiness is not None
    return [severity.id for severity in readiness.severities]


@then(parsers.parse('the plan is checked at the "{level}" level'))
def _checked_at(result: PlanCheck, level: str) -> None:
    assert result.collaboration_level == level


@then(parsers.parse('the gap "{component}" is no more than {severity}'))
def _at_most(result: PlanCheck, severities: list[str], component: str, severity: str) -> None:
    gap = next(gap for gap in result.gaps if gap.component == component)
    assert severities.index(gap.severity) <= severities.index(severity), gap.severity
