"""Verification of the knowledge base: checks over the whole profile space, and traceability.

Example:
    >>> from recommender.verify import check_knowledge_base
    >>> check_knowledge_base().ok  # doctest: +SKIP
    True
"""

from recommender.verify.check import check_knowledge_base
from recommender.verify.matrix import traceability_matrix
from recommender.verify.report import CheckReport

__all__ = ["CheckReport", "check_knowledge_base", "traceability_matrix"]
