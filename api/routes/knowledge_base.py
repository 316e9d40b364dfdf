"""The knowledge base behind the recommendations, so that tools can render citations."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import RecommenderDep
from api.examples import json_only_examples
from api.negotiation import JsonOnlyDep
from api.openapi import problems
from api.schemas import Counts, KnowledgeBaseSummary
from recommender import Finding, KnowledgeBase, Mitigation, Risk, Rule

router = APIRouter(
    prefix="/v1/knowledge-base",
    tags=["knowledge base"],
    responses=problems(406, 422, 503, examples=json_only_examples()),
    dependencies=[JsonOnlyDep],
)


def counts_of(kb: KnowledgeBase) -> Counts:
    """How many entries of each kind ``kb`` holds."""
    return Counts(findings=len(kb.findings), risks=len(kb.risks), mitigations=len(kb.mitigations), rules=len(kb.rules))


@router.get("", operation_id="getKnowledgeBase")
def get_knowledge_base(recommender: RecommenderDep) -> KnowledgeBaseSummary:
    """The knowledge base's version, its content digest and how many entries of each kind it holds."""
    kb = recommender.kb
    return KnowledgeBaseSummary(version=kb.version, title=kb.title, digest=kb.digest, counts=counts_of(kb))


@router.get("/findings", operation_id="listFindings")
def list_findings(recommender: RecommenderDep) -> list[Finding]:
    """Every finding of the study that a recommendation can cite, with where in the study it comes from."""
    return list(recommender.kb.findings.values())


@router.get("/risks", operation_id="listRisks")
def list_risks(recommender: RecommenderDep) -> list[Risk]:
    """Every risk a recommendation can raise, with its findings and mitigations."""
    return list(recommender.kb.risks.values())


@router.get("/mitigations", operation_id="listMitigations")
def list_mitigations(recommender: RecommenderDep) -> list[Mitigation]:
    """Every mitigation a recommendation can propose, with its findings."""
    return list(recommender.kb.mitigations.values())


@router.get("/rules", operation_id="listRules")
def list_rules(recommender: RecommenderDep) -> list[Rule]:
    """Every inference rule, in evaluation order: conditions, conclusions and the findings behind them."""
    return list(recommender.kb.rules)
