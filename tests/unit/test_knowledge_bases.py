"""Knowledge bases side by side: the digest covers every file, and two editions answer in one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender import (
    KnowledgeBase,
    KnowledgeBaseError,
    KnowledgeBases,
    ProjectProfile,
    UnknownKnowledgeBaseError,
    load_knowledge_base,
)
from recommender.engine.durable_adapter import ruleset_name
from recommender.kb import default_rules_dir
from recommender.registry import load_editions
from tests.editions import change_words, copy_of, set_version

SHIPPED_FILES = sorted(path.name for path in default_rules_dir().glob("*.yaml"))

PROFILE = ProjectProfile(
    project_type="evaluation",
    timeline_months=18,
    funding="co_funded",
    relationship="long_term",
    staff_stability="high",
    politically_sensitive=True,
)


@pytest.mark.parametrize("name", SHIPPED_FILES)
def test_changing_any_file_of_the_knowledge_base_changes_its_digest(
    name: str, tmp_path: Path, kb: KnowledgeBase
) -> None:
    rules = copy_of(kb.root, tmp_path / "rules")
    change_words(rules / name)

    assert load_knowledge_base(rules).digest != kb.digest


def test_changing_a_label_in_the_field_guide_changes_the_digest(tmp_path: Path, kb: KnowledgeBase) -> None:
    rules = copy_of(kb.root, tmp_path / "rules")
    change_words(rules / "fields.yaml")

    changed = load_knowledge_base(rules)

    assert changed.require_field_guide().fields[0].label != kb.require_field_guide().fields[0].label
    assert changed.digest != kb.digest


def test_an_unchanged_copy_has_the_same_digest(tmp_path: Path, kb: KnowledgeBase) -> None:
    assert load_knowledge_base(copy_of(kb.root, tmp_path / "rules")).digest == kb.digest


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> KnowledgeBases:
    """The shipped knowledge base and a copy of another version whose risks read differently."""
    rules = copy_of(kb.root, tmp_path_factory.mktemp("edition") / "rules")
    set_version(rules, "test.2")
    change_words(rules / "risks.yaml")
    return KnowledgeBases.load(None, [rules])


def test_two_editions_answer_side_by_side_each_with_its_own_digest(
    two_editions: KnowledgeBases, kb: KnowledgeBase
) -> None:
    shipped, changed = two_editions.get(kb.version), two_editions.get("test.2")

    assert two_editions.versions == [kb.version, "test.2"]
    assert two_editions.default is shipped
    assert shipped.kb.digest == kb.digest
    assert changed.kb.digest != kb.digest
    assert ruleset_name(shipped.kb) != ruleset_name(changed.kb)
    old, new = shipped.recommend(PROFILE), changed.recommend(PROFILE)
    assert (old.knowledge_base.version, old.knowledge_base.digest) == (kb.version, kb.digest)
    assert (new.knowledge_base.version, new.knowledge_base.digest) == ("test.2", changed.kb.digest)
    # The same rules fire; the changed edition's first risk reads as its own file says.
    assert old.trace == new.trace
    first = next(iter(kb.risks))
    assert changed.kb.risks[first].title.endswith("Changed.")
    assert shipped.recommend(PROFILE) == old  # asking the other edition changed nothing here


def test_an_unknown_version_is_refused_naming_it(two_editions: KnowledgeBases) -> None:
    with pytest.raises(UnknownKnowledgeBaseError) as caught:
        two_editions.get("9.9")

    assert caught.value.version == "9.9"
    assert caught.value.known == two_editions.versions


def test_two_editions_of_one_version_are_refused(tmp_path: Path, kb: KnowledgeBase) -> None:
    rules = copy_of(kb.root, tmp_path / "rules")
    change_words(rules / "risks.yaml")

    with pytest.raises(KnowledgeBaseError, match=f"both version '{kb.version}'") as caught:
        KnowledgeBases.load(None, [rules])

    assert (caught.value.file, caught.value.entry) == ("knowledge_base.yaml", "version")


def test_a_folder_that_does_not_load_is_named_by_its_position(tmp_path: Path, kb: KnowledgeBase) -> None:
    broken = copy_of(kb.root, tmp_path / "rules")
    (broken / "risks.yaml").write_text("risks: [}", encoding="utf-8")

    with pytest.raises(KnowledgeBaseError) as caught:
        load_editions([kb.root, broken])

    assert (caught.value.edition, caught.value.file) == (1, "risks.yaml")


def test_a_loaded_knowledge_base_is_found_by_its_digest(two_editions: KnowledgeBases, kb: KnowledgeBase) -> None:
    assert two_editions.by_digest(kb.digest) is two_editions.default
    assert two_editions.by_digest("0" * 64) is None
