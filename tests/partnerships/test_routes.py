"""The partnership routes (contract: "Partnerships") on SQLite and PostgreSQL: every token rule
on every route, the no-leak headers, and the answers' shapes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.partnerships.support import NEW, OTHER, PROFILE

PROBLEM = "application/problem+json"


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def made(client: TestClient) -> dict[str, Any]:
    response = client.post("/v1/partnerships", json=NEW)
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    return body


def routes(pid: str, partner_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every route of one partnership: method, path and body."""
    return [
        ("GET", f"/v1/partnerships/{pid}", None),
        ("PUT", f"/v1/partnerships/{pid}/partners/{partner_id}/answers", PROFILE),
        ("GET", f"/v1/partnerships/{pid}/partners/{partner_id}/answers", None),
        ("POST", f"/v1/partnerships/{pid}/assessments", PROFILE),
        ("GET", f"/v1/partnerships/{pid}/assessments", None),
        ("DELETE", f"/v1/partnerships/{pid}", None),
    ]


def test_creating_shows_each_token_once_with_no_leak_headers(client: TestClient, made: dict[str, Any]) -> None:
    assert set(made) == {"id", "title", "owner_token", "partners"}
    assert [set(p) for p in made["partners"]] == [{"id", "name", "party", "token"}] * 2
    assert [p["party"] for p in made["partners"]] == ["policy_agency", "researchers"]
    response = client.get(f"/v1/partnerships/{made['id']}", headers=bearer(made["owner_token"]))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "token" not in response.text
    created = client.post("/v1/partnerships", json=NEW)
    assert created.headers["cache-control"] == "no-store"
    assert created.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    "partners",
    [
        [{"name": "Alone", "party": "researchers"}],
        [{"name": f"P{i}", "party": "researchers"} for i in range(11)],
        [{"name": "A", "party": "researchers"}, {"name": "B", "party": "funders"}],
        [{"name": "", "party": "researchers"}, {"name": "B", "party": "policy_agency"}],
    ],
)
def test_a_partnership_needs_2_to_10_named_partners_of_known_parties(
    client: TestClient, partners: list[dict[str, str]]
) -> None:
    response = client.post("/v1/partnerships", json={"title": "T", "partners": partners})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_every_route_needs_a_token_of_this_partnership(client: TestClient, made: dict[str, Any]) -> None:
    other = client.post("/v1/partnerships", json=NEW).json()
    for method, path, body in routes(made["id"], made["partners"][0]["id"]):
        missing = client.request(method, path, json=body)
        assert (missing.status_code, missing.headers["content-type"]) == (401, PROBLEM), (method, path)
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = client.request(method, path, json=body, headers=bearer("x" * 43))
        assert wrong.status_code == 401, (method, path)
        for token in (other["owner_token"], other["partners"][0]["token"]):
            foreign = client.request(method, path, json=body, headers=bearer(token))
            assert foreign.status_code == 404, (method, path)
    unknown = client.get("/v1/partnerships/no-such-id", headers=bearer(made["owner_token"]))
    assert unknown.status_code == 404


def test_only_that_partner_writes_its_answers(client: TestClient, made: dict[str, Any]) -> None:
    first, second = made["partners"]
    path = f"/v1/partnerships/{made['id']}/partners/{first['id']}/answers"
    for token in (second["token"], made["owner_token"]):
        assert client.put(path, json=PROFILE, headers=bearer(token)).status_code == 403
    revisions = [client.put(path, json=PROFILE, headers=bearer(first["token"])).json() for _ in range(2)]
    assert revisions == [{"partner_id": first["id"], "revision": 1}, {"partner_id": first["id"], "revision": 2}]
    bad = client.put(path, json=PROFILE | {"timeline_months": "soon"}, headers=bearer(first["token"]))
    assert bad.status_code == 422
    assert (
        client.put(
            f"/v1/partnerships/{made['id']}/partners/nobody/answers", json=PROFILE, headers=bearer(first["token"])
        ).status_code
        == 404
    )


def test_only_the_owner_assesses_and_deletes(client: TestClient, made: dict[str, Any]) -> None:
    token = made["partners"][0]["token"]
    assert (
        client.post(f"/v1/partnerships/{made['id']}/assessments", json=PROFILE, headers=bearer(token)).status_code
        == 403
    )
    assert client.delete(f"/v1/partnerships/{made['id']}", headers=bearer(token)).status_code == 403


def test_no_peeking_then_divergence(client: TestClient, made: dict[str, Any]) -> None:
    pid, (first, second) = made["id"], made["partners"]
    base = f"/v1/partnerships/{pid}/partners"
    client.put(f"{base}/{first['id']}/answers", json=PROFILE, headers=bearer(first["token"]))
    assert client.get(f"{base}/{first['id']}/answers", headers=bearer(first["token"])).json()["revision"] == 1
    for token in (second["token"], made["owner_token"]):
        assert client.get(f"{base}/{first['id']}/answers", headers=bearer(token)).status_code == 403
    view = client.get(f"/v1/partnerships/{pid}", headers=bearer(made["owner_token"])).json()
    assert [p["answered"] for p in view["partners"]] == [True, False]
    assert view["divergence"] is None
    client.put(f"{base}/{second['id']}/answers", json=OTHER | {"in_place": []}, headers=bearer(second["token"]))
    shared = client.get(f"{base}/{second['id']}/answers", headers=bearer(first["token"]))
    assert shared.status_code == 200
    assert shared.json()["in_place"] == []
    divergence = client.get(f"/v1/partnerships/{pid}", headers=bearer(second["token"])).json()["divergence"]
    assert set(divergence) == {"fields", "advice", "advice_differs", "talk_through"}
    timeline = next(f for f in divergence["fields"] if f["field"] == "timeline_months")
    assert timeline["answers"] == {first["id"]: 4, second["id"]: 24}
    assert [a["partner_id"] for a in divergence["advice"]] == [first["id"], second["id"]]
    assert divergence["advice_differs"] is True
    assert all(t["text"] and t["findings"] for t in divergence["talk_through"])


def test_assessments_over_time_then_delete(client: TestClient, made: dict[str, Any]) -> None:
    pid, owner = made["id"], bearer(made["owner_token"])
    first = client.post(f"/v1/partnerships/{pid}/assessments", json=PROFILE, headers=owner)
    assert first.status_code == 201
    body = first.json()
    assert set(body) == {"number", "created_at", "profile", "recommendation", "knowledge_base", "changes"}
    assert (body["number"], body["changes"]) == (1, None)
    assert set(body["knowledge_base"]) == {"version", "digest"}
    second = client.post(f"/v1/partnerships/{pid}/assessments", json=OTHER, headers=owner).json()
    assert set(second["changes"]) == {"fields", "initiation", "level", "risks_raised", "risks_cleared"}
    assert "timeline_months" in second["changes"]["fields"]
    listed = client.get(f"/v1/partnerships/{pid}/assessments", headers=bearer(made["partners"][1]["token"]))
    assert [a["number"] for a in listed.json()["assessments"]] == [1, 2]
    deleted = client.delete(f"/v1/partnerships/{pid}", headers=owner)
    assert deleted.status_code == 204
    assert deleted.headers["cache-control"] == "no-store"
    assert client.get(f"/v1/partnerships/{pid}/assessments", headers=owner).status_code == 401


def test_tokens_are_never_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    made = client.post("/v1/partnerships", json=NEW).json()
    partner = made["partners"][0]
    client.put(
        f"/v1/partnerships/{made['id']}/partners/{partner['id']}/answers",
        json=PROFILE,
        headers=bearer(partner["token"]),
    )
    client.get(f"/v1/partnerships/{made['id']}", headers=bearer("wrong-token"))
    logged = caplog.text
    assert made["id"] in logged  # the access log is captured
    assert all(t not in logged for t in (made["owner_token"], partner["token"], "wrong-token"))


def test_a_second_app_on_the_same_database_reads_the_same_state(database_url: str, made: dict[str, Any]) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as other:
        view = other.get(f"/v1/partnerships/{made['id']}", headers=bearer(made["owner_token"]))
        assert view.status_code == 200
        assert [p["id"] for p in view.json()["partners"]] == [p["id"] for p in made["partners"]]
