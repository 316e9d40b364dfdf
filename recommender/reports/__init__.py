"""Reports as typed documents, written in any format: HTML (printable on A4), Markdown, Word, PDF.

:func:`build_report` builds the :class:`Document` of an answer (a recommendation, plan check,
tender brief or what-if); :func:`render` writes a document in a format of :data:`FORMATS` and
returns the bytes, their media type and a file name. The ``render_*`` functions do both for the
text formats.

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
from recommender.reports.build import (
    build_report,
    render_plan_check,
    render_recommendation,
    render_tender_brief,
    render_what_if,
)
from recommender.reports.divergence_report import build_divergence
from recommender.reports.document import Document
from recommender.reports.formats import FORMATS, Format, FormatName, Rendered, check_format, render
from recommender.reports.plan_check_report import build_plan_check
from recommender.reports.recommendation_report import build_recommendation
from recommender.reports.tender_report import build_tender_brief
from recommender.reports.text_input import profile_data_from_text
from recommender.reports.what_if_report import build_what_if
from recommender.reports.writers.markdown import md_escape

__all__ = [
    "FORMATS",
    "Document",
    "FieldGuide",
    "FieldGuideBook",
    "Format",
    "FormatName",
    "Rendered",
    "build_divergence",
    "build_plan_check",
    "build_recommendation",
    "build_report",
    "build_tender_brief",
    "build_what_if",
    "check_format",
    "load_field_guide",
    "md_escape",
    "profile_data_from_text",
    "render",
    "render_plan_check",
    "render_recommendation",
    "render_tender_brief",
    "render_what_if",
]
