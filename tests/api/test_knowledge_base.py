"""GET /v1/knowledge-base and the lists below it."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from fastapi.testclient import TestClient

from recommender import KnowledgeBase


def test_the_summary_names_the_version_digest_and_counts(client: TestClient, kb: KnowledgeBase) -> None:
    response = client.get("/v1/knowledge-base")

    assert response.status_code == 200
    assert response.json() == {
        "version": kb.version,
        "title": kb.title,
        "digest": kb.digest,
        "counts": {
            "findings": len(kb.findings),
            "risks": len(kb.risks),
            "mitigations": len(kb.mitigations),
            "rules": len(kb.rules),
        },
    }


def test_every_finding_is_listed_with_its_source_and_statement(client: TestClient, kb: KnowledgeBase) -> None:
    findings = client.get("/v1/knowledge-base/findings").json()

    assert [f["id"] for f in findings] == list(kb.findings)
    assert all({"id", "source", "statement"} <= f.keys() for f in findings)
    first = kb.findings[findings[0]["id"]]
    assert findings[0]["statement"] == first.statement
    assert findings[0]["source"]["section"] == first.source.section


def test_every_finding_a_recommendation_cites_can_be_looked_up(client: TestClient) -> None:
    listed = {f["id"] for f in client.get("/v1/knowledge-base/findings").json()}
    profile = {
        "project_type": "implementation",
        "timeline_months": 36,
        "funding": "external_grant",
        "relationship": "none",
        "staff_stability": "low",
        "proposed_initiation": "researcher",
        "politically_sensitive": True,
    }
    body = client.post("/v1/recommendations", json=profile).json()

    cited = {f for entry in [*body["risks"], *body["mitigations"], *body["trace"]] for f in entry["findings"]}
    assert cited
    assert cited <= listed


@pytest.mark.parametrize(
    ("path", "attribute"), [("risks", "risks"), ("mitigations", "mitigations"), ("rules", "rules")]
)
def test_risks_mitigations_and_rules_are_listed_in_knowledge_base_order(
    client: TestClient, kb: KnowledgeBase, path: str, attribute: str
) -> None:
    response = client.get(f"/v1/knowledge-base/{path}")

    assert response.status_code == 200
    expected = getattr(kb, attribute)
    expected_ids = list(expected) if isinstance(expected, Mapping) else [entry.id for entry in expected]
    assert [entry["id"] for entry in response.json()] == expected_ids
    assert all(entry["findings"] for entry in response.json())
