"""Hostile requests found by an adversarial run (issue 14): each gets a small, named answer."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import api.body
from api.app import create_app
from api.errors import MAX_LISTED_ERRORS, problem_for
from api.settings import Settings
from recommender import KnowledgeBaseError
from recommender.errors import MAX_ECHO
from recommender.kb import default_rules_dir
from tests.api.support import VALID_PROFILE, assert_problem, fields_named

MIB = 1024 * 1024


def _unknown_keys_body(wrap: str = "profile") -> bytes:
    """Just under 1 MiB of unknown keys (about 96,000 of them) beside a valid profile.

    ``wrap``: ``profile`` (the keys beside the profile's fields), ``plan-check`` (beside
    ``profile`` and ``plan``) or ``batch`` (beside ``profiles``).
    """
    data: dict[str, Any] = {
        "profile": dict(VALID_PROFILE),
        "plan-check": {"profile": VALID_PROFILE, "plan": {"in_place": []}},
        "batch": {"profiles": [VALID_PROFILE]},
    }[wrap]
    count = (MIB - len(json.dumps(data)) - 16) // len('"k000000":0,')
    data |= {f"k{i:06d}": 0 for i in range(count)}
    raw = json.dumps(data, separators=(",", ":")).encode()
    assert len(raw) <= MIB
    return raw


@pytest.mark.parametrize(
    ("path", "wrap"),
    [("/v1/recommendations", "profile"), ("/v1/plan-checks", "plan-check"), ("/v1/recommendations/batch", "batch")],
)
def test_a_body_of_many_unknown_keys_gets_a_short_answer_listing_the_first_errors(
    client: TestClient, path: str, wrap: str
) -> None:
    raw = _unknown_keys_body(wrap)
    keys = raw.count(b'":0')

    response = client.post(path, content=raw, headers={"content-type": "application/json"})

    assert len(response.content) < 64 * 1024
    problem = assert_problem(response, 422)
    assert len(problem["errors"]) == MAX_LISTED_ERRORS
    assert all(error["reason"] == "unknown field" for error in problem["errors"])
    assert f"and {keys - MAX_LISTED_ERRORS} more" in problem["detail"]
    assert problem["detail"].startswith(f"{keys} field(s) are invalid")


@pytest.mark.parametrize("path", ["/v1/recommendations", "/v1/plan-checks"])
def test_an_over_long_unknown_key_or_value_is_echoed_cut_short(client: TestClient, path: str) -> None:
    key, value = "k" * 500_000, "v" * 400_000
    body: dict[str, Any] = {**VALID_PROFILE, key: 1, "title": value}
    if path == "/v1/plan-checks":
        body = {"profile": {**VALID_PROFILE, "title": value}, "plan": {"in_place": []}, key: 1}

    response = client.post(path, json=body)

    assert len(response.content) < 4 * 1024
    problem = assert_problem(response, 422)
    for error in problem["errors"]:
        assert len(error["field"]) <= MAX_ECHO
        assert not isinstance(error.get("value"), str) or len(error["value"]) <= MAX_ECHO
    assert any(error["field"].startswith("kkkk") and error["field"].endswith("...") for error in problem["errors"])


def test_a_large_body_is_parsed_and_validated_off_the_event_loop(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_loop: list[bool] = []
    decode = api.body.decode

    def recording(raw: bytes) -> Any:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return decode(raw)

    monkeypatch.setattr(api.body, "decode", recording)
    # An invalid profile: a valid one is answered by the fast path, which decodes nothing here.
    small = client.post("/v1/recommendations", json={**VALID_PROFILE, "funding": "gift"})
    large = client.post(
        "/v1/recommendations", content=_unknown_keys_body(), headers={"content-type": "application/json"}
    )

    assert (small.status_code, large.status_code) == (422, 422)
    assert on_loop == [True, False], "a small body stays on the loop (no thread hop); a large one leaves it"


# --- 7. control characters in a title ---

CONTROLS = ["\x00", "\x1b[31m", "\u202e", "\u2066", "\x85", "\x7f", "\u200f", "\n"]


@pytest.mark.parametrize("control", CONTROLS)
def test_a_title_with_a_control_character_is_refused_naming_the_title(client: TestClient, control: str) -> None:
    response = client.post("/v1/recommendations", json={**VALID_PROFILE, "title": f"Plan{control}gnp.exe"})

    problem = assert_problem(response, 422)
    assert fields_named(problem) == {"title"}
    assert "control character" in problem["errors"][0]["reason"]
    assert control not in json.loads(response.text)["errors"][0]["value"], "the echo does not carry it either"


def test_an_unknown_key_with_control_characters_is_echoed_escaped(client: TestClient) -> None:
    response = client.post("/v1/recommendations", json={**VALID_PROFILE, "\x1b[2J" + "k" * 200: "\u202ev"})

    problem = assert_problem(response, 422)
    [error] = problem["errors"]
    assert error["field"].startswith("\\u001b[2Jkkk")
    assert error["field"].endswith("...")
    assert len(error["field"]) <= MAX_ECHO
    assert "\x1b" not in error["field"]
    assert error["value"] == "\\u202ev"


@pytest.mark.parametrize("control", ["\x1b[31m", "\u202e"])
def test_a_title_with_a_control_character_is_refused_by_the_form(client: TestClient, control: str) -> None:
    form = {**{k: str(v) for k, v in VALID_PROFILE.items()}, "title": f"Plan{control}gnp.exe"}

    response = client.post("/", data=form)

    assert response.status_code == 422
    assert control not in response.text
    assert "control character" in response.text


# --- 8. integral floats are integers, as the documented schema says ---


def test_an_integral_float_timeline_is_the_integer_the_schema_documents(client: TestClient) -> None:
    as_float = client.post("/v1/recommendations", json={**VALID_PROFILE, "timeline_months": 46.0})
    as_int = client.post("/v1/recommendations", json={**VALID_PROFILE, "timeline_months": 46})

    assert as_float.status_code == 200, as_float.text
    assert as_float.json() == as_int.json()
    assert as_float.json()["profile"]["timeline_months"] == 46
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ProjectProfile"]
    assert schema["properties"]["timeline_months"]["type"] == "integer"


@pytest.mark.parametrize("value", [46.5, True, "46", 1e300])
def test_a_timeline_that_is_not_an_integer_is_still_refused(client: TestClient, value: object) -> None:
    response = client.post("/v1/recommendations", json={**VALID_PROFILE, "timeline_months": value})

    problem = assert_problem(response, 422)
    assert fields_named(problem) == {"timeline_months"}
    assert len(response.content) < 2048


# --- 9. a knowledge base missing a file does not start, and no answer names a server path ---


@pytest.mark.parametrize("name", ["fields.yaml", "components.yaml", "readiness.yaml", "tender.yaml"])
def test_a_knowledge_base_missing_a_file_stops_start_up_naming_the_file(tmp_path: Path, name: str) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    (rules / name).unlink()
    app = create_app(Settings(rules_dir=rules))

    with pytest.raises(KnowledgeBaseError) as caught, TestClient(app):
        pass

    assert caught.value.file == name
    assert "file not found" in caught.value.reason
    assert str(tmp_path) not in str(caught.value), "the reason names the file, never the server's folder"
    assert str(tmp_path) not in problem_for(caught.value).detail


def test_no_answer_carries_the_servers_path(client: TestClient) -> None:
    root = str(default_rules_dir().resolve())
    answers = [
        client.get("/"),
        client.get("/readyz"),
        client.get("/report", params={"project_type": "nonsense"}),
        client.get("/no/such/page"),
        client.post("/v1/recommendations", content=b"{", headers={"content-type": "application/json"}),
        client.post("/v1/plan-checks", json={"profile": VALID_PROFILE, "plan": {"in_place": ["x"]}}),
        client.get("/openapi.json"),
    ]
    for response in answers:
        assert root not in response.text
        assert str(Path(root).parent) not in response.text
