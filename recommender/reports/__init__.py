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

from recommender.kb.fields import FieldGuide, FieldGuideBook, load_field_guide
from recommender.reports.environment import FORMATS, Format, md_escape
from recommender.reports.plan_check_report import render_plan_check
from recommender.reports.recommendation_report import render_recommendation
from recommender.reports.tender_report import render_tender_brief
from recommender.reports.text_input import profile_data_from_text
from recommender.reports.what_if_report import render_what_if

__all__ = [
    "FORMATS",
    "FieldGuide",
    "FieldGuideBook",
    "Format",
    "load_field_guide",
    "md_escape",
    "profile_data_from_text",
    "render_plan_check",
    "render_recommendation",
    "render_tender_brief",
    "render_what_if",
]
