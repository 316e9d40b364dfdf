"""The one registry of report formats: the HTTP negotiation, the form's pages and the CLI all read it.

Example:
    >>> [(f.name, f.media_type) for f in FORMATS.values()][-1]
    ('pdf', 'application/pdf')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import get_args

from recommender.reports.document import Document
from recommender.reports.writers.docx import write_docx
from recommender.reports.writers.html import write_html
from recommender.reports.writers.markdown import write_markdown
from recommender.reports.writers.pdf import write_pdf
from recommender.vocabulary import ReportFormat

#: A report format's name, as ``?format=`` and ``--format`` take it (the vocabulary's).
FormatName = ReportFormat


@dataclass(frozen=True)
class Format:
    """A report format: its name (``?format=``), label, media type, file extension and writer."""

    name: FormatName
    label: str
    media_type: str
    extension: str
    binary: bool
    write: Callable[[Document], bytes]

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` of its bytes (text formats are UTF-8)."""
        return self.media_type if self.binary else f"{self.media_type}; charset=utf-8"


@dataclass(frozen=True)
class Rendered:
    """A document written in one format: the bytes, their media type and a file name to save them as."""

    content: bytes
    format: Format
    filename: str

    @property
    def media_type(self) -> str:
        return self.format.content_type

    @property
    def text(self) -> str:
        """The content as text (a text format only)."""
        if self.format.binary:
            raise ValueError(f"{self.format.name} is a binary format")
        return self.content.decode("utf-8")


def _utf8(write: Callable[[Document], str]) -> Callable[[Document], bytes]:
    return lambda document: write(document).encode("utf-8")


FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("html", "Web page", "text/html", "html", False, _utf8(write_html)),
        Format("md", "Markdown", "text/markdown", "md", False, _utf8(write_markdown)),
        Format(
            "docx",
            "Word",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            True,
            write_docx,
        ),
        Format("pdf", "PDF", "application/pdf", "pdf", True, write_pdf),
    )
}
assert tuple(FORMATS) == get_args(FormatName), "the registry and the format names agree"


def check_format(fmt: str) -> Format:
    """The format named ``fmt``, else ``ValueError`` naming the ones there are."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {list(FORMATS)}")
    return FORMATS[fmt]


def render(document: Document, fmt: str) -> Rendered:
    """``document`` written as ``fmt`` (``html``, ``md``, ``docx`` or ``pdf``).

    Example:
        >>> from recommender import ProjectProfile, default_recommender
        >>> from recommender.reports import build_report
        >>> r = default_recommender()
        >>> rec = r.recommend(ProjectProfile(project_type="evaluation", timeline_months=18,
        ...     funding="co_funded", relationship="long_term", staff_stability="high"))
        >>> out = render(build_report(rec, r.kb), "docx")
        >>> out.media_type.endswith("wordprocessingml.document"), out.filename
        (True, 'recommendation.docx')
    """
    chosen = check_format(fmt)
    return Rendered(chosen.write(document), chosen, f"{document.slug}.{chosen.extension}")
