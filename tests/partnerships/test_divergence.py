"""The divergence route: 409 until every partner has answered, then JSON (as in the partnership's
view) or Markdown in words: each differing field with each partner's value, the advice each view
gets, and what to talk through first with its findings."""

from __future__ import annotations

import io

import docx
import pypdf
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from recommender import default_recommender, parse_profile
from tests.partnerships.support import NEW, OTHER, PROFILE


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_divergence_as_json_and_markdown(database_url: str) -> None:
    kb = default_recommender().kb
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        created = client.post("/v1/partnerships", json=NEW).json()
        pid, owner = created["id"], bearer(created["owner_token"])
        agency, university = created["partners"]
        path = f"/v1/partnerships/{pid}/divergence"
        submit = f"/v1/partnerships/{pid}/partners/{{}}/answers"
        assert client.put(submit.format(agency["id"]), json=PROFILE, headers=bearer(agency["token"])).status_code == 200
        early = client.get(path, headers=owner)
        assert early.status_code == 403
        assert early.headers["content-type"].startswith("application/problem+json")
        assert (
            client.put(submit.format(university["id"]), json=OTHER, headers=bearer(university["token"])).status_code
            == 200
        )

        as_json = client.get(path, headers=owner)
        assert as_json.status_code == 200
        assert as_json.json() == client.get(f"/v1/partnerships/{pid}", headers=owner).json()["divergence"]
        assert client.get(path).status_code == 401

        markdown = client.get(f"{path}?format=markdown", headers=bearer(university["token"]))
        assert markdown.status_code == 200
        assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
        assert markdown.headers["cache-control"] == "no-store"
        assert markdown.headers["referrer-policy"] == "no-referrer"
        text = markdown.text
        guide = kb.require_field_guide()
        project_type = guide.field("project_type")
        row = next(line for line in text.splitlines() if line.startswith(f"| {project_type.label} |"))
        assert row.split(" | ")[1:3] == [
            project_type.value_label(PROFILE["project_type"]),
            project_type.value_label(OTHER["project_type"]).rstrip(" |"),
        ] or row == (
            f"| {project_type.label} | {project_type.value_label(PROFILE['project_type'])} | "
            f"{project_type.value_label(OTHER['project_type'])} |"
        )
        for view in (PROFILE, OTHER):
            rec = default_recommender().recommend(parse_profile(view))
            mode = next(m.title for m in kb.modes if m.id == rec.initiation_mode.recommended)
            assert f"| {mode} |" in text
        assert "The partners' views get different advice." in text
        sources = text.split("## Findings cited")[1]
        for point in kb.talk_through:
            for finding in point.findings:
                assert finding not in text.split("## Findings cited")[0], "no finding id before the sources"
                assert " ".join(kb.findings[finding].statement.split()[:6]) in " ".join(sources.split())
        assert client.get(f"{path}?format=rtf", headers=owner).status_code == 422
        accepted = client.get(path, headers=owner | {"Accept": "text/markdown"})
        assert accepted.text == markdown.text
        assert client.get(path, headers=owner | {"Accept": "image/png"}).status_code == 406


def test_divergence_as_word_and_pdf_read_back(database_url: str) -> None:
    kb = default_recommender().kb
    assert kb.study is not None
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        created = client.post("/v1/partnerships", json=NEW).json()
        pid, owner = created["id"], bearer(created["owner_token"])
        for partner, view in zip(created["partners"], (PROFILE, OTHER), strict=True):
            answer = client.put(
                f"/v1/partnerships/{pid}/partners/{partner['id']}/answers", json=view, headers=bearer(partner["token"])
            )
            assert answer.status_code == 200
        path = f"/v1/partnerships/{pid}/divergence"
        word = client.get(f"{path}?format=docx", headers=owner)
        assert word.status_code == 200
        assert word.headers["cache-control"] == "no-store"
        assert 'filename="divergence' in word.headers["content-disposition"]
        document = docx.Document(io.BytesIO(word.content))
        headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
        assert headings[:4] == [
            "The partners",
            "Answers that differ",
            "The advice each view gets",
            "What to talk through first",
        ]
        assert any(kb.study.reference in p.text for p in document.paragraphs)
        pdf = client.get(path, headers=owner | {"Accept": "application/pdf"})
        assert pdf.status_code == 200
        reader = pypdf.PdfReader(io.BytesIO(pdf.content))
        whole = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
        assert "Page 1 of" in whole
        assert "What to talk through first" in whole
        assert "Health Research Policy and Systems" in whole
