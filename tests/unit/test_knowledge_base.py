"""The shipped knowledge base is complete and consistent, and a broken one is refused by name."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from recommender import KnowledgeBase, KnowledgeBaseError, Mitigation, Risk, Rule, load_knowledge_base
from recommender.kb import default_rules_dir


def test_the_study_is_covered_by_at_least_sixty_findings(kb: KnowledgeBase) -> None:
    assert len(kb.findings) >= 60
    assert all(f.source.section for f in kb.findings.values())


def test_every_finding_is_cited_at_least_once(kb: KnowledgeBase) -> None:
    cited = {finding for finding, _, _ in kb.citations()}
    assert sorted(set(kb.findings) - cited) == []


def test_every_risk_mitigation_and_rule_cites_an_existing_finding(kb: KnowledgeBase) -> None:
    entries: list[Risk | Mitigation | Rule] = [*kb.risks.values(), *kb.mitigations.values(), *kb.rules]
    for entry in entries:
        assert entry.findings, entry.id
        assert set(entry.findings) <= set(kb.findings), entry.id


def test_every_risk_names_existing_mitigations(kb: KnowledgeBase) -> None:
    for risk in kb.risks.values():
        assert risk.mitigations
        assert set(risk.mitigations) <= set(kb.mitigations), risk.id


def test_findings_cite_their_source_in_the_study(kb: KnowledgeBase) -> None:
    tables = {f.source.table for f in kb.findings.values()}
    assert {"Table 1", "Table 2", "Table 3", "Table 4"} <= tables


def test_the_digest_is_stable_and_changes_with_the_content(tmp_path: Path, kb: KnowledgeBase) -> None:
    copy = _copy(tmp_path)
    assert load_knowledge_base(copy).digest == kb.digest
    manifest = copy / "knowledge_base.yaml"
    manifest.write_text(manifest.read_text().replace('version: "', 'version: "x'))
    assert load_knowledge_base(copy).digest != kb.digest


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def _edit(path: Path, change: Callable[[dict], None]) -> None:  # type: ignore[type-arg]
    data = yaml.safe_load(path.read_text())
    change(data)
    # Through JSON: an entry appended twice is written out twice, not as a YAML alias (refused).
    path.write_text(yaml.safe_dump(json.loads(json.dumps(data)), sort_keys=False))


def _twice(ids: list[str]) -> None:
    """List the first id again."""
    ids.append(ids[0])


def _rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(rule for rule in data["rules"] if rule["id"] == rule_id)
    return found


BROKEN = [
    pytest.param(
        "rules.yaml",
        lambda d: _rule(d, "timeline_short")["findings"].append("no.such_finding"),
        "timeline_short",
        "unknown finding 'no.such_finding'",
        id="rule citing an unknown finding",
    ),
    pytest.param(
        "rules.yaml",
        lambda d: d["rules"].append(dict(_rule(d, "timeline_short"))),
        "timeline_short",
        "duplicate id",
        id="duplicate rule id",
    ),
    pytest.param(
        "risks.yaml",
        lambda d: d["risks"][0].update(mitigations=[]),
        "agency.overpromising",
        "mitigations",
        id="risk without a mitigation",
    ),
    pytest.param(
        "mitigations.yaml",
        lambda d: d["mitigations"][0].update(findings=[]),
        "agree_shared_aims",
        "findings",
        id="mitigation without a finding",
    ),
    pytest.param(
        "rules.yaml",
        lambda d: _rule(d, "timeline_short")["when"]["profile"].update(funding="crowdfunded"),
        "timeline_short",
        "unknown value(s) ['crowdfunded']",
        id="condition on an unknown enum value",
    ),
    pytest.param(
        "rules.yaml",
        lambda d: _rule(d, "timeline_short")["when"]["profile"].update(budget=3),
        "timeline_short",
        "not a profile field",
        id="condition on an unknown field",
    ),
    pytest.param(
        "rules.yaml",
        lambda d: _rule(d, "close_collaboration_for_applied_work")["when"].update(facts=["coproduction_feasible"]),
        "close_collaboration_for_applied_work",
        "no earlier rule derives",
        id="fact used before it is derived",
    ),
    pytest.param(
        "rules.yaml",
        lambda d: _rule(d, "coproduction_hard_without_preconditions")["when"]["facts"].append("coproduction_gap"),
        "coproduction_hard_without_preconditions",
        "more than once",
        id="fact listed twice in one rule",
    ),
    pytest.param(
        "rules.yaml",
        lambda d: _twice(_rule(d, "coproduction_risks")["then"]["risks"]),
        "coproduction_risks",
        "lists risk id(s)",
        id="risk listed twice in one rule",
    ),
    pytest.param(
        "risks.yaml",
        lambda d: _twice(d["risks"][0]["mitigations"]),
        "agency.overpromising",
        "lists mitigation id(s)",
        id="mitigation listed twice in one risk",
    ),
    pytest.param(
        "rules.yaml",
        lambda d: _rule(d, "coproduction_risks")["then"].update(scores={"agency": 1}),
        "coproduction_risks",
        "only raise risks",
        id="second-pass rule changing a score",
    ),
    pytest.param(
        "rules.yaml",
        lambda d: _rule(d, "timeline_short")["then"].update(level_at_least="maximal"),
        "timeline_short",
        "then.level_at_least",
        id="unknown collaboration level",
    ),
    pytest.param(
        "knowledge_base.yaml",
        lambda d: d["monotone"]["fields"].update(relationship=["none", "long_term"]),
        "monotone",
        "must list each of its values",
        id="monotone claim missing a value",
    ),
    pytest.param(
        "findings.yaml",
        lambda d: d["findings"][1].update(statment="typo"),
        "motive.researcher.resources",
        "statment",
        id="unknown key in a finding",
    ),
]


@pytest.mark.parametrize(("file", "change", "entry", "reason"), BROKEN)
def test_a_broken_file_is_refused_naming_the_file_and_the_entry(
    tmp_path: Path,
    file: str,
    change: Callable[[dict[str, Any]], None],
    entry: str,
    reason: str,
) -> None:
    copy = _copy(tmp_path)
    _edit(copy / file, change)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(copy)
    assert caught.value.file == file
    assert caught.value.entry == entry
    assert reason in str(caught.value)
    assert file in str(caught.value)
    assert entry in str(caught.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    (copy / "risks.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"risks\.yaml: file not found"):
        load_knowledge_base(copy)


def test_a_file_that_is_not_yaml_is_named(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    (copy / "mitigations.yaml").write_text("mitigations: [unclosed\n")
    with pytest.raises(KnowledgeBaseError, match=r"mitigations\.yaml: line 2: not valid YAML"):
        load_knowledge_base(copy)
