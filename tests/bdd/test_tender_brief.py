"""Step definitions for features/tender_brief.feature."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, scenarios, then, when

from recommender import TenderBrief
from tests.bdd.library import brief, knowledge_base, profile_from_table

scenarios("tender_brief.feature")


@given("a project profile", target_fixture="profile")
def _profile(datatable: list[list[str]]) -> dict[str, object]:
    return profile_from_table(datatable)


@when("the agency asks for a tender brief", target_fixture="result")
def _brief(profile: dict[str, object]) -> TenderBrief:
    return brief(profile)


@then(parsers.parse('the brief recommends "{mode}" initiation'))
def _mode(result: TenderBrief, mode: str) -> None:
    assert result.initiation_mode == mode
    assert result.initiation_reasons


@then(parsers.parse('the brief recommends the "{level}" level'))
def _level(result: TenderBrief, level: str) -> None:
    assert result.collaboration_level == level


@then(parsers.parse('the tender includes the clause "{clause}"'))
def _clause(result: TenderBrief, clause: str) -> None:
    assert clause in [item.id for item in result.clauses]


@then(parsers.parse('the tender leaves out the clause "{clause}"'))
def _no_clause(result: TenderBrief, clause: str) -> None:
    assert clause not in [item.id for item in result.clauses]


@then(parsers.parse('the agency commits to "{commitment}"'))
def _commits(result: TenderBrief, commitment: str) -> None:
    assert commitment in [item.id for item in result.commitments]


@then(parsers.parse('the agency does not commit to "{commitment}"'))
def _does_not_commit(result: TenderBrief, commitment: str) -> None:
    assert commitment not in [item.id for item in result.commitments]


@then(parsers.parse('the bid questions include "{question}"'))
def _question(result: TenderBrief, question: str) -> None:
    assert question in [item.id for item in result.questions]


@then(parsers.parse('the question "{question}" lists warning signs'))
def _warning_signs(result: TenderBrief, question: str) -> None:
    item = next(item for item in result.questions if item.id == question)
    assert item.look_for
    assert item.warning_signs


@then(parsers.parse('a bid question cites the finding "{finding}"'))
def _question_cites(result: TenderBrief, finding: str) -> None:
    assert any(finding in item.findings for item in result.questions)


@then("the brief has clauses, bid questions and agency commitments")
def _non_empty(result: TenderBrief) -> None:
    assert result.clauses
    assert result.questions
    assert result.commitments


@then("every item in the brief cites findings that exist")
def _cites(result: TenderBrief) -> None:
    kb = knowledge_base()
    items: list[Any] = [*result.clauses, *result.questions, *result.commitments, *result.initiation_reasons]
    items += result.level_reasons
    for item in items:
        assert item.findings
        assert all(finding in kb.findings for finding in item.findings), item
    assert all(m in kb.mitigations for clause in result.clauses for m in clause.mitigations)
