"""The partnership pages on a knowledge base chosen with ``?knowledge_base=VERSION``, as the form's
pages do (tests/api/test_form_knowledge_base.py): every form's action, every link and every link
handed out to the owner and the partners carries the version on (the key stays in the fragment),
each page names the edition, and what the pages advise, store and read back is the edition's.
Pages opened without an edition link exactly as before; an unknown edition is a 404 problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import httpx2
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from recommender import KnowledgeBase, Recommender, parse_profile
from tests.api.support import assert_problem, fields_named
from tests.editions import Targets, edition_deciding_otherwise, edition_of, targets

OTHER = "test.partnership-pages.2"
#: Two partners' views of a grant-funded project: the edition recommends another initiation for it.
VIEWS: list[dict[str, Any]] = [
    {
        "title": "Falls prevention",
        "project_type": "evaluation",
        "timeline_months": 18,
        "funding": "external_grant",
        "relationship": "prior_project",
        "staff_stability": "moderate",
    },
    {
        "title": "Falls prevention",
        "project_type": "evaluation",
        "timeline_months": 30,
        "funding": "external_grant",
        "relationship": "none",
        "staff_stability": "high",
    },
]
PARTNERS = {"partner_name": ["Agency team", "University"], "partner_party": ["policy_agency", "researchers"]}


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> KnowledgeBase:
    return edition_deciding_otherwise(kb.root, tmp_path_factory.mktemp("edition") / "rules", OTHER)


def _client(edition: KnowledgeBase, tmp_path: Path, database_url: str | None = None) -> TestClient:
    settings = Settings(data_dir=tmp_path, database_url=database_url, extra_knowledge_bases=[edition.root])
    return TestClient(create_app(settings))


def _form_text(view: dict[str, Any]) -> dict[str, str]:
    return {name: str(value) for name, value in view.items()}


def _sent_to(link: str) -> str:
    """What a browser asks for when it opens ``link``: the fragment (the key) is never sent."""
    return urlunsplit(urlsplit(link)._replace(fragment=""))


def _on_the_edition(response: httpx2.Response, status: int = 200) -> Targets:
    """Where the page leads, after checking that it names the edition and that every link, every
    form's action and every link it hands out carries the edition on, the key only in a fragment."""
    assert response.status_code == status, (response.url, response.text)
    found = targets(response.text)
    assert f"Answered with edition {OTHER} of the knowledge base" in found.text, response.url
    for href in found.links:
        if not href.startswith("#"):  # a place in the page itself (an error's field)
            assert edition_of(href) == [OTHER], f"{response.url} links to {href}"
    for form in found.forms:
        assert form["method"] == "post", response.url
        assert edition_of(form["action"]) == [OTHER], f"{response.url}: its form posts to {form['action']}"
    for link in found.handed_out:
        parts = urlsplit(link)
        assert parse_qs(parts.query) == {"knowledge_base": [OTHER]}, link
        assert parts.fragment.startswith("key="), link
        assert len(parts.fragment) > len("key="), link
    return found


def _action(found: Targets) -> str:
    [form] = found.forms
    return str(form["action"])


def test_the_whole_partnership_journey_stays_on_the_edition_chosen(
    database_url: str, tmp_path: Path, kb: KnowledgeBase, recommender: Recommender, edition: KnowledgeBase
) -> None:
    chosen = [Recommender(edition).recommend(parse_profile(v)).initiation_mode.recommended for v in VIEWS]
    shipped = [recommender.recommend(parse_profile(v)).initiation_mode.recommended for v in VIEWS]
    assert chosen != shipped, "the edition advises these views otherwise"
    title = {mode.id: mode.title for mode in kb.modes}

    with _client(edition, tmp_path, database_url) as client:
        # From the planning form on the edition to the creation form, then a refusal and a creation.
        form = targets(client.get("/", params={"knowledge_base": OTHER}).text)
        [to_new] = [href for href in form.links if urlsplit(href).path == "/partnerships/new"]
        new = _on_the_edition(client.get(to_new))
        assert "/" in [urlsplit(href).path for href in new.links], "the way back to the planning form"
        refused = client.post(_action(new), data={"title": "T", "partner_name": ["Only"], "partner_party": ["x"]})
        new = _on_the_edition(refused, 422)
        created = _on_the_edition(client.post(_action(new), data={"title": "Falls prevention", **PARTNERS}))
        owner_link, *partner_links = created.handed_out
        assert len(partner_links) == 2
        assert urlsplit(owner_link).path.count("/") == 2  # /partnerships/{id}
        pid = urlsplit(owner_link).path.rsplit("/", 1)[1]
        owner_token = urlsplit(owner_link).fragment.removeprefix("key=")

        # Each partner opens its link, is refused with a wrong key and with a wrong answer, then answers.
        for link, view in zip(partner_links, VIEWS, strict=True):
            token = urlsplit(link).fragment.removeprefix("key=")
            assert token not in _sent_to(link)
            page = _on_the_edition(client.get(_sent_to(link)))
            component = page.forms[0]["boxes"][0]
            answers = {**_form_text(view), "in_place": component}
            _on_the_edition(client.post(_action(page), data={**answers, "token": "not-a-key"}), 401)
            _on_the_edition(client.post(_action(page), data={**answers, "token": token, "timeline_months": "500"}), 422)
            _on_the_edition(client.post(_action(page), data={**answers, "token": token}))
            stored = client.get(
                f"/v1/partnerships/{pid}/partners/{urlsplit(link).path.rsplit('/', 1)[1]}/answers",
                headers={"Authorization": f"Bearer {token}"},
            ).json()
            assert stored["profile"] == parse_profile(view).model_dump(mode="json", exclude_none=True)
            assert stored["in_place"] == [component]

        # The owner opens its link: a wrong key is refused on the edition; the status gives the edition's advice.
        opening = _on_the_edition(client.get(_sent_to(owner_link)))
        _on_the_edition(client.post(_action(opening), data={"token": "not-a-key"}), 401)
        status = _on_the_edition(client.post(_action(opening), data={"token": owner_token}))
        for name, mode in zip(PARTNERS["partner_name"], chosen, strict=True):
            assert f"{name} Who should initiate: {title[mode]}" in status.text

        # Assessments are recorded by the API (the pages record none): one on each edition. The
        # pages read each against the edition they answer with.
        owner = {"Authorization": f"Bearer {owner_token}"}
        made = [
            client.post(f"/v1/partnerships/{pid}/assessments", params=params, json=VIEWS[0], headers=owner)
            for params in ({}, {"knowledge_base": OTHER})
        ]
        assert [m.status_code for m in made] == [201, 201]
        assert [m.json()["knowledge_base"] for m in made] == [
            {"version": kb.version, "digest": kb.digest},
            {"version": OTHER, "digest": edition.digest},
        ]
        history = _on_the_edition(client.post(_action(opening), data={"token": owner_token})).text
        assert f"(knowledge base edition {kb.version})" in history
        assert f"(knowledge base edition {OTHER})" in history
        assert history.count(f"On the current knowledge base (edition {OTHER}) it would advise") == 1
        assert f"Who should initiate: {title[shipped[0]]} → {title[chosen[0]]}" in history
        default = targets(client.post(f"/partnerships/{pid}", data={"token": owner_token}).text).text
        assert default.count(f"On the current knowledge base (edition {kb.version}) it would advise") == 1
        assert "Answered with edition" not in default


def test_pages_opened_without_an_edition_link_as_before(tmp_path: Path, edition: KnowledgeBase) -> None:
    with _client(edition, tmp_path) as client:
        new = targets(client.get("/partnerships/new").text)
        assert (new.links, [f["action"] for f in new.forms]) == (["/"], ["/partnerships/new"])
        created = targets(client.post("/partnerships/new", data={"title": "T", **PARTNERS}).text)
        owner_link, *partner_links = created.handed_out
        pid = urlsplit(owner_link).path.rsplit("/", 1)[1]
        assert owner_link.startswith(f"http://testserver/partnerships/{pid}#key=")
        for link in partner_links:
            assert urlsplit(link).query == "", link
            assert urlsplit(link).fragment.startswith("key="), link
        answer = targets(client.get(_sent_to(partner_links[0])).text)
        assert [f["action"] for f in answer.forms] == [urlsplit(partner_links[0]).path]
        opening = targets(client.get(f"/partnerships/{pid}").text)
        assert [f["action"] for f in opening.forms] == [f"/partnerships/{pid}"]
        for page in (new, created, answer, opening):
            assert "Answered with edition" not in page.text


def test_an_id_with_a_query_or_fragment_character_stays_in_the_path_of_the_form(
    tmp_path: Path, edition: KnowledgeBase
) -> None:
    with _client(edition, tmp_path) as client:
        opening = targets(client.get(f"/partnerships/a%3Fb%23c?knowledge_base={OTHER}").text)
        answer = targets(client.get(f"/partnerships/a%3Fb/partners/p%23q?knowledge_base={OTHER}").text)

    assert [f["action"] for f in opening.forms] == [f"/partnerships/a%3Fb%23c?knowledge_base={OTHER}"]
    assert [f["action"] for f in answer.forms] == [f"/partnerships/a%3Fb/partners/p%23q?knowledge_base={OTHER}"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/partnerships/new"),
        ("POST", "/partnerships/new"),
        ("GET", "/partnerships/some-id"),
        ("POST", "/partnerships/some-id"),
        ("GET", "/partnerships/some-id/partners/some-partner"),
        ("POST", "/partnerships/some-id/partners/some-partner"),
    ],
)
def test_an_unknown_edition_is_a_404_problem_on_every_partnership_page(
    tmp_path: Path, edition: KnowledgeBase, method: str, path: str
) -> None:
    with _client(edition, tmp_path) as client:
        answer = client.request(
            method, path, params={"knowledge_base": "no.such.version"}, data={"token": "t", "title": "T"}
        )

    problem = assert_problem(answer, 404)
    assert fields_named(problem) == {"knowledge_base"}
    assert "no.such.version" in problem["detail"]
