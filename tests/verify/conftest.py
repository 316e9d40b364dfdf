"""Fixtures for the knowledge-base checks: small, consistent knowledge bases built from rules/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from recommender.kb import default_rules_dir

Data = dict[str, Any]
Edit = Callable[[Data], None]

#: A small knowledge base that passes every check: applied and review work, trust, funding,
#: and the initiation risks. It tests four profile fields, so its space is a few hundred profiles.
#: A fact these rules derive but do not use (trust, which feasible co-production reads in the
#: shipped rules) is not derived, so the small knowledge base has no unused facts either.
SMALL_KB_RULES = (
    "close_collaboration_for_applied_work",
    "independent_work_for_reviews_and_existing_data",
    "independent_work_after_agreed_aims",
    "long_term_relationship_builds_trust",
    "coproduction_gap_relationship",
    "coproduction_hard_without_preconditions",
    "unfunded_work_must_find_funding",
    "agency_initiation_risks_to_agency",
    "researcher_initiation_risks_to_agency",
    "coproduction_risks",
)
FILES = ("knowledge_base", "findings", "risks", "mitigations", "rules")
#: The small knowledge base's modes admit every level (no ``fit``), and it keeps only the claim
#: that holds of any rule set; the defect tests add what they test.
GENERAL_CLAIMS = ("reasons_apart",)


@pytest.fixture
def small_kb(tmp_path: Path) -> Callable[..., Path]:
    """Build the small knowledge base in a temporary folder, with edits, and return the folder.

    ``small_kb(rules=edit)`` calls ``edit`` on the parsed ``rules.yaml`` before the findings,
    risks and mitigations are cut down to those the rules and the manifest cite;
    ``small_kb(findings=edit)`` edits ``findings.yaml`` after that; ``small_kb(manifest=edit)``
    edits ``knowledge_base.yaml`` (for example to declare a claim) before the cut.
    """

    def build(*, rules: Edit | None = None, findings: Edit | None = None, manifest: Edit | None = None) -> Path:
        shipped = default_rules_dir()
        data = {name: yaml.safe_load((shipped / f"{name}.yaml").read_text(encoding="utf-8")) for name in FILES}
        data["rules"]["rules"] = [entry for entry in data["rules"]["rules"] if entry["id"] in SMALL_KB_RULES]
        _derive_only_what_is_used(data["rules"]["rules"])
        # The claims that hold of any coherent rule set; modes that admit every level.
        data["knowledge_base"]["claims"] = [c for c in data["knowledge_base"]["claims"] if c["kind"] in GENERAL_CLAIMS]
        for mode in data["knowledge_base"]["modes"]:
            mode.pop("fit", None)
        if rules is not None:
            rules(data["rules"])
        if manifest is not None:
            manifest(data["knowledge_base"])
        _keep_only_what_is_cited(data)
        if findings is not None:
            findings(data["findings"])
        root = tmp_path / "rules"
        root.mkdir()
        for name, content in data.items():
            (root / f"{name}.yaml").write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
        return root

    return build


def _derive_only_what_is_used(rules: list[Data]) -> None:
    used = {fact for entry in rules for fact in entry.get("when", {}).get("facts", [])}
    for entry in rules:
        then = entry["then"]
        if "derive" in then:
            then["derive"] = [fact for fact in then["derive"] if fact in used]
            if not then["derive"]:
                del then["derive"]


def _keep_only_what_is_cited(data: dict[str, Data]) -> None:
    rules, manifest = data["rules"]["rules"], data["knowledge_base"]
    risk_ids = {risk for rule in rules for risk in rule["then"].get("risks", [])}
    risk_ids |= {claim["risk"] for claim in manifest["claims"] if "risk" in claim}
    risks = [risk for risk in data["risks"]["risks"] if risk["id"] in risk_ids]
    mitigation_ids = {m for rule in rules for key in ("mitigations", "steps") for m in rule["then"].get(key, [])}
    mitigation_ids |= {m for risk in risks for m in risk["mitigations"]}
    mitigations = [m for m in data["mitigations"]["mitigations"] if m["id"] in mitigation_ids]
    fits = [mode["fit"] for mode in manifest["modes"] if "fit" in mode]
    citing = [*rules, *risks, *mitigations, *manifest["modes"], *manifest["levels"], *manifest["claims"], *fits]
    citing += [*manifest["success"], *manifest["limits"], manifest["margin"]]
    finding_ids = {f for entry in citing for f in entry["findings"]}
    finding_ids |= {*manifest["tie_break_findings"], *manifest["monotone"]["findings"]}
    data["risks"]["risks"] = risks
    data["mitigations"]["mitigations"] = mitigations
    data["findings"]["findings"] = [f for f in data["findings"]["findings"] if f["id"] in finding_ids]
