"""Profiles and partnerships the partnership tests share."""

from __future__ import annotations

from typing import Any

PROFILE: dict[str, Any] = {
    "project_type": "evidence_review",
    "timeline_months": 4,
    "funding": "agency_commissioned",
    "relationship": "none",
    "staff_stability": "moderate",
    "agency_evidence_need": "specific",
}
#: A view that gets other advice than PROFILE's.
OTHER: dict[str, Any] = {
    "project_type": "evaluation",
    "timeline_months": 24,
    "funding": "co_funded",
    "relationship": "prior_project",
    "staff_stability": "moderate",
}
NEW = {
    "title": "Evaluating the housing programme",
    "partners": [{"name": "Agency team", "party": "policy_agency"}, {"name": "University", "party": "researchers"}],
}
