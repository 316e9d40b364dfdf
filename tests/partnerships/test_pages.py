"""The partnership pages' answers without a browser (tests/e2e drives them in one): refusals as
pages with the status and the problem beside the field, and the history of an assessment made
under an older knowledge base with what the current one would advise."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from recommender import default_recommender
from tests.partnerships.support import NEW, OTHER, PROFILE, changed_knowledge_base

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_creating_with_one_partner_shows_the_problem_on_the_form(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path))) as client:
        page = client.post(
            "/partnerships/new", content="title=T&partner_name=Only&partner_party=researchers", headers=FORM
        )
    assert page.status_code == 422
    assert 'role="alert"' in page.text
    assert "The partners:" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_a_wrong_key_is_refused_on_the_page_and_the_history_shows_a_rerun(database_url: str, tmp_path: Path) -> None:
    older = changed_knowledge_base(tmp_path / "rules", "2025.6.0-older")
    with TestClient(create_app(Settings(database_url=database_url, rules_dir=older))) as then:
        created = then.post("/v1/partnerships", json=NEW).json()
        owner = {"Authorization": f"Bearer {created['owner_token']}"}
        assert (
            then.post(f"/v1/partnerships/{created['id']}/assessments", json=PROFILE, headers=owner).status_code == 201
        )
    page_path = f"/partnerships/{created['id']}"
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        wrong = client.post(page_path, content="token=not-a-key", headers=FORM)
        assert wrong.status_code == 401
        assert 'class="error-message"' in wrong.text
        assert "not-a-key" not in wrong.text
        page = client.post(page_path, content=f"token={created['owner_token']}", headers=FORM)
        assert page.status_code == 200
        assert page.headers["referrer-policy"] == "no-referrer"
        assert "Shown once every partner has answered." in page.text
        assert "knowledge base edition 2025.6.0-older" in page.text
        kb = default_recommender().kb
        rerun = re.search(
            r"On the current knowledge base \(edition ([^)]+)\) it would advise: ([^<]+)\.</p>", page.text
        )
        assert rerun is not None
        assert rerun.group(1) == kb.version
        assert "Who should initiate:" in rerun.group(2)

        for partner, view in zip(created["partners"], (PROFILE, OTHER), strict=True):
            url = f"/v1/partnerships/{created['id']}/partners/{partner['id']}/answers"
            assert (
                client.put(url, json=view, headers={"Authorization": f"Bearer {partner['token']}"}).status_code == 200
            )
        shared = client.post(page_path, content=f"token={created['partners'][1]['token']}", headers=FORM)
        assert shared.status_code == 200
        assert '<table class="divergence">' in shared.text
