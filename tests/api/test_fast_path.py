"""The fast path of ``POST /v1/recommendations`` (``api/fast.py``): the route's answer, byte for
byte, for the plain request, and the route itself for everything else."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from starlette.types import Receive, Scope, Send

from api.body import OFF_LOOP_BYTES, decode
from api.fast import RecommendationFastPath
from api.problems import ProblemError
from recommender import ProfileError, ProjectProfile, parse_profile
from tests.api.support import VALID_PROFILE

_VARYING = ("date", "x-request-id")


def _headers(response: Any) -> list[tuple[str, str]]:
    return sorted((name, value) for name, value in response.headers.multi_items() if name not in _VARYING)


def test_the_plain_request_gets_the_routes_bytes_and_headers(client: TestClient) -> None:
    profile = {**VALID_PROFILE, "title": 'Ünïcödé "quoted" </b>', "proposed_initiation": "agency"}
    fast = client.post("/v1/recommendations", json=profile)
    routed = client.post("/v1/recommendations?format=json", json=profile)  # a query string: the route
    assert fast.status_code == routed.status_code == 200
    assert fast.content == routed.content
    assert _headers(fast) == _headers(routed)
    assert fast.headers["x-request-id"]


class _Unreachable:
    """An application that must not be asked."""

    called = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.called = True
        raise AssertionError("the fast path passed on a plain request")


def _asgi_post(app: Any, body: bytes, headers: list[tuple[bytes, bytes]], query: bytes = b"") -> list[dict[str, Any]]:
    """Send one POST to ``app`` directly (ASGI), returning the messages it sent."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/recommendations",
        "query_string": query,
        "root_path": "",
        "headers": headers,
    }
    asyncio.run(app(scope, receive, send))
    return sent


def _json_headers(body: bytes, **extra: bytes) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *((name.replace("_", "-").encode(), value) for name, value in extra.items()),
    ]


def test_the_plain_request_is_answered_without_the_application(app: FastAPI, client: TestClient) -> None:
    body = json.dumps(VALID_PROFILE).encode()
    downstream = _Unreachable()
    sent = _asgi_post(RecommendationFastPath(app, downstream), body, _json_headers(body, accept=b"application/json"))
    assert not downstream.called
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == client.post("/v1/recommendations?format=json", json=VALID_PROFILE).content


class _Recording:
    """An application that records the body it was handed on and answers 204."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


_VALID = json.dumps(VALID_PROFILE).encode()


@pytest.mark.parametrize(
    ("body", "extra", "query"),
    [
        (_VALID, {"accept": b"text/html"}, b""),
        (_VALID, {"accept": b"application/pdf"}, b""),
        (_VALID, {}, b"knowledge_base=2026.12.1"),
        (_VALID, {}, b"format=md"),
        (b'{"project_type": "survey"}', {}, b""),
        (b"\xef\xbb\xbf" + _VALID, {}, b""),  # a byte-order mark: the strict decoder's call
        (b"{" + b'"title": "' + b"x" * OFF_LOOP_BYTES + b'"}', {}, b""),
        (_VALID, {"transfer_encoding": b"chunked"}, b""),
    ],
    ids=["html", "pdf", "knowledge-base", "format", "invalid", "bom", "large", "chunked"],
)
def test_any_other_request_goes_to_the_application_with_its_body_unchanged(
    app: FastAPI, body: bytes, extra: dict[str, bytes], query: bytes
) -> None:
    downstream = _Recording()
    sent = _asgi_post(RecommendationFastPath(app, downstream), body, _json_headers(body, **extra), query)
    assert downstream.bodies == [body]
    assert sent[0]["status"] == 204


def test_a_replaced_dependency_sends_the_request_to_the_route(app: FastAPI) -> None:
    replaced = FastAPI()
    replaced.dependency_overrides[object] = object
    replaced.state.knowledge_bases = app.state.knowledge_bases
    replaced.state.settings = app.state.settings
    downstream = _Recording()
    _asgi_post(RecommendationFastPath(replaced, downstream), _VALID, _json_headers(_VALID))
    assert downstream.bodies == [_VALID]


def _strict(body: bytes) -> ProjectProfile | None:
    try:
        return parse_profile(decode(body))
    except (ProblemError, ProfileError):
        return None


_fragments = st.sampled_from(
    [b"{", b"}", b",", b":", b'"title"', b'"x\\ud800"', b'"\\u00e9"', b"18", b"18.0", b"1e1", b"NaN", b"-0", b"true",
     b"null", b" ", b"\xef\xbb\xbf", b"\xff", b'"evaluation"', b'"timeline_months"', b'"project_type"', b"[", b"]"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_body_pydantic_accepts_is_one_the_strict_decoder_accepts_as_the_same_profile(data: st.DataObject) -> None:
    body = bytearray(_VALID)
    for _ in range(data.draw(st.integers(0, 4))):
        position = data.draw(st.integers(0, len(body)))
        body[position:position] = data.draw(_fragments)
    raw = bytes(body)
    try:
        fast = ProjectProfile.model_validate_json(raw)
    except ValidationError:
        return
    strict = _strict(raw)
    assert strict is not None, raw
    assert fast.model_dump_json() == strict.model_dump_json()
    assert fast.model_fields_set == strict.model_fields_set


def test_the_fast_path_writes_the_access_line(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    with caplog.at_level(logging.INFO, logger="api.access"):
        response = client.post("/v1/recommendations", json=VALID_PROFILE, headers={"X-Request-ID": "fast-1"})
    lines = [json.loads(record.getMessage()) for record in caplog.records if record.name == "api.access"]
    assert response.headers["x-request-id"] == "fast-1"
    assert [(line["path"], line["status"], line["request_id"]) for line in lines] == [
        ("/v1/recommendations", 200, "fast-1")
    ]
