"""Request ids, the access log, CORS and the settings."""

from __future__ import annotations

import json
import logging
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.support import VALID_PROFILE, assert_problem


def test_a_callers_request_id_is_echoed(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "tender-42.a"})

    assert response.headers["x-request-id"] == "tender-42.a"


def test_a_request_id_is_generated_when_none_is_given(client: TestClient) -> None:
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/healthz").headers["x-request-id"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.parametrize("given", ["", "has spaces", "x" * 129, 'quote"d', "<script>"])
def test_an_unusable_request_id_is_replaced(client: TestClient, given: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": given})

    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


def test_a_problem_carries_the_request_id(client: TestClient) -> None:
    response = client.get("/nowhere", headers={"X-Request-ID": "trace-7"})

    assert response.headers["x-request-id"] == "trace-7"
    assert assert_problem(response, 404)["request_id"] == "trace-7"


def test_every_request_writes_one_structured_access_line(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="api.access"):
        client.post("/v1/recommendations", json=VALID_PROFILE, headers={"X-Request-ID": "log-1"})
        client.get("/missing", headers={"X-Request-ID": "log-2"})

    lines = [json.loads(record.getMessage()) for record in caplog.records if record.name == "api.access"]
    assert [(line["method"], line["path"], line["status"], line["request_id"]) for line in lines] == [
        ("POST", "/v1/recommendations", 200, "log-1"),
        ("GET", "/missing", 404, "log-2"),
    ]
    assert all(line["event"] == "access" and line["duration_ms"] >= 0 for line in lines)


def test_cors_origins_come_from_the_settings() -> None:
    app = create_app(Settings(cors_origins=["https://tools.example.org"]))

    with TestClient(app) as client:
        allowed = client.get("/healthz", headers={"Origin": "https://tools.example.org"})
        other = client.get("/healthz", headers={"Origin": "https://elsewhere.example.org"})

    assert allowed.headers["access-control-allow-origin"] == "https://tools.example.org"
    assert "x-request-id" in allowed.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-origin" not in other.headers


def test_no_cors_headers_without_configured_origins(client: TestClient) -> None:
    response = client.get("/healthz", headers={"Origin": "https://tools.example.org"})

    assert "access-control-allow-origin" not in response.headers


def test_settings_are_read_from_partnership_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNERSHIP_PORT", "9100")
    monkeypatch.setenv("PARTNERSHIP_WORKERS", "4")
    monkeypatch.setenv("PARTNERSHIP_MAX_BODY_BYTES", "4096")
    monkeypatch.setenv("PARTNERSHIP_LOG_LEVEL", "warning")
    monkeypatch.setenv("PARTNERSHIP_CORS_ORIGINS", '["https://a.example.org"]')
    monkeypatch.setenv("PARTNERSHIP_RULES_DIR", "/srv/rules")

    settings = Settings()

    assert (settings.port, settings.workers, settings.max_body_bytes, settings.log_level) == (9100, 4, 4096, "warning")
    assert settings.cors_origins == ["https://a.example.org"]
    assert str(settings.rules_dir) == "/srv/rules"


def test_the_body_limit_is_configurable() -> None:
    app = create_app(Settings(max_body_bytes=2048))
    padded = {**VALID_PROFILE, "title": "x" * 180}

    with TestClient(app) as client:
        assert client.post("/v1/recommendations", json=padded).status_code == 200
        batch = {"profiles": [padded] * 20}
        problem = assert_problem(client.post("/v1/recommendations/batch", json=batch), 413)

    assert "2048 bytes" in problem["detail"]
