"""POST /v1/tender-briefs."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_recommender
from api.pages import profile_query
from api.settings import Settings
from recommender import KnowledgeBase, Recommender, parse_profile, tender_brief
from recommender.engine.durable_adapter import DurableEvaluator
from recommender.reports import render_tender_brief
from recommender.tender import tender_brief_and_recommendation
from tests.api.support import VALID_PROFILE, assert_problem, fields_named
from tests.evaluators import CountingEvaluator


def test_a_tender_brief_is_the_library_answer_as_json(client: TestClient, recommender: Recommender) -> None:
    response = client.post("/v1/tender-briefs", json=VALID_PROFILE)

    assert response.status_code == 200, response.text
    assert response.json() == tender_brief(parse_profile(VALID_PROFILE), recommender=recommender).model_dump(
        mode="json"
    )
    body = response.json()
    assert {"initiation_mode", "collaboration_level", "clauses", "questions", "commitments"} <= body.keys()


def test_an_invalid_profile_is_a_problem_naming_each_field(client: TestClient) -> None:
    bad = {**VALID_PROFILE, "timeline_months": 500, "budget": 3}

    problem = assert_problem(client.post("/v1/tender-briefs", json=bad), 422)

    assert fields_named(problem) == {"timeline_months", "budget"}


@pytest.mark.parametrize("fmt", ["json", "html", "md"])
def test_a_tender_brief_and_its_report_take_one_evaluation(kb: KnowledgeBase, fmt: str) -> None:
    counting = CountingEvaluator(DurableEvaluator(kb))
    uncached = Recommender(kb, counting, cache_size=0)  # every recommend() would reach the engine
    app = create_app(Settings())
    app.dependency_overrides[get_recommender] = lambda: uncached
    profile = parse_profile(VALID_PROFILE)

    with TestClient(app) as client:
        posted = client.post(f"/v1/tender-briefs?format={fmt}", json=VALID_PROFILE)
        assert posted.status_code == 200, posted.text
        assert counting.calls == 1
        page = client.get(f"/tender-brief?{profile_query(profile)}&format={fmt}")
        assert page.status_code == 200, page.text
        assert counting.calls == 2

    brief, recommendation = tender_brief_and_recommendation(profile, recommender=uncached)
    assert counting.calls == 3
    assert recommendation == uncached.recommend(profile)
    assert brief == tender_brief(profile, recommender=uncached)
    if fmt != "json":
        rendered = render_tender_brief(brief, kb, fmt, recommendation=recommendation)
        assert all(risk.title in rendered for risk in recommendation.risks)
