"""Partnership model recommender: which way to set up a research/policy partnership.

Everything an application needs is named here (the HTTP API imports nothing deeper): the
profile and its parsing, the services (:mod:`recommender.application`), the knowledge bases
side by side (:class:`KnowledgeBases`), the vocabulary and the error tree.

Example:
    >>> from recommender import ProjectProfile, recommend
    >>> rec = recommend(ProjectProfile(project_type="evidence_review", timeline_months=4,
    ...     funding="agency_commissioned", relationship="none", staff_stability="moderate",
    ...     agency_evidence_need="specific"))
    >>> rec.initiation_mode.recommended
    'agency'
"""

from recommender.application import recommend_each, recommend_each_json, render
from recommender.errors import (
    MAX_PROBLEMS,
    AccessError,
    EngineError,
    FieldProblem,
    ForbiddenError,
    KnowledgeBaseError,
    NotFoundError,
    ProfileError,
    RecommenderError,
    StorageError,
    UnauthenticatedError,
    UnknownKnowledgeBaseError,
)
from recommender.kb import KnowledgeBase, load_knowledge_base
from recommender.kb.models import Component, Finding, Mitigation, Risk, Rule
from recommender.plan import Plan, PlanCheckRequest, parse_plan_check
from recommender.plan_check import PlanCheck, check_plan
from recommender.profile import ProjectProfile, field_domain, parse_profile, validate_strictly
from recommender.recommendation import Recommendation
from recommender.registry import KnowledgeBases
from recommender.service import Recommender, default_recommender, recommend
from recommender.tender import TenderBrief, tender_brief, tender_brief_and_recommendation
from recommender.text import visible
from recommender.vocabulary import ANSWER_FORMATS, REPORT_FORMATS, AnswerFormat, ReportFormat
from recommender.what_if import WhatIf, WhatIfRequest, parse_what_if_request, what_if

__all__ = [
    "ANSWER_FORMATS",
    "MAX_PROBLEMS",
    "REPORT_FORMATS",
    "AccessError",
    "AnswerFormat",
    "Component",
    "EngineError",
    "FieldProblem",
    "Finding",
    "ForbiddenError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "KnowledgeBases",
    "Mitigation",
    "NotFoundError",
    "Plan",
    "PlanCheck",
    "PlanCheckRequest",
    "ProfileError",
    "ProjectProfile",
    "Recommendation",
    "Recommender",
    "RecommenderError",
    "ReportFormat",
    "Risk",
    "Rule",
    "StorageError",
    "TenderBrief",
    "UnauthenticatedError",
    "UnknownKnowledgeBaseError",
    "WhatIf",
    "WhatIfRequest",
    "check_plan",
    "default_recommender",
    "field_domain",
    "load_knowledge_base",
    "parse_plan_check",
    "parse_profile",
    "parse_what_if_request",
    "recommend",
    "recommend_each",
    "recommend_each_json",
    "render",
    "tender_brief",
    "tender_brief_and_recommendation",
    "validate_strictly",
    "visible",
    "what_if",
]
