"""The partnership pages' answers without a browser (tests/e2e drives them in one): refusals as
pages with the status and the problem beside the field, and the history of an assessment made
under an older knowledge base with what the current one would advise."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

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


def _form(token: str, profile: dict[str, Any], after: int = 0) -> str:
    """The record form's body: the key, ``profile`` as the page's fields send it, and the number of
    assessments the form was shown after."""
    fields = {k: str(v).lower() if isinstance(v, bool) else v for k, v in profile.items()}
    return urlencode({"token": token, "after": after, **fields})


def test_the_owner_records_assessments_from_the_page_and_reads_what_changed(database_url: str) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        created = client.post("/v1/partnerships", json=NEW).json()
        owner = {"Authorization": f"Bearer {created['owner_token']}"}
        page_path = f"/partnerships/{created['id']}"
        status = client.post(page_path, content=f"token={created['owner_token']}", headers=FORM)
        assert 'action="/partnerships/' + created["id"] + '/assessments"' in status.text
        assert "No assessment has been recorded yet." in status.text

        first = client.post(f"{page_path}/assessments", content=_form(created["owner_token"], PROFILE), headers=FORM)
        assert first.status_code == 200
        assert first.headers["cache-control"] == "no-store"
        assert "Assessment 1 is recorded" in first.text
        assert "<strong>Assessment 1</strong>" in first.text
        # The form starts again from what was recorded: the timeline the owner gave.
        assert re.search(r'id="field-timeline_months"[^>]*value="4"', first.text)

        later = dict(PROFILE, timeline_months=30)
        second = client.post(f"{page_path}/assessments", content=_form(created["owner_token"], later, 1), headers=FORM)
        assert "Assessment 2 is recorded" in second.text
        assert 'name="after" value="2"' in second.text
        # The same form posted again (the page reloaded): nothing more is recorded.
        again = client.post(f"{page_path}/assessments", content=_form(created["owner_token"], later, 1), headers=FORM)
        assert again.status_code == 409
        assert "Nothing was recorded" in again.text
        recorded = client.get(f"/v1/partnerships/{created['id']}/assessments", headers=owner).json()["assessments"]
    assert [a["number"] for a in recorded] == [1, 2]
    assert recorded[0]["profile"]["timeline_months"] == 4
    assert recorded[1]["profile"]["timeline_months"] == 30
    assert recorded[1]["changes"]["fields"] == ["timeline_months"]
    kb = default_recommender().kb
    label = next(f.label for f in kb.require_field_guide().fields if f.id == "timeline_months")
    history = second.text[second.text.index('id="history-heading"') :]
    assert label in history  # the change in words, under assessment 2


def test_an_assessment_with_a_bad_answer_is_refused_beside_its_field_and_nothing_is_recorded(
    database_url: str,
) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        created = client.post("/v1/partnerships", json=NEW).json()
        owner = {"Authorization": f"Bearer {created['owner_token']}"}
        bad = dict(PROFILE, timeline_months=0)
        page = client.post(
            f"/partnerships/{created['id']}/assessments", content=_form(created["owner_token"], bad), headers=FORM
        )
        recorded = client.get(f"/v1/partnerships/{created['id']}/assessments", headers=owner).json()["assessments"]
    assert page.status_code == 422
    assert re.search(r"<title>Error: [^<]*</title>", page.text)
    assert "There is a problem with this assessment" in page.text
    assert 'href="#field-timeline_months"' in page.text
    assert re.search(r'id="field-timeline_months"[^>]*value="0"', page.text)  # what was typed, shown again
    assert recorded == []


def test_only_the_owner_records_an_assessment_from_the_page(database_url: str) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        created = client.post("/v1/partnerships", json=NEW).json()
        owner = {"Authorization": f"Bearer {created['owner_token']}"}
        partner_token = created["partners"][0]["token"]
        page_path = f"/partnerships/{created['id']}"
        status = client.post(page_path, content=f"token={partner_token}", headers=FORM)
        assert status.status_code == 200
        assert "Record an assessment" not in status.text
        assert partner_token not in status.text
        answers = {
            "a partner's key": (partner_token, 403),
            "no key": ("", 401),
            "a wrong key": ("not-a-key", 401),
        }
        for token, expected in answers.values():
            for profile in (PROFILE, dict(PROFILE, timeline_months=0)):  # valid, and not: the key is told first
                refused = client.post(f"{page_path}/assessments", content=_form(token, profile), headers=FORM)
                assert refused.status_code == expected, (token, profile)
                assert 'class="error-message"' in refused.text
        recorded = client.get(f"/v1/partnerships/{created['id']}/assessments", headers=owner).json()["assessments"]
    assert recorded == []


def test_the_record_form_starts_from_the_answers_the_partners_share(database_url: str) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        created = client.post("/v1/partnerships", json=NEW).json()
        shared = dict(PROFILE, timeline_months=17)
        for partner in created["partners"]:
            url = f"/v1/partnerships/{created['id']}/partners/{partner['id']}/answers"
            headers = {"Authorization": f"Bearer {partner['token']}"}
            assert client.put(url, json=shared, headers=headers).status_code == 200
        status = client.post(f"/partnerships/{created['id']}", content=f"token={created['owner_token']}", headers=FORM)
    assert "Every partner gave the same answers." in status.text
    assert re.search(r'id="field-timeline_months"[^>]*value="17"', status.text)
