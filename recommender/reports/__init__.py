"""Reports a person reads: standalone HTML pages (printable on A4) and Markdown.

Example:
    >>> from recommender import ProjectProfile, default_recommender
    >>> from recommender.reports import render_recommendation
    >>> r = default_recommender()
    >>> rec = r.recommend(ProjectProfile(project_type="evidence_review", timeline_months=4,
    ...     funding="agency_commissioned", relationship="none", staff_stability="moderate"))
    >>> render_recommendation(rec, r.kb, "md").splitlines()[0]
    '# Partnership recommendation'
"""

from recommender.reports.environment import FORMATS, Format, md_escape
from recommender.reports.fields import FieldGuide, FieldGuideBook, load_field_guide
from recommender.reports.recommendation_report import render_recommendation
from recommender.reports.text_input import profile_data_from_text

__all__ = [
    "FORMATS",
    "FieldGuide",
    "FieldGuideBook",
    "Format",
    "load_field_guide",
    "md_escape",
    "profile_data_from_text",
    "render_recommendation",
]
