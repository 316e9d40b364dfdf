"""Assessments over time: one made under an older knowledge base still reads as it was made, and
a re-run shows what the current knowledge base advises on its profile (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from recommender import Recommender, default_recommender, parse_profile
from tests.partnerships.support import NEW, PROFILE, changed_knowledge_base

OLD_VERSION = "2025.6.0-older"


@pytest.fixture(scope="module")
def older_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return changed_knowledge_base(tmp_path_factory.mktemp("kb") / "rules", OLD_VERSION)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_older_assessment_reads_as_made_and_reruns_on_the_current_knowledge(
    database_url: str, older_rules: Path
) -> None:
    older = Recommender.from_directory(older_rules)
    current = default_recommender()
    made_then = older.recommend(parse_profile(PROFILE)).model_dump(mode="json")
    now = current.recommend(parse_profile(PROFILE)).model_dump(mode="json")
    assert made_then["initiation_mode"]["recommended"] != now["initiation_mode"]["recommended"]  # the edit matters

    with TestClient(create_app(Settings(database_url=database_url, rules_dir=older_rules))) as then:
        created = then.post("/v1/partnerships", json=NEW).json()
        owner = bearer(created["owner_token"])
        recorded = then.post(f"/v1/partnerships/{created['id']}/assessments", json=PROFILE, headers=owner)
        assert recorded.status_code == 201
        assert recorded.json()["knowledge_base"] == {"version": OLD_VERSION, "digest": older.kb.digest}

    with TestClient(create_app(Settings(database_url=database_url))) as client:
        history = client.get(f"/v1/partnerships/{created['id']}/assessments", headers=owner).json()["assessments"]
        assert len(history) == 1
        assert history[0]["knowledge_base"] == {"version": OLD_VERSION, "digest": older.kb.digest}
        assert history[0]["recommendation"] == made_then  # the snapshot, not today's advice

        partner = bearer(created["partners"][1]["token"])
        rerun = client.get(f"/v1/partnerships/{created['id']}/assessments/1/rerun", headers=partner)
        assert rerun.status_code == 200, rerun.text
        body: dict[str, Any] = rerun.json()
        assert rerun.headers["cache-control"] == "no-store"
        assert body["number"] == 1
        assert body["made_with"] == {"version": OLD_VERSION, "digest": older.kb.digest}
        assert body["current"] == {"version": current.kb.version, "digest": current.kb.digest}
        assert body["same_knowledge_base"] is False
        assert body["recommendation"] == now
        old_risks = {r["id"] for r in made_then["risks"]}
        new_risks = {r["id"] for r in now["risks"]}
        assert body["changes"] == {
            "fields": [],
            "initiation": [made_then["initiation_mode"]["recommended"], now["initiation_mode"]["recommended"]],
            "level": None
            if made_then["collaboration_level"]["recommended"] == now["collaboration_level"]["recommended"]
            else [made_then["collaboration_level"]["recommended"], now["collaboration_level"]["recommended"]],
            "risks_raised": sorted(new_risks - old_risks),
            "risks_cleared": sorted(old_risks - new_risks),
        }
        assert body["changes"]["risks_raised"] or body["changes"]["risks_cleared"]

        # Re-running stores nothing: the history still reads as it was made.
        again = client.get(f"/v1/partnerships/{created['id']}/assessments", headers=owner).json()["assessments"]
        assert again == history


def test_a_rerun_on_the_same_knowledge_changes_nothing_and_checks_tokens(database_url: str) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        created = client.post("/v1/partnerships", json=NEW).json()
        pid, owner = created["id"], bearer(created["owner_token"])
        assert client.post(f"/v1/partnerships/{pid}/assessments", json=PROFILE, headers=owner).status_code == 201
        body = client.get(f"/v1/partnerships/{pid}/assessments/1/rerun", headers=owner).json()
        assert body["same_knowledge_base"] is True
        assert body["changes"] == {
            "fields": [],
            "initiation": None,
            "level": None,
            "risks_raised": [],
            "risks_cleared": [],
        }
        assert client.get(f"/v1/partnerships/{pid}/assessments/2/rerun", headers=owner).status_code == 404
        assert client.get(f"/v1/partnerships/{pid}/assessments/0/rerun", headers=owner).status_code == 404
        assert client.get(f"/v1/partnerships/{pid}/assessments/one/rerun", headers=owner).status_code == 404
        assert client.get(f"/v1/partnerships/{pid}/assessments/1/rerun").status_code == 401
        other = client.post("/v1/partnerships", json=NEW).json()
        stranger = bearer(other["owner_token"])
        assert client.get(f"/v1/partnerships/{pid}/assessments/1/rerun", headers=stranger).status_code == 404
