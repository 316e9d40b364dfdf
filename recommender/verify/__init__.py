"""Verification of the knowledge base: checks over the whole profile space, diffs between editions,
and traceability.

Example:
    >>> from recommender.verify import check_knowledge_base
    >>> check_knowledge_base().ok  # doctest: +SKIP
    True
"""

from recommender.verify.check import check_knowledge_base
from recommender.verify.diff import DiffReport, diff_knowledge_bases
from recommender.verify.matrix import traceability_matrix
from recommender.verify.report import CheckReport

__all__ = ["CheckReport", "DiffReport", "check_knowledge_base", "diff_knowledge_bases", "traceability_matrix"]
