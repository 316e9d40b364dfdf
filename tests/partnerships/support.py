"""Profiles and partnerships the partnership tests share."""

from __future__ import annotations

import shutil
from pathlib import Path
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

ROOT = Path(__file__).resolve().parents[2]
#: The shipped knowledge base's scores for a tender (see ``changed_knowledge_base``).
TENDER_SCORES = "scores: {agency: 4}\n      mitigations: [publication_policy]"


def changed_knowledge_base(target: Path, version: str) -> Path:
    """A copy of the shipped knowledge base at ``target`` under another ``version``, in which a
    tender favours researcher initiation strongly: PROFILE (a tender) gets other advice there."""
    shutil.copytree(ROOT / "rules", target)
    manifest = target / "knowledge_base.yaml"
    shipped = manifest.read_text(encoding="utf-8")
    assert 'version: "2026.12.1"' in shipped, "the shipped edition moved: update this helper"
    manifest.write_text(shipped.replace('version: "2026.12.1"', f'version: "{version}"'), encoding="utf-8")
    rules = target / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert text.count(TENDER_SCORES) == 1, "the tender rule moved: update this helper"
    rules.write_text(
        text.replace(TENDER_SCORES, TENDER_SCORES.replace("agency: 4", "researcher: 30")), encoding="utf-8"
    )
    return target
