"""The durable_rules adapter: whatever durable raises becomes an EngineError, and no session is left behind."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from recommender import EngineError, KnowledgeBase, ProjectProfile, load_knowledge_base
from recommender.engine import durable_adapter
from recommender.engine.durable_adapter import DurableEvaluator
from recommender.kb import default_rules_dir

PROFILE = ProjectProfile(
    project_type="evaluation", timeline_months=18, funding="co_funded", relationship="long_term", staff_stability="high"
).engine_fields()


def _agency(fired: Sequence[str]) -> list[str]:
    return ["agency"]


def test_a_fault_inside_durable_is_an_engine_error_and_the_session_is_freed(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    evaluator = DurableEvaluator(kb)
    expected = evaluator.evaluate(PROFILE, _agency)
    fault = RuntimeError("injected fault")

    def failing(ruleset: str, fact: dict[str, Any]) -> None:
        raise fault

    monkeypatch.setattr(durable_adapter._get_host(), "assert_fact", failing)
    with pytest.raises(EngineError) as raised:
        evaluator.evaluate(PROFILE, _agency)
    assert raised.value.__cause__ is fault
    assert durable_adapter.live_sessions() == 0

    monkeypatch.undo()
    assert evaluator.evaluate(PROFILE, _agency) == expected


def test_a_fault_after_the_profile_is_asserted_frees_the_session_it_opened(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    evaluator = DurableEvaluator(kb)
    host = durable_adapter._get_host()
    real = host.assert_fact

    def failing_on_decisions(ruleset: str, fact: dict[str, Any]) -> Any:
        if fact["kind"] == "decision":
            raise KeyError("injected fault")
        return real(ruleset, fact)

    monkeypatch.setattr(host, "assert_fact", failing_on_decisions)
    with pytest.raises(EngineError, match="decision fact"):
        evaluator.evaluate(PROFILE, _agency)
    assert durable_adapter.live_sessions() == 0


def test_an_error_in_the_callers_decide_is_its_own_and_the_session_is_freed(kb: KnowledgeBase) -> None:
    def broken(fired: Sequence[str]) -> list[str]:
        raise LookupError("the caller's bug")

    with pytest.raises(LookupError, match="the caller's bug"):
        DurableEvaluator(kb).evaluate(PROFILE, broken)
    assert durable_adapter.live_sessions() == 0


def test_a_derived_fact_no_rule_matches_is_still_accepted(tmp_path: Path) -> None:
    # durable raises for a fact no pattern accepts; the adapter's catch-all patterns accept it.
    rules_dir = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules_dir)
    path = rules_dir / "rules.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # A rule that derives a fact no rule uses, on a profile no other rule tests this way.
    data["rules"].insert(
        0,
        {
            "id": "derives_an_unused_fact",
            "description": "Derives a fact nothing reads.",
            "rationale": "Only for this test.",
            "when": {"profile": {"timeline_months": {"gte": 1}}},
            "then": {"derive": ["long_timeline"]},
            "findings": ["collab.continuum"],
        },
    )
    for rule in data["rules"]:
        when = rule.setdefault("when", {})
        when["facts"] = [fact for fact in when.get("facts", []) if fact != "long_timeline"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    evaluator = DurableEvaluator(load_knowledge_base(rules_dir))

    fired = evaluator.evaluate(PROFILE, lambda fired: ["agency", "researcher"])

    assert "derives_an_unused_fact" in fired
    assert durable_adapter.live_sessions() == 0
