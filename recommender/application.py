"""The application services: what the HTTP API, the web form and the command line all call.

Each entry point parses its input (:func:`~recommender.profile.parse_profile`,
:func:`~recommender.plan.parse_plan_check`, :func:`~recommender.what_if.parse_what_if_request`),
calls one service with the recommender it answers with (a required keyword: there is no
process-wide fallback), and delivers the answer as JSON or as the report :func:`render` makes:

* a recommendation: ``recommender.recommend(profile)`` (:meth:`~recommender.service.Recommender.recommend`);
* a plan check: :func:`~recommender.plan_check.check_plan`;
* a tender brief: :func:`~recommender.tender.tender_brief_and_recommendation` (the brief and the
  recommendation its report lists risks from, from one evaluation);
* a what-if analysis: :func:`~recommender.what_if.what_if`;
* a portfolio: :func:`recommend_each`;
* a report a person reads, in any format: :func:`render`, the one call into ``recommender.reports``.

Example:
    >>> from recommender import ProjectProfile, default_recommender
    >>> r = default_recommender()
    >>> rec = r.recommend(ProjectProfile(project_type="evidence_review", timeline_months=4,
    ...     funding="agency_commissioned", relationship="none", staff_stability="moderate"))
    >>> render(rec, "md", recommender=r).content.decode().splitlines()[0]
    '# Partnership recommendation'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from recommender import reports
from recommender.errors import ProfileError
from recommender.plan_check import PlanCheck
from recommender.profile import ProjectProfile, parse_profile
from recommender.recommendation import Recommendation
from recommender.service import Recommender
from recommender.tender import TenderBrief
from recommender.vocabulary import ReportFormat
from recommender.what_if import WhatIf

T = TypeVar("T")

#: What :func:`render` turns into a report.
Answer = Recommendation | PlanCheck | TenderBrief | WhatIf


def render(
    answer: Answer,
    fmt: ReportFormat | str,
    *,
    recommender: Recommender,
    recommendation: Recommendation | None = None,
    links: Mapping[str, str] | None = None,
) -> reports.Rendered:
    """The report on ``answer`` in ``fmt`` (any of :data:`recommender.reports.FORMATS`: a standalone
    HTML page, Markdown, a Word document or a PDF), citing the knowledge base of ``recommender``,
    with ``links`` to other pages (the form's): the bytes, their media type and a file name.

    A tender brief's report also lists the risks of ``recommendation`` (the one the brief rests
    on, as :func:`~recommender.tender.tender_brief_and_recommendation` returns it).

    Raises:
        ValueError: ``fmt`` is not a report format.
    """
    reports.check_format(fmt)
    document = reports.build_report(answer, recommender.kb, recommendation=recommendation, links=links)
    return reports.render(document, fmt)


def recommend_each_json(items: Iterable[Any], *, recommender: Recommender) -> list[bytes | ProfileError]:
    """:func:`recommend_each` with each recommendation as its JSON (UTF-8, as
    :meth:`Recommender.recommend_json` gives it: the same bytes, without building the answers).

    Example:
        >>> from recommender import default_recommender
        >>> [type(x).__name__ for x in recommend_each_json([{"project_type": "x"}], recommender=default_recommender())]
        ['ProfileError']
    """
    return _each(items, recommender.recommend_json, recommender=recommender)


def recommend_each(items: Iterable[Any], *, recommender: Recommender) -> list[Recommendation | ProfileError]:
    """A recommendation for each item of a portfolio, in order, or that item's own :class:`ProfileError`:
    one bad item never fails the others.

    Example:
        >>> from recommender import default_recommender
        >>> [type(x).__name__ for x in recommend_each([{"project_type": "x"}], recommender=default_recommender())]
        ['ProfileError']
    """
    return _each(items, recommender.recommend, recommender=recommender)


def _each(
    items: Iterable[Any], answer: Callable[[ProjectProfile], T], *, recommender: Recommender
) -> list[T | ProfileError]:
    """``answer`` of each item validated as a profile, in order, or that item's own :class:`ProfileError`."""
    results: list[T | ProfileError] = []
    with recommender.bulk():  # many evaluations: every single request takes the engine first
        for item in items:
            try:
                results.append(answer(parse_profile(item)))
            except ProfileError as exc:
                results.append(exc)
    return results
