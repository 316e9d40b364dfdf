"""Step definitions for features/plan_check.feature."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from recommender import PlanCheck, ProfileError
from tests.bdd.library import check, knowledge_base, profile_from_table

scenarios("plan_check.feature")


@given("a project profile", target_fixture="profile")
def _profile(datatable: list[list[str]]) -> dict[str, object]:
    return profile_from_table(datatable)


@given("a plan with these components in place", target_fixture="in_place")
def _in_place(datatable: list[list[str]]) -> list[str]:
    return [row[0] for row in datatable]


@given("a plan with no components in place", target_fixture="in_place")
def _nothing_in_place() -> list[str]:
    return []


@given("a plan with every component in place", target_fixture="in_place")
def _everything_in_place() -> list[str]:
    return list(knowledge_base().components)


@when("the plan is checked", target_fixture="outcome")
def _check(profile: dict[str, object], in_place: list[str]) -> PlanCheck | ProfileError:
    try:
        return check(profile, in_place)
    except ProfileError as error:
        return error


@pytest.fixture
def result(outcome: PlanCheck | ProfileError) -> PlanCheck:
    assert isinstance(outcome, PlanCheck), outcome
    return outcome


def _gap(result: PlanCheck, component: str) -> dict[str, object]:
    gaps = {gap.component: gap.model_dump() for gap in result.gaps}
    assert component in gaps, f"{component} is not a gap: {sorted(gaps)}"
    return gaps[component]


@then(parsers.re(r'the gap "(?P<component>[^"]+)" is (?P<severity>\w+)$'))
def _severity(result: PlanCheck, component: str, severity: str) -> None:
    assert _gap(result, component)["severity"] == severity


@then(parsers.parse('the gap "{component}" leaves the risk "{risk}" open'))
def _risk_open(result: PlanCheck, component: str, risk: str) -> None:
    gap = next(gap for gap in result.gaps if gap.component == component)
    assert risk in [item.id for item in gap.risks_left_open]


@then(parsers.parse('the check says to add "{mitigation}"'))
def _add(result: PlanCheck, mitigation: str) -> None:
    assert mitigation in [item.id for gap in result.gaps for item in gap.add]


@then(parsers.parse('the gap "{component}" is raised because researchers lead and agency staff contribute'))
def _raised_for_researcher_lead(result: PlanCheck, component: str) -> None:
    gap = next(gap for gap in result.gaps if gap.component == component)
    assert result.profile.proposed_initiation == "researcher"
    assert result.collaboration_level in ("collaborative", "co_production")
    assert any(reason.to == gap.severity for reason in gap.raised_because)
    assert "researcher_init.risk_no_acknowledgement" in [f for reason in gap.raised_because for f in reason.findings]


@then(parsers.parse('the readiness band is "{band}"'))
def _band(result: PlanCheck, band: str) -> None:
    assert result.readiness.band == band


@then(parsers.parse("the readiness score is {score:d}"))
def _score(result: PlanCheck, score: int) -> None:
    assert result.readiness.score == score


@then("the plan has no gaps")
def _no_gaps(result: PlanCheck) -> None:
    assert result.gaps == []


@then("the readiness score is the weight in place over the total weight, as a percentage")
def _formula(result: PlanCheck) -> None:
    readiness = result.readiness
    weights = {c.id: readiness.severity_weights[c.severity] for c in result.components}
    in_place = sum(weights[c.id] for c in result.components if c.status == "in_place")
    assert readiness.in_place_weight == in_place
    assert readiness.total_weight == sum(weights.values())
    assert readiness.score == round(100 * in_place / readiness.total_weight)


@then("the readiness band follows the thresholds and caps it reports")
def _band_rule(result: PlanCheck) -> None:
    readiness = result.readiness
    order = [t.band for t in readiness.thresholds]
    by_score = next(t.band for t in readiness.thresholds if readiness.score >= t.min_score)
    assert readiness.band_by_score == by_score
    assert readiness.band == max([by_score, *(cap.band for cap in readiness.caps_applied)], key=order.index)


@then(parsers.parse('the check is rejected for the field "{field}"'))
def _rejected(outcome: PlanCheck | ProfileError, field: str) -> None:
    assert isinstance(outcome, ProfileError)
    assert [problem.field for problem in outcome.problems] == [field]


@then("every component is reported in place or missing")
def _every_component(result: PlanCheck, in_place: list[str]) -> None:
    assert [c.id for c in result.components] == list(knowledge_base().components)
    assert {c.id for c in result.components if c.status == "in_place"} == set(in_place)
    assert {gap.component for gap in result.gaps} == {c.id for c in result.components if c.status == "missing"}


@then("every gap cites findings that exist")
def _gaps_cite(result: PlanCheck) -> None:
    findings = knowledge_base().findings
    for gap in result.gaps:
        cited = [*gap.findings, *(f for r in gap.raised_because for f in r.findings)]
        cited += [f for risk in gap.risks_left_open for f in risk.findings]
        cited += [f for mitigation in gap.add for f in mitigation.findings]
        assert gap.findings
        assert all(finding in findings for finding in cited), gap.component
