"""`kb check` over the whole profile space: the shipped knowledge base passes, and each kind of
defect, planted in a copy of rules/, is reported and fails the command."""

from __future__ import annotations

import functools
import math
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import recommender.verify
from recommender import KnowledgeBase
from recommender.cli import app
from recommender.engine.base import Decide, Scalar
from recommender.engine.reference import ReferenceEvaluator
from recommender.kb import default_rules_dir, load_knowledge_base
from recommender.verify import check_knowledge_base
from recommender.verify.check import derived_but_unused, engine_fields, profile_values
from recommender.verify.space import field_values, profiles
from tests.test_readme import space_figures
from tests.verify.support import kb_check, rule

PROBLEMS = (
    "errors",
    "gaps",
    "dead_rules",
    "unused_facts",
    "uncited_findings",
    "monotonicity_violations",
    "disagreements",
    "claim_violations",
    "uncalibrated",
    "unattributed_findings",
)


def only_problems(report: Mapping[str, Any], *kinds: str) -> None:
    """The report fails, and for the planted kinds of defect only."""
    assert report["ok"] is False
    assert {kind for kind in PROBLEMS if report[kind]} == set(kinds)


def test_the_shipped_knowledge_base_passes_every_check_and_kb_check_exits_zero(kb: KnowledgeBase) -> None:
    code, report = kb_check()

    assert code == 0
    assert report["ok"] is True
    # Every profile of the space the knowledge base's own cuts define, each field's values read from it.
    assert report["profiles"] == math.prod(len(values) for values in field_values(kb).values())
    assert report["evaluators"] == ["DurableEvaluator", "ReferenceEvaluator"]
    assert all(report[kind] == [] for kind in PROBLEMS)
    # Ties are listed for the knowledge base's owner, and do not fail the check.
    assert report["ties"]
    assert all(len(tie["modes"]) > 1 and tie["recommended"] == tie["modes"][0] for tie in report["ties"])
    # The README's figures about the space are this run's.
    readme = space_figures()
    assert (readme["profiles"], readme["ties"]) == (report["profiles"], len(report["ties"]))
    assert readme["mitigation_sets"] == report["mitigation_sets"]


def test_the_small_knowledge_base_the_defect_tests_start_from_passes_every_check(
    small_kb: Callable[..., Path],
) -> None:
    code, report = kb_check("--rules", str(small_kb()))

    assert code == 0
    assert all(report[kind] == [] for kind in PROBLEMS)
    # It tests project type, funding (5 values), relationship and the standing-partnership flag;
    # the proposed initiation is always varied.
    assert report["profiles"] == 5 * 5 * 3 * 2 * 4


def test_a_reference_to_an_unknown_finding_is_reported_as_the_loader_names_it(small_kb: Callable[..., Path]) -> None:
    root = small_kb(rules=lambda data: rule(data, "long_term_relationship_builds_trust")["findings"].append("no.such"))

    code, report = kb_check("--rules", str(root))

    assert code == 1
    only_problems(report, "errors")
    assert report["errors"] == [
        {
            "file": "rules.yaml",
            "entry": "long_term_relationship_builds_trust",
            "reason": "refers to unknown finding 'no.such'",
            "line": None,
        }
    ]


def test_a_project_type_no_rule_gives_a_level_is_a_gap(small_kb: Callable[..., Path]) -> None:
    # Dropping intervention studies from the rule that asks for close collaboration leaves
    # them without any bound on the level unless another rule happens to fire.
    def drop_intervention(data: dict[str, Any]) -> None:
        rule(data, "close_collaboration_for_applied_work")["when"]["profile"]["project_type"].remove("intervention")

    code, report = kb_check("--rules", str(small_kb(rules=drop_intervention)))

    assert code == 1
    only_problems(report, "gaps")
    assert {gap["profile"]["project_type"] for gap in report["gaps"]} == {"intervention"}
    # No other rule of the small knowledge base bounds an intervention's level: every one of them.
    no_level = [gap["profile"] for gap in report["gaps"] if gap["missing"] == "level"]
    assert len(no_level) == 5 * 3 * 2 * 4


def test_rules_that_no_longer_score_any_mode_leave_every_profile_with_a_gap(small_kb: Callable[..., Path]) -> None:
    def stop_scoring(data: dict[str, Any]) -> None:
        for entry in data["rules"]:
            then = entry["then"]
            then.pop("scores", None)
            if not then:
                then["mitigations"] = ["agree_shared_aims"]

    code, report = kb_check("--rules", str(small_kb(rules=stop_scoring)))

    assert code == 1
    only_problems(report, "gaps")
    assert [gap["missing"] for gap in report["gaps"]] == ["mode"] * report["profiles"]


def test_kb_check_prints_a_summary_that_names_the_failing_checks(small_kb: Callable[..., Path]) -> None:
    def drop_intervention(data: dict[str, Any]) -> None:
        rule(data, "close_collaboration_for_applied_work")["when"]["profile"]["project_type"].remove("intervention")

    result = CliRunner().invoke(app, ["kb", "check", "--partial", "--rules", str(small_kb(rules=drop_intervention))])

    assert result.exit_code == 1
    # 120 without a level, 80 of them (no long-term relationship) also without a mode.
    assert "FAIL    200 gaps" in result.stdout
    assert "no level: project_type=intervention" in result.stdout
    assert "ok        0 dead rules" in result.stdout
    assert "ties settled by the tie-break" in result.stdout
    assert result.stdout.rstrip().endswith("FAILED")


def test_a_rule_whose_conditions_exclude_each_other_is_dead(small_kb: Callable[..., Path]) -> None:
    def add_dead_rule(data: dict[str, Any]) -> None:
        data["rules"].append(
            {
                "id": "reviews_in_close_collaboration",
                "description": "An evidence review that needs close collaboration.",
                "rationale": "Only applied work needs close collaboration, so this rule never fires.",
                "when": {"facts": ["close_collaboration_needed"], "profile": {"project_type": "evidence_review"}},
                "then": {"mitigations": ["agree_shared_aims"]},
                "findings": ["collab.low_need_projects"],
            }
        )

    code, report = kb_check("--rules", str(small_kb(rules=add_dead_rule)))

    assert code == 1
    only_problems(report, "dead_rules")
    assert report["dead_rules"] == ["reviews_in_close_collaboration"]


def derive_an_unused_fact(data: dict[str, Any]) -> None:
    # Nothing in the small knowledge base reads shared risk (feasible co-production does, in the shipped rules).
    rule(data, "unfunded_work_must_find_funding")["then"]["derive"] = ["shared_risk"]


def test_a_fact_that_is_derived_but_never_used_is_reported(small_kb: Callable[..., Path]) -> None:
    code, report = kb_check("--rules", str(small_kb(rules=derive_an_unused_fact)))

    assert code == 1
    only_problems(report, "unused_facts")
    assert report["unused_facts"] == ["shared_risk"]


def test_kb_check_prints_the_facts_derived_but_never_used(small_kb: Callable[..., Path]) -> None:
    result = CliRunner().invoke(
        app, ["kb", "check", "--partial", "--rules", str(small_kb(rules=derive_an_unused_fact))]
    )

    assert result.exit_code == 1
    assert "FAIL      1 facts derived but never used" in result.stdout
    assert "         shared_risk" in result.stdout
    assert result.stdout.rstrip().endswith("FAILED")


def test_a_fact_read_only_by_plan_components_or_tender_entries_is_used(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), root)
    data = yaml.safe_load((root / "rules.yaml").read_text(encoding="utf-8"))
    # The rules stop reading the timeline facts; components.yaml and tender.yaml still do.
    rule(data, "short_timeline_rules_out_coproduction")["when"] = {"profile": {"timeline_months": {"lt": 6}}}
    (root / "rules.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert derived_but_unused(load_knowledge_base(root, partial=True)) == []

    for name in ("components.yaml", "readiness.yaml"):  # components read both facts
        (root / name).unlink()
    assert derived_but_unused(load_knowledge_base(root, partial=True)) == [
        "long_timeline"
    ]  # a tender clause reads the other

    (root / "tender.yaml").unlink()
    assert derived_but_unused(load_knowledge_base(root, partial=True)) == ["short_timeline", "long_timeline"]


def test_a_finding_nothing_cites_is_reported(small_kb: Callable[..., Path]) -> None:
    def add_finding(data: dict[str, Any]) -> None:
        data["findings"].append(
            {
                "id": "collab.never_cited",
                "source": {"section": "Discussion"},
                "said_by": "authors",
                "statement": "A finding nothing uses.",
            }
        )

    code, report = kb_check("--rules", str(small_kb(findings=add_finding)))

    assert code == 1
    only_problems(report, "uncited_findings")
    assert report["uncited_findings"] == ["collab.never_cited"]


def test_trust_that_lowers_the_co_production_score_is_a_monotonicity_violation(
    small_kb: Callable[..., Path],
) -> None:
    def penalise_trust(data: dict[str, Any]) -> None:
        rule(data, "long_term_relationship_builds_trust")["then"]["scores"] = {"co_produced": -5}

    code, report = kb_check("--rules", str(small_kb(rules=penalise_trust)))

    assert code == 1
    only_problems(report, "monotonicity_violations")
    violations = report["monotonicity_violations"]
    assert {(v["field"], tuple(v["step"]), v["measure"]) for v in violations} == {
        ("relationship", ("prior_project", "long_term"), "co_produced score")
    }
    assert all(v["before"] > v["after"] for v in violations)


#: A rule that scores a mode and bounds the level, so forgetting it changes every aspect compared.
FORGOTTEN = "close_collaboration_for_applied_work"
APPLIED = {"evaluation", "implementation", "intervention"}


class ForgetfulEvaluator(ReferenceEvaluator):
    """A wrong evaluator: it never reports the rule that asks applied work for close collaboration."""

    def evaluate(self, profile: Mapping[str, Scalar], decide: Decide) -> list[str]:
        return [rule_id for rule_id in super().evaluate(profile, decide) if rule_id != FORGOTTEN]


def test_a_disagreement_between_the_evaluators_is_reported_and_fails_kb_check(
    small_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    forgetful = functools.partial(check_knowledge_base, reference=ForgetfulEvaluator, workers=1)
    # `kb check` imports the verifier when it runs: replace the function where it finds it.
    monkeypatch.setattr(recommender.verify, "check_knowledge_base", forgetful)

    code, report = kb_check("--rules", str(small_kb()))

    assert code == 1
    only_problems(report, "disagreements")
    assert report["evaluators"] == ["DurableEvaluator", "ForgetfulEvaluator"]
    disagreements: Sequence[Mapping[str, Any]] = report["disagreements"]
    assert {d["profile"]["project_type"] for d in disagreements} == APPLIED
    fired = [d for d in disagreements if d["aspect"] == "fired rules"]
    assert len(fired) == report["profiles"] * 3 // 5  # every applied profile: three project types in five
    assert all(FORGOTTEN in d["evaluator"] for d in fired)
    assert not any(FORGOTTEN in d["reference"] for d in fired)
    assert {d["aspect"] for d in disagreements} == {"fired rules", "scores", "recommended mode", "level"}


def test_splitting_the_space_between_processes_changes_nothing_in_the_report(small_kb: Callable[..., Path]) -> None:
    def penalise_trust(data: dict[str, Any]) -> None:
        rule(data, "long_term_relationship_builds_trust")["then"]["scores"] = {"co_produced": -5}

    root = small_kb(rules=penalise_trust)

    in_one = check_knowledge_base(root, workers=1, partial=True).to_dict()
    in_two = check_knowledge_base(root, workers=2, partial=True).to_dict()

    del in_one["seconds"], in_two["seconds"]
    assert in_two == in_one
    assert in_one["monotonicity_violations"]


def test_a_rule_that_lists_a_fact_twice_is_refused_before_the_evaluators_can_disagree(
    small_kb: Callable[..., Path],
) -> None:
    # durable_rules joins one fact per pattern, so it would wait for two distinct facts of the
    # same name while the rule data means "the fact holds"; the loader refuses the repeat.
    def list_a_fact_twice(data: dict[str, Any]) -> None:
        data["rules"].append(
            {
                "id": "applied_work_twice_over",
                "description": "Applied work, said twice.",
                "rationale": "The same fact listed twice.",
                "when": {"facts": ["close_collaboration_needed", "close_collaboration_needed"]},
                "then": {"mitigations": ["agree_shared_aims"]},
                "findings": ["collab.high_need_projects"],
            }
        )

    code, report = kb_check("--rules", str(small_kb(rules=list_a_fact_twice)))

    assert code == 1
    only_problems(report, "errors")
    assert report["errors"] == [
        {
            "file": "rules.yaml",
            "entry": "applied_work_twice_over",
            "reason": "lists fact(s) ['close_collaboration_needed'] more than once",
            "line": None,
        }
    ]


def test_the_check_gives_each_evaluator_the_fields_the_service_reads_from_each_profile(kb: KnowledgeBase) -> None:
    # The check skips building a ProjectProfile for each profile: its fields must be the model's own.
    names = tuple(field_values(kb))
    for profile, combination in zip(profiles(kb), profile_values(kb), strict=True):
        assert engine_fields(names, combination) == profile.engine_fields()
