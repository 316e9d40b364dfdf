"""GET /healthz and /readyz."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_recommender
from api.routes.health import PROBE
from api.settings import Settings
from recommender import EngineError, KnowledgeBase, Recommender
from recommender.engine.base import Decide, Evaluator, Scalar
from recommender.engine.durable_adapter import DurableEvaluator
from tests.api.support import assert_problem


class BrokenEvaluator:
    def evaluate(self, profile: Mapping[str, Scalar], decide: Decide) -> list[str]:
        raise EngineError("the engine is broken")


def test_healthz_answers_while_the_process_runs(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_once_the_engine_answers_the_probe(client: TestClient, kb: KnowledgeBase) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "version": kb.version, "digest": kb.digest}


def test_readyz_is_a_503_problem_when_the_engine_fails_the_probe(kb: KnowledgeBase) -> None:
    app = create_app(Settings())
    app.dependency_overrides[get_recommender] = lambda: Recommender(kb, evaluator=BrokenEvaluator())

    with TestClient(app) as client:
        problem = assert_problem(client.get("/readyz"), 503)
        assert client.get("/healthz").status_code == 200

    assert problem["type"].endswith("not-ready")


class FailingAfterWarmUp:
    """The real engine until ``broken`` is set, then an engine error on every evaluation."""

    def __init__(self, inner: Evaluator) -> None:
        self.inner = inner
        self.broken = False

    def evaluate(self, profile: Mapping[str, Scalar], decide: Decide) -> list[str]:
        if self.broken:
            raise EngineError("the engine broke after warm-up")
        return self.inner.evaluate(profile, decide)


def test_readyz_asks_the_engine_every_time_even_when_the_probe_answer_is_cached(kb: KnowledgeBase) -> None:
    app = create_app(Settings())
    evaluator = FailingAfterWarmUp(DurableEvaluator(kb))
    recommender = Recommender(kb, evaluator=evaluator)  # the answer cache is on
    app.dependency_overrides[get_recommender] = lambda: recommender

    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        recommender.recommend(PROBE)  # the probe's answer is now cached
        assert client.get("/readyz").status_code == 200
        evaluator.broken = True
        problem = assert_problem(client.get("/readyz"), 503)
        assert client.get("/healthz").status_code == 200

    assert problem["type"].endswith("not-ready")


def test_every_route_that_needs_the_knowledge_base_is_a_503_problem_before_it_is_loaded() -> None:
    app: FastAPI = create_app(Settings())
    client = TestClient(app)  # not entered: the lifespan has not run, so nothing is loaded

    assert client.get("/healthz").status_code == 200
    for path in ("/readyz", "/v1/knowledge-base", "/v1/knowledge-base/findings"):
        assert assert_problem(client.get(path), 503)["type"].endswith("not-ready")
