"""Long work (batches, what-if analyses) runs in one lane per worker: one piece at a time, so the
event loop shares the processor with one thread at most (``api/lanes.py``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

import api.routes.recommendations
import api.routes.what_if
from api.app import create_app
from api.settings import Settings
from recommender import recommend_each_json, what_if
from tests.api.support import VALID_PROFILE


class _Overlap:
    """Counts how many calls of a function run at the same moment."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.calls = 0
        self._lock = threading.Lock()

    def wrap(self, function: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.running += 1
                self.calls += 1
                self.most = max(self.most, self.running)
            try:
                time.sleep(0.05)  # long enough for the others to arrive meanwhile
                return function(*args, **kwargs)
            finally:
                with self._lock:
                    self.running -= 1

        return wrapped


@pytest.fixture
def lane_client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as client:
        yield client


def _concurrently(requests: list[Any]) -> list[int]:
    with ThreadPoolExecutor(len(requests)) as pool:
        return [response.status_code for response in pool.map(lambda send: send(), requests)]


def test_batches_and_what_ifs_run_one_at_a_time(lane_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    overlap = _Overlap()
    monkeypatch.setattr(api.routes.recommendations, "recommend_each_json", overlap.wrap(recommend_each_json))
    monkeypatch.setattr(api.routes.what_if, "what_if", overlap.wrap(what_if))
    batch = {"profiles": [VALID_PROFILE] * 3}
    requests = [lambda: lane_client.post("/v1/recommendations/batch", json=batch)] * 3
    requests += [lambda: lane_client.post("/v1/what-if", json=VALID_PROFILE)] * 3
    assert _concurrently(requests) == [200] * 6
    assert (overlap.calls, overlap.most) == (6, 1)


def test_single_requests_are_not_held_behind_the_lane(lane_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    entered, release = threading.Event(), threading.Event()
    original = what_if

    def slow_what_if(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(api.routes.what_if, "what_if", slow_what_if)
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(lambda: lane_client.post("/v1/what-if", json=VALID_PROFILE))
        assert entered.wait(10)  # the what-if holds the lane
        single = lane_client.post("/v1/recommendations", json=VALID_PROFILE)
        assert single.status_code == 200
        assert not held.done()
        release.set()
        assert held.result().status_code == 200
