"""Example profiles for the OpenAPI documentation: one per project type."""

from __future__ import annotations

from typing import Any

PROFILE_EXAMPLES: dict[str, dict[str, Any]] = {
    "evidence_review": {
        "summary": "A rapid evidence review the agency commissions",
        "value": {
            "title": "Rapid review of falls prevention",
            "project_type": "evidence_review",
            "timeline_months": 4,
            "funding": "agency_commissioned",
            "relationship": "none",
            "staff_stability": "moderate",
            "agency_evidence_need": "specific",
        },
    },
    "data_analysis": {
        "summary": "An analysis of the agency's linked data",
        "value": {
            "project_type": "data_analysis",
            "timeline_months": 9,
            "funding": "external_grant",
            "relationship": "prior_project",
            "staff_stability": "moderate",
            "uses_agency_data": True,
        },
    },
    "evaluation": {
        "summary": "A co-funded evaluation between long-standing partners",
        "value": {
            "project_type": "evaluation",
            "timeline_months": 24,
            "funding": "co_funded",
            "relationship": "long_term",
            "staff_stability": "high",
        },
    },
    "implementation": {
        "summary": "An implementation study proposed by researchers",
        "value": {
            "project_type": "implementation",
            "timeline_months": 36,
            "funding": "external_grant",
            "relationship": "prior_project",
            "staff_stability": "low",
            "proposed_initiation": "researcher",
            "politically_sensitive": True,
        },
    },
    "intervention": {
        "summary": "An unfunded intervention study with a new partner",
        "value": {
            "project_type": "intervention",
            "timeline_months": 18,
            "funding": "unfunded",
            "relationship": "none",
            "staff_stability": "high",
            "agency_evidence_need": "none",
        },
    },
}

BATCH_EXAMPLES: dict[str, dict[str, Any]] = {
    "portfolio": {
        "summary": "A portfolio with one project of each type",
        "value": {"profiles": [example["value"] for example in PROFILE_EXAMPLES.values()]},
    },
}
