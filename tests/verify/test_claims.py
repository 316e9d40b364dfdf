"""Each claim kind of ``knowledge_base.yaml``, planted in a small knowledge base that breaks it:
``kb check`` must report the violation (and only that), so that 0 violations on the shipped
knowledge base means the claims hold over the whole space."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from recommender.assemble import Assembler
from recommender.kb import load_knowledge_base
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.profile import ProjectProfile
from recommender.recommendation import Recommendation
from recommender.verify import check_knowledge_base
from tests.verify.support import kb_check, rule
from tests.verify.test_check import only_problems

Data = dict[str, Any]


def _claim(kind: str, **fields: Any) -> Callable[[Data], None]:
    def add(manifest: Data) -> None:
        manifest["claims"].append(
            {
                "id": f"planted_{kind}",
                "kind": kind,
                "text": "A planted claim.",
                "findings": ["collab.continuum"],
                **fields,
            }
        )

    return add


def _violations(report: Data) -> set[str]:
    return {violation["claim"] for violation in report["claim_violations"]}


def test_the_claims_of_the_shipped_knowledge_base_are_declared_with_findings() -> None:
    kb = load_knowledge_base()
    assert {claim.kind for claim in kb.claims} == {
        "level_fits_initiation",
        "level_at_least",
        "reasons_apart",
        "raises_risk",
        "score_no_higher",
    }
    assert all(claim.findings for claim in kb.claims)


def test_a_level_no_mode_fits_violates_level_fits_initiation(small_kb: Callable[..., Path]) -> None:
    def only_co_production(manifest: Data) -> None:
        _claim("level_fits_initiation")(manifest)
        for mode in manifest["modes"]:
            mode["fit"] = {"levels": ["co_production"], "text": "Planted.", "findings": ["collab.continuum"]}

    code, report = kb_check("--partial", "--rules", str(small_kb(manifest=only_co_production)))

    assert code == 1
    only_problems(report, "claim_violations")
    assert _violations(report) == {"planted_level_fits_initiation"}


def test_a_profile_left_transactional_violates_a_consultative_floor(small_kb: Callable[..., Path]) -> None:
    # The small knowledge base has no rule that sets a floor for reviews: they stay transactional.
    code, report = kb_check(
        "--partial", "--rules", str(small_kb(manifest=_claim("level_at_least", level="consultative")))
    )

    assert code == 1
    only_problems(report, "claim_violations")
    found = report["claim_violations"]
    assert {v["profile"]["project_type"] for v in found} == {"evidence_review", "data_analysis"}
    assert all(v["found"] == "level transactional" for v in found)


def test_a_risk_a_rule_no_longer_raises_violates_raises_risk(small_kb: Callable[..., Path]) -> None:
    def stop_raising(data: Data) -> None:
        unfunded = rule(data, "unfunded_work_must_find_funding")
        unfunded["then"] = {"mitigations": ["secure_funding"]}

    claim = _claim("raises_risk", when={"funding": "unfunded"}, risk="shared.no_funding")
    code, report = kb_check("--partial", "--rules", str(small_kb(rules=stop_raising, manifest=claim)))

    assert code == 1
    only_problems(report, "claim_violations")
    assert {v["profile"]["funding"] for v in report["claim_violations"]} == {"unfunded"}


def test_a_score_a_value_raises_violates_score_no_higher(small_kb: Callable[..., Path]) -> None:
    # A long-term relationship raises co-production: planted as if it must not.
    claim = _claim("score_no_higher", mode="co_produced", field="relationship", value="long_term", than="none")
    code, report = kb_check("--partial", "--rules", str(small_kb(manifest=claim)))

    assert code == 1
    only_problems(report, "claim_violations")
    assert {v["profile"]["relationship"] for v in report["claim_violations"]} == {"long_term"}


class _ReasonsMixedUp(Assembler):
    """A wrong assembler: it lists the reasons against a mode among the reasons for it."""

    def build(self, profile: ProjectProfile, fired: Any) -> Recommendation:
        answer = super().build(profile, fired)
        ranking = [
            entry.model_copy(update={"reasons": [*entry.reasons, *entry.reasons_against], "reasons_against": []})
            for entry in answer.initiation_mode.ranking
        ]
        initiation = answer.initiation_mode.model_copy(update={"ranking": ranking})
        return answer.model_copy(update={"initiation_mode": initiation})


def test_reasons_against_listed_as_reasons_for_violate_reasons_apart(small_kb: Callable[..., Path]) -> None:
    root = small_kb()
    kb: KnowledgeBase = load_knowledge_base(root, partial=True)

    report = check_knowledge_base(root, workers=1, partial=True, assembler=_ReasonsMixedUp(kb)).to_dict()

    assert {v["claim"] for v in report["claim_violations"]} == {"reasons_kept_apart"}
    # The small knowledge base scores reviews against co-production: those reasons were moved.
    assert all("independent_work_for_reviews_and_existing_data" in v["found"] for v in report["claim_violations"])


def test_a_scored_rule_without_a_calibration_is_reported(small_kb: Callable[..., Path]) -> None:
    def forget(data: Data) -> None:
        rule(data, "long_term_relationship_builds_trust").pop("calibration")

    code, report = kb_check("--partial", "--rules", str(small_kb(rules=forget)))

    assert code == 1
    only_problems(report, "uncalibrated")
    assert [u["rule"] for u in report["uncalibrated"]] == ["long_term_relationship_builds_trust"]


def test_a_finding_that_does_not_say_who_said_it_is_reported(small_kb: Callable[..., Path]) -> None:
    def anonymous(data: Data) -> None:
        data["findings"][0].pop("said_by")

    root = small_kb(findings=anonymous)
    code, report = kb_check("--partial", "--rules", str(root))

    assert code == 1
    only_problems(report, "unattributed_findings")
    assert len(report["unattributed_findings"]) == 1
