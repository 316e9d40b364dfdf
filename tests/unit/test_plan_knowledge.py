"""The plan-check and tender files load, cite what exists, and a broken one is refused by name."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from recommender import KnowledgeBase, KnowledgeBaseError, ProjectProfile, check_plan, load_knowledge_base, tender_brief
from recommender.kb import default_rules_dir
from recommender.service import Recommender

PLAN_FILES = ("components.yaml", "readiness.yaml", "tender.yaml")


def test_the_shipped_knowledge_base_has_components_readiness_and_tender_items(kb: KnowledgeBase) -> None:
    assert kb.components
    assert kb.readiness is not None
    assert kb.readiness.bands
    assert kb.tender_clauses
    assert kb.bid_questions
    assert kb.agency_commitments


def test_every_plan_and_tender_entry_cites_existing_findings(kb: KnowledgeBase) -> None:
    cited = [
        (kind, entry, finding)
        for finding, kind, entry in kb.citations()
        if kind in {"component", "severity_raise", "readiness", "readiness_cap"}
        or kind.startswith(("tender", "bid", "agency_"))
    ]
    assert cited
    assert [c for c in cited if c[2] not in kb.findings] == []
    for component in kb.components.values():
        assert set(component.risks) <= set(kb.risks)
        assert set(component.add) <= set(kb.mitigations)


def _id(section: str, index: int, *, prefix: str = "") -> Callable[[Path], str]:
    """The id of the ``index``-th entry of ``section`` in a knowledge-base file, as the loader names it."""

    def read(path: Path) -> str:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return prefix + str(data[section][index]["id"])

    return read


@pytest.mark.parametrize(
    ("file", "change", "entry", "reason"),
    [
        (
            "components.yaml",
            lambda d: d["components"][0]["findings"].append("no.such_finding"),
            _id("components", 0),
            "unknown finding 'no.such_finding'",
        ),
        (
            "components.yaml",
            lambda d: d["components"][1]["risks"].append("no.such_risk"),
            _id("components", 1),
            "unknown risk 'no.such_risk'",
        ),
        (
            "components.yaml",
            lambda d: d["components"][2]["add"].append("no_such_mitigation"),
            _id("components", 2),
            "unknown mitigation 'no_such_mitigation'",
        ),
        (
            "components.yaml",
            lambda d: d["components"][3]["severity"]["raises"][0]["findings"].append("no.such_finding"),
            _id("components", 3),
            "unknown finding 'no.such_finding'",
        ),
        (
            "components.yaml",
            lambda d: d["components"][3]["severity"].update(base="severe"),
            _id("components", 3),
            "unknown severity 'severe'",
        ),
        (
            "components.yaml",
            lambda d: d["components"][3]["severity"].update(base="critical"),
            _id("components", 3),
            "not above the base 'critical'",
        ),
        (
            "components.yaml",
            lambda d: d["components"][0]["severity"]["raises"][0]["when"].update(profile={"budget": 3}),
            _id("components", 0),
            "condition on 'budget': not a profile field",
        ),
        (
            "components.yaml",
            lambda d: d["components"][0]["severity"]["raises"][0]["when"].update(profile={"relationship": "friends"}),
            _id("components", 0),
            "unknown value(s) ['friends']",
        ),
        (
            "components.yaml",
            lambda d: d["components"][4]["severity"]["raises"][0]["when"].update(facts=["no_such_fact"]),
            _id("components", 4),
            "unknown fact 'no_such_fact'",
        ),
        (
            "components.yaml",
            lambda d: d["components"].append(dict(d["components"][0])),
            _id("components", 0),
            "duplicate id",
        ),
        (
            "components.yaml",
            lambda d: d["components"][0].update(colour="red"),
            _id("components", 0),
            "Extra inputs are not permitted",
        ),
        (
            "tender.yaml",
            lambda d: d["clauses"][0]["mitigations"].append("no_such_mitigation"),
            _id("clauses", 0, prefix="clauses."),
            "unknown mitigation 'no_such_mitigation'",
        ),
        (
            "tender.yaml",
            lambda d: d["questions"][0]["findings"].append("no.such_finding"),
            _id("questions", 0, prefix="questions."),
            "unknown finding 'no.such_finding'",
        ),
        (
            "tender.yaml",
            lambda d: d["commitments"][0].update(applies={"level": ["intimate"]}),
            _id("commitments", 0),
            "level",
        ),
        (
            "readiness.yaml",
            lambda d: d["readiness"]["caps"][0].update(band="excellent"),
            "caps.critical",
            "unknown band 'excellent'",
        ),
        (
            "readiness.yaml",
            lambda d: d["readiness"]["bands"].reverse(),
            "bands",
            "best first",
        ),
        (
            "readiness.yaml",
            lambda d: d["readiness"]["severities"].reverse(),
            "severities",
            "lowest first",
        ),
    ],
)
def test_a_broken_plan_file_is_refused_naming_the_file_and_entry(
    tmp_path: Path,
    file: str,
    change: Callable[[dict[str, Any]], None],
    entry: str | Callable[[Path], str],
    reason: str,
) -> None:
    rules = _copy(tmp_path)
    named = entry(rules / file) if callable(entry) else entry  # read before the change
    _edit(rules / file, change)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(rules)
    assert caught.value.file == file
    assert named in (caught.value.entry or "") or named in str(caught.value)
    assert reason in str(caught.value)


def test_components_without_readiness_are_refused_even_in_a_partial_knowledge_base(tmp_path: Path) -> None:
    rules = _copy(tmp_path)
    (rules / "readiness.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"readiness\.yaml") as caught:
        load_knowledge_base(rules, partial=True)
    assert caught.value.file == "components.yaml"


@pytest.mark.parametrize("name", PLAN_FILES)
def test_a_knowledge_base_without_a_plan_file_is_refused_naming_it(tmp_path: Path, name: str) -> None:
    rules = _copy(tmp_path)
    (rules / name).unlink()
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(rules)
    assert (caught.value.file, caught.value.reason) == (name, "file not found")


def test_a_partial_knowledge_base_without_the_plan_files_loads_but_cannot_check_plans(tmp_path: Path) -> None:
    rules = _copy(tmp_path)
    for name in PLAN_FILES:
        (rules / name).unlink()
    kb = load_knowledge_base(rules, partial=True)
    assert kb.components == {}
    assert kb.readiness is None
    assert kb.tender_clauses == ()
    profile = ProjectProfile(
        project_type="evaluation",
        timeline_months=12,
        funding="co_funded",
        relationship="long_term",
        staff_stability="high",
    )
    engine = Recommender(kb)
    with pytest.raises(KnowledgeBaseError) as plan_error:
        check_plan(profile, in_place=[], recommender=engine)
    assert plan_error.value.file == "components.yaml"
    with pytest.raises(KnowledgeBaseError) as tender_error:
        tender_brief(profile, recommender=engine)
    assert tender_error.value.file == "tender.yaml"


def test_the_digest_covers_the_plan_files(tmp_path: Path, kb: KnowledgeBase) -> None:
    rules = _copy(tmp_path)
    _edit(rules / "readiness.yaml", lambda d: d["readiness"]["bands"][0].update(min_score=85))
    assert load_knowledge_base(rules).digest != kb.digest


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    # Through JSON: an entry appended twice is written out twice, not as a YAML alias (refused).
    path.write_text(yaml.safe_dump(json.loads(json.dumps(data)), sort_keys=False))
