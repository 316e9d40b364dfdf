"""The HTML writer: a standalone page (its stylesheet inline, no script) laid out for screen and A4 print."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from recommender.reports import charts
from recommender.reports.document import Continuum, Document, Gauge

if TYPE_CHECKING:  # jinja2 is imported with the first page written: the library's start does not need it
    from jinja2 import Environment

_KIND_LABELS = {
    "recommendation": "partnership recommendation",
    "plan_check": "plan check",
    "tender_brief": "tender brief",
    "what_if": "what if",
}


class _Geometry:
    """What the template draws for chart data (the geometry is computed in :mod:`charts`)."""

    @staticmethod
    def continuum(block: Continuum) -> Any:
        stops = [(str(i), s.label) for i, s in enumerate(block.stops)]
        recommended = next(str(i) for i, s in enumerate(block.stops) if s.recommended)
        geometry = charts.continuum(stops, recommended)
        return _WithRecommended(geometry, next(s.label for s in block.stops if s.recommended))

    @staticmethod
    def gauge(block: Gauge) -> charts.Gauge:
        return charts.gauge(block.score, block.thresholds)


class _WithRecommended:
    def __init__(self, geometry: charts.Continuum, recommended: str) -> None:
        self._geometry = geometry
        self.recommended = recommended

    def __getattr__(self, name: str) -> Any:
        return getattr(self._geometry, name)


@functools.cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("recommender.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["geometry"] = _Geometry()
    return env


def write_html(document: Document) -> str:
    """``document`` as a standalone HTML page; every text is escaped."""
    template = _environment().get_template("document.html.j2")
    return template.render(
        doc=document, kb={"version": document.metadata.kb_version}, kind_label=_KIND_LABELS.get(document.kind, "report")
    )
