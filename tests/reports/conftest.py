"""Profiles the report tests share."""

from __future__ import annotations

import pytest

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
