"""The two jinja2 environments of the reports and what every report shares: escaping and citations.

HTML is autoescaped. Markdown has no autoescaping of its own, so every value a template
prints is passed through :func:`md_escape` unless the template marks it as deliberately
formatted (the ``code`` filter); text a user typed can therefore never become markup, links
or raw HTML in either format.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Source
from recommender.vocabulary import REPORT_FORMATS, ReportFormat

Format = ReportFormat
FORMATS: tuple[str, ...] = REPORT_FORMATS

#: Characters that can start markup inside a Markdown line (emphasis, code, links, HTML, tables).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|#~!{}])")
#: What would start a list, a heading underline or a block quote at the start of a line.
_MD_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+=])(?=\s|$|[-=]+$)")


def md_escape(value: object) -> str:
    """``value`` as literal Markdown text: markup characters backslash-escaped, line breaks made spaces.

    Example:
        >>> md_escape("<script>alert(1)</script> *hi*")
        '\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\*hi\\\\*'
    """
    text = " ".join(str(value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def _md_finalize(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return md_escape(value)


def _md_code(value: object) -> Markup:
    """An identifier as a code span (ids are ``[a-z0-9_.]`` only, so they cannot close it)."""
    return Markup(f"`{str(value).replace('`', '')}`")


@functools.cache
def environment(fmt: Format) -> Environment:
    """The environment for ``fmt``: autoescaping HTML, or Markdown escaping every printed value."""
    loader = PackageLoader("recommender.reports", "templates")
    if fmt == "html":
        return Environment(
            loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
        )
    env = Environment(
        loader=loader,
        autoescape=False,
        undefined=StrictUndefined,
        finalize=_md_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["code"] = _md_code
    return env


def check_format(fmt: str) -> Format:
    """``fmt`` if it is a report format, else ``ValueError`` naming the ones there are."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {list(FORMATS)}")
    return fmt  # type: ignore[return-value]


@dataclass(frozen=True)
class Cited:
    """A finding cited in a report, numbered in order of first citation."""

    number: int
    id: str
    statement: str
    source: Source


class Citations:
    """Numbers findings as a report cites them, for in-text references and the list at the end."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._cited: dict[str, Cited] = {}

    def __call__(self, ids: Iterable[str]) -> list[Cited]:
        """The numbered citations of ``ids`` (unknown ids cannot occur: the loader checks them)."""
        out = []
        for finding_id in ids:
            if finding_id not in self._cited:
                finding = self._kb.findings[finding_id]
                self._cited[finding_id] = Cited(len(self._cited) + 1, finding_id, finding.statement, finding.source)
            out.append(self._cited[finding_id])
        return out

    @property
    def cited(self) -> list[Cited]:
        return list(self._cited.values())


def render(name: str, fmt: str, context: dict[str, Any]) -> str:
    """Render the report template ``name`` in ``fmt`` (``"html"`` or ``"md"``) with ``context``."""
    return environment(check_format(fmt)).get_template(f"{name}.{fmt}.j2").render(context)
