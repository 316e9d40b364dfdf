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
from recommender.profile import ProjectProfile, parse_profile
from recommender.recommendation import Recommendation
from recommender.service import Recommender, default_recommender, recommend

__all__ = [
    "EngineError",
    "FieldProblem",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "ProfileError",
    "ProjectProfile",
    "Recommendation",
    "Recommender",
    "RecommenderError",
    "default_recommender",
    "load_knowledge_base",
    "parse_profile",
    "recommend",
]
