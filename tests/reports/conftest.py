"""Profiles and the HTTP client the report tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from recommender import ProjectProfile

HOSTILE_TITLE = "<script>alert(1)</script>"


@pytest.fixture
def hostile_profile() -> ProjectProfile:
    """A busy profile (a proposed mode that is not recommended, agency data) with a hostile title."""
    return ProjectProfile(
        title=HOSTILE_TITLE,
        project_type="evaluation",
        timeline_months=18,
        funding="external_grant",
        relationship="prior_project",
        staff_stability="moderate",
        proposed_initiation="agency",
        uses_agency_data=True,
    )


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """The HTTP app on the shipped knowledge base, started once."""
    with TestClient(create_app(Settings())) as test_client:
        yield test_client
