"""Start-up: the knowledge base is loaded once per worker, and a broken one stops start-up."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import startup
from api.app import create_app
from api.settings import Settings
from recommender import KnowledgeBase, KnowledgeBaseError


def test_the_knowledge_base_is_loaded_from_the_configured_folder(tmp_path: Path, kb: KnowledgeBase) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(kb.root, rules)

    with TestClient(create_app(Settings(rules_dir=rules))) as client:
        summary = client.get("/v1/knowledge-base").json()

    assert summary["digest"] == kb.digest


def test_the_recommender_is_built_once_for_all_requests(client: TestClient) -> None:
    app = client.app
    before = app.state.recommender  # type: ignore[attr-defined]

    client.get("/readyz")
    client.get("/v1/knowledge-base")

    assert app.state.recommender is before  # type: ignore[attr-defined]


def test_a_broken_knowledge_base_stops_start_up_naming_the_file_and_entry(
    tmp_path: Path, kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(kb.root, rules)
    risks = rules / "risks.yaml"
    first_mitigation = next(iter(kb.risks.values())).mitigations[0]
    risks.write_text(risks.read_text().replace(first_mitigation, "no_such_mitigation", 1))
    app = create_app(Settings(rules_dir=rules))

    with pytest.raises(KnowledgeBaseError) as caught, TestClient(app):
        pass

    assert caught.value.file == "risks.yaml"
    assert caught.value.entry == next(iter(kb.risks))
    assert "no_such_mitigation" in str(caught.value)
    assert any("risks.yaml" in record.getMessage() for record in caplog.records if record.name == "api.startup")


def test_a_missing_knowledge_base_folder_stops_start_up(tmp_path: Path) -> None:
    app = create_app(Settings(rules_dir=tmp_path / "absent"))

    with pytest.raises(KnowledgeBaseError, match=r"knowledge_base\.yaml"), TestClient(app):
        pass


def test_a_collector_paused_for_the_start_is_resumed_by_the_lifespan_with_the_start_frozen(tmp_path: Path) -> None:
    startup.pause_collector()  # what `serve` does before a lone worker imports the app
    try:
        assert not gc.isenabled()
        with TestClient(create_app(Settings(data_dir=tmp_path))) as client:
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
            assert client.get("/readyz").status_code == 200
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_running_collector_is_left_alone_by_the_lifespan(tmp_path: Path) -> None:
    frozen = gc.get_freeze_count()

    with TestClient(create_app(Settings(data_dir=tmp_path))):
        assert gc.isenabled()

    assert gc.get_freeze_count() == frozen
