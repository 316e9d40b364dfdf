"""Partnership model recommender: which way to set up a research/policy partnership.

Example:
    >>> from recommender import ProjectProfile, recommend
    >>> rec = recommend(ProjectProfile(project_type="evidence_review", timeline_months=4,
    ...     funding="agency_commissioned", relationship="none", staff_stability="moderate",
    ...     agency_evidence_need="specific"))
    >>> rec.initiation_mode.recommended
    'agency'
"""

from recommender.errors import EngineError, FieldProblem, KnowledgeBaseError, ProfileError, RecommenderError
from recommender.kb import KnowledgeBase, load_knowledge_base
from recommender.plan_check import PlanCheck, check_plan
from recommender.profile import ProjectProfile, parse_profile
from recommender.recommendation import Recommendation
from recommender.service import Recommender, default_recommender, recommend
from recommender.tender import TenderBrief, tender_brief
from recommender.what_if import WhatIf, what_if

__all__ = [
    "EngineError",
    "FieldProblem",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "PlanCheck",
    "ProfileError",
    "ProjectProfile",
    "Recommendation",
    "Recommender",
    "RecommenderError",
    "TenderBrief",
    "WhatIf",
    "check_plan",
    "default_recommender",
    "load_knowledge_base",
    "parse_profile",
    "recommend",
    "tender_brief",
    "what_if",
]
