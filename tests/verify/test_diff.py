"""`kb diff` over the union of two editions' profile spaces: an edition against itself changes
nothing, and a change planted in a copy of the small knowledge base is counted exactly."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from recommender.cli import app
from recommender.kb import default_rules_dir, load_knowledge_base
from recommender.verify import diff_knowledge_bases
from recommender.verify.diff import durable, union_values
from tests.verify.support import rule

APPLIED = ("evaluation", "implementation", "intervention")


def edited_copy(root: Path, target: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the knowledge base in ``root`` whose rules.yaml ``edit`` changed (written as JSON: plain YAML)."""
    shutil.copytree(root, target)
    data = json.loads(json.dumps(load_yaml(target / "rules.yaml")))
    edit(data)
    (target / "rules.yaml").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return target


def load_yaml(path: Path) -> Any:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def kb_diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["kb", "diff", *args])
    return result.exit_code, result.stdout


def space_size(old: Path, new: Path) -> tuple[int, dict[str, tuple[Any, ...]]]:
    values = union_values(load_knowledge_base(old, partial=True), load_knowledge_base(new, partial=True))
    return math.prod(len(v) for v in values.values()), values


def lower_applied_work_level(data: dict[str, Any]) -> None:
    rule(data, "close_collaboration_for_applied_work")["then"]["level_at_least"] = "consultative"


def forget_the_funding_risk(data: dict[str, Any]) -> None:
    # The rule keeps the risk's mitigation, so that it still concludes something: only the risk goes.
    rule(data, "unfunded_work_must_find_funding")["then"].update(risks=[], mitigations=["secure_funding"])


def test_the_shipped_knowledge_base_against_itself_changes_nothing() -> None:
    code, text = kb_diff("--json", str(default_rules_dir()), str(default_rules_dir()))
    report = json.loads(text)
    assert code == 0
    assert report["profiles"] > 200_000
    counts = ("changed", "initiation_changed", "level_changed", "risks_changed", "mitigations_changed")
    assert {name: report[name] for name in counts} == dict.fromkeys(counts, 0)
    assert (report["initiation"], report["level"], report["risks"], report["mitigations"]) == ([], [], [], [])
    assert report["unchanged"] is True
    assert report["old"]["digest"] == report["new"]["digest"]


def test_a_lower_level_bound_moves_exactly_the_applied_profiles_down(small_kb: Callable[..., Path]) -> None:
    old = small_kb()
    new = edited_copy(old, old.parent / "new", lower_applied_work_level)
    size, values = space_size(old, new)
    assert 100 <= size <= 2_000
    # The bound only lifts applied work; every applied profile was collaborative and is now consultative.
    # (The rules capping the level at collaborative cap nothing below it.)
    applied = size * len(APPLIED) // len(values["project_type"])

    report = diff_knowledge_bases(old, new, workers=1)

    assert report.profiles == size
    assert (report.changed, report.level_changed) == (applied, applied)
    assert (report.initiation_changed, report.risks_changed, report.mitigations_changed) == (0, 0, 0)
    assert [(t.before, t.after, t.profiles) for t in report.level] == [("collaborative", "consultative", applied)]
    assert report.level[0].example["project_type"] in APPLIED
    assert (report.initiation, report.risks, report.mitigations) == ([], [], [])


def test_a_risk_no_longer_raised_is_cleared_on_every_unfunded_profile(small_kb: Callable[..., Path]) -> None:
    old = small_kb()
    new = edited_copy(old, old.parent / "new", forget_the_funding_risk)
    size, values = space_size(old, new)
    unfunded = size // len(values["funding"])

    code, text = kb_diff("--json", str(old), str(new))
    report = json.loads(text)

    assert code == 0
    assert report["profiles"] == size
    assert (report["changed"], report["risks_changed"]) == (unfunded, unfunded)
    assert (report["initiation_changed"], report["level_changed"], report["mitigations_changed"]) == (0, 0, 0)
    [risk] = report["risks"]
    assert (risk["id"], risk["added"], risk["removed"], risk["example_added"]) == (
        "shared.no_funding",
        0,
        unfunded,
        None,
    )
    assert risk["example_removed"]["funding"] == "unfunded"
    assert report["mitigations"] == []


def test_the_text_names_both_editions_the_counts_and_each_transition_with_an_example(
    small_kb: Callable[..., Path],
) -> None:
    old = small_kb()
    new = edited_copy(old, old.parent / "new", lower_applied_work_level)
    size, values = space_size(old, new)
    applied = size * len(APPLIED) // len(values["project_type"])
    kb = load_knowledge_base(new, partial=True)

    code, text = kb_diff(str(old), str(new))

    assert code == 0
    lines = text.splitlines()
    assert f"New: {kb.version} ({kb.digest[:12]}) in {new}" in lines
    assert f"Profiles with any change: {applied}" in lines
    assert "  initiation changed: 0" in lines
    assert f"  level changed: {applied}" in lines
    assert "Level transitions (top 1 of 1):" in lines
    [transition] = [line for line in lines if line.startswith("  collaborative -> consultative: ")]
    assert transition.startswith(f"  collaborative -> consultative: {applied} profiles, e.g. project_type=")
    assert "Initiation transitions" not in text


def test_examples_zero_lists_no_transition_and_an_edition_that_does_not_load_exits_one(
    small_kb: Callable[..., Path], tmp_path: Path
) -> None:
    old = small_kb()
    new = edited_copy(old, old.parent / "new", lower_applied_work_level)
    code, text = kb_diff("--examples", "0", str(old), str(new))
    assert code == 0
    assert "Level transitions (top 0 of 1):" in text
    assert "collaborative -> consultative" not in text

    broken = edited_copy(
        old, tmp_path / "broken", lambda data: rule(data, "coproduction_risks")["then"].update(risks=["no.such_risk"])
    )
    result = CliRunner().invoke(app, ["kb", "diff", str(old), str(broken)])
    assert result.exit_code == 1
    assert f"new edition {broken}: rules.yaml" in result.stderr


def test_the_durable_evaluator_and_split_processes_report_the_same_diff(small_kb: Callable[..., Path]) -> None:
    old = small_kb()

    def both(data: dict[str, Any]) -> None:
        lower_applied_work_level(data)
        forget_the_funding_risk(data)

    new = edited_copy(old, old.parent / "new", both)

    reference = diff_knowledge_bases(old, new, workers=1).to_dict()
    on_durable = diff_knowledge_bases(old, new, evaluator=durable, workers=1).to_dict()
    split = diff_knowledge_bases(old, new, workers=2).to_dict()

    for report in (reference, on_durable, split):
        del report["seconds"], report["evaluator"]
    assert reference["level_changed"] > 0
    assert reference["risks_changed"] > 0
    assert on_durable == reference
    assert split == reference
