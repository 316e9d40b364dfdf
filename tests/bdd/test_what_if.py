"""Step definitions for features/what_if.feature."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from recommender import WhatIf
from tests.bdd.library import explore, knowledge_base, level_of, profile, profile_from_table

scenarios("what_if.feature")


@given("a project profile", target_fixture="data")
def _profile(datatable: list[list[str]]) -> dict[str, object]:
    return profile_from_table(datatable)


@when("the user asks what would change the recommendation", target_fixture="result")
def _explore(data: dict[str, object]) -> WhatIf:
    return explore(data)


def _changes(result: WhatIf, field: str) -> list[dict[str, object]]:
    return [change.model_dump() for item in result.fields if item.field == field for change in item.changes]


def _typed(field: str, value: str) -> object:
    return profile_from_table([[field, value]])[field]


@then(parsers.parse('changing "{field}" to "{value}" makes the level "{level}"'))
def _makes_level(result: WhatIf, field: str, value: str, level: str) -> None:
    change = next(c for c in _changes(result, field) if c["value"] == _typed(field, value))
    assert change["collaboration_level"] == {"before": result.baseline.collaboration_level, "after": level}


@then(parsers.parse('changing "{field}" to "{value}" makes the initiation "{mode}"'))
def _makes_mode(result: WhatIf, field: str, value: str, mode: str) -> None:
    change = next(c for c in _changes(result, field) if c["value"] == _typed(field, value))
    assert change["initiation_mode"] == {"before": result.baseline.initiation_mode, "after": mode}


@then(parsers.parse('changing "{field}" to any value from {low:d} to {high:d} makes the level "{level}"'))
def _range_makes_level(result: WhatIf, field: str, low: int, high: int, level: str) -> None:
    changes = [c for c in _changes(result, field) if c["range"] == {"min": low, "max": high}]
    assert len(changes) == 1
    assert changes[0]["collaboration_level"]["after"] == level  # type: ignore[index]
    for month in (low, high):
        assert level_of({**result.profile.model_dump(), field: month}) == level


@then("the smallest change for co-production is")
def _smallest(result: WhatIf, datatable: list[list[str]]) -> None:
    assert result.co_production is not None
    found = {a.field: a.value for a in result.co_production.changes}
    assert found == {field: _typed(field, value) for field, value in datatable}


@then(parsers.parse("the smallest change for co-production changes {count:d} fields"))
def _smallest_size(result: WhatIf, count: int) -> None:
    assert result.co_production is not None
    assert len(result.co_production.changes) == count


@then("applying the smallest change makes the engine recommend co-production")
def _apply(result: WhatIf) -> None:
    assert result.co_production is not None
    changes = {a.field: a.value for a in result.co_production.changes}
    assert level_of({**result.profile.model_dump(), **changes}) == "co_production"
    assert profile({**result.profile.model_dump(), **changes})


@then("co-production is already the recommended level")
def _already(result: WhatIf) -> None:
    assert result.baseline.collaboration_level == "co_production"
    assert result.co_production is not None
    assert result.co_production.already
    assert result.co_production.changes == []


@then(parsers.parse('no value of "{field}" changes the recommendation'))
def _no_change(result: WhatIf, field: str) -> None:
    item = next(item for item in result.fields if item.field == field)
    assert item.values_tried
    assert item.changes == []


@then("every reported change cites findings that exist")
def _cites(result: WhatIf) -> None:
    findings = knowledge_base().findings
    for item in result.fields:
        for change in item.changes:
            assert change.findings
            assert all(finding in findings for finding in change.findings)
