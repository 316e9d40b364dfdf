"""The Markdown writer: every text a report prints is escaped, so that text a person typed can never
become markup, links or raw HTML; only the writer's own structure (headings, lists, tables) is markup."""

from __future__ import annotations

import re
from collections.abc import Iterable

from recommender.reports.document import Block, Content, Document, ItemList, Section, Text

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


def _code(value: str) -> str:
    """An identifier as a code span (ids are ``[a-z0-9_.]`` only, so they cannot close it)."""
    return f"`{value.replace('`', '')}`"


def inline(content: Content) -> str:
    parts = []
    for part in content:
        if isinstance(part, Text):
            parts.append(f"**{md_escape(part.text)}**" if part.strong else md_escape(part.text))
        elif hasattr(part, "numbers"):
            parts.append("\\[" + ", ".join(str(n) for n in part.numbers) + "\\]")
        else:
            parts.append(f"{md_escape(part.label)} (action {part.number})")
    return " ".join(parts)


def _list(block: ItemList, indent: str) -> list[str]:
    lines = []
    for number, item in enumerate(block.items, start=1):
        box = "" if item.checkbox is None else ("[x] " if item.checkbox else "[ ] ")
        # A task list item keeps its box first ("- [ ] 2. ..."), so that renderers show the box.
        marker = "-" if box or not block.numbered else f"{number}."
        counted = f"{number}. " if box and block.numbered else ""
        lines.append(f"{indent}{marker} {box}{counted}{inline(item.content)}")
        child_indent = indent + " " * (len(marker) + 1)
        for child in item.children:
            if isinstance(child, ItemList):
                lines += _list(child, child_indent)
            else:
                lines += [f"{child_indent}{line}" if line else "" for line in _blocks([child], 3)]
                if lines and lines[-1] == "":
                    lines.pop()
    return lines


def _blocks(blocks: Iterable[Block], depth: int) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if block.kind == "paragraph":
            lines += [inline(block.content), ""]
        elif block.kind == "list":
            lines += [*_list(block, ""), ""]
        elif block.kind == "table":
            lines.append("| " + " | ".join(md_escape(h) for h in block.header) + " |")
            lines.append("|" + "---|" * len(block.header))
            lines += ["| " + " | ".join(inline(cell) for cell in row) + " |" for row in block.rows]
            lines.append("")
        elif block.kind == "clauses":
            for c in block.items:
                lines.append(f"- [ ] {c.number}. **{md_escape(c.title)}.** {inline(c.body)}")
            lines.append("")
        elif block.kind == "questions":
            for q in block.items:
                cites = f" {inline((q.cites,))}" if q.cites else ""
                lines.append(f"{q.number}. **{md_escape(q.question)}**{cites}")
                lines.append(f"   Look for: {md_escape(q.look_for)}")
                if q.warning_signs:
                    lines.append("   Warning signs:")
                    lines += [f"   - {md_escape(w)}" for w in q.warning_signs]
            lines.append("")
        elif block.kind == "answer":
            for choice in block.choices:
                lines.append(
                    f"- **{md_escape(choice.label)}:** {md_escape(choice.value)}. {md_escape(choice.description)}"
                )
            lines.append("")
        elif block.kind == "continuum":
            stops = [
                f"**{md_escape(s.label)} (recommended)**" if s.recommended else md_escape(s.label) for s in block.stops
            ]
            lines += ["Collaboration continuum (least to most): " + " → ".join(stops), ""]
        elif block.kind == "gauge":
            bands = "; ".join(f"{md_escape(title)} from {low}" for title, low in block.thresholds)
            lines += [f"Readiness {block.score} out of 100 (bands: {bands}).", ""]
        elif isinstance(block, Section):
            lines += [f"{'#' * depth} {md_escape(block.title)}", "", *_blocks(block.blocks, depth + 1)]
    return lines


def write_markdown(document: Document) -> str:
    """``document`` as Markdown: headings, lists, tables and checklists, every text escaped."""
    meta = document.metadata
    lines = [f"# {md_escape(document.title)}", "", md_escape(document.subtitle), ""]
    if document.links:
        links = ", ".join(f"{md_escape(label)} ({md_escape(href)})" for label, href in document.links)
        lines += [f"Also available as: {links}", ""]
    lines += [f"Prepared {meta.date.isoformat()} with knowledge base {md_escape(meta.kb_version)}.", ""]
    lines += [f"## {md_escape(document.inputs_title)}", ""]
    lines += [md_escape(document.inputs_note), ""] if document.inputs_note else []
    lines += ["| Question | Answer |", "|---|---|"]
    for i in document.inputs:
        lines.append(f"| {md_escape(i.label)} | {md_escape(i.value)}{' *(default)*' if i.defaulted else ''} |")
    lines.append("")
    for section in document.sections:
        lines += [f"## {md_escape(section.title)}", "", *_blocks(section.blocks, 3)]
    lines += ["## Findings cited", ""]
    if meta.reference:
        lines += [f"Every finding is from the study: {md_escape(meta.reference)}", ""]
    for c in document.citations:
        s = c.source
        source = md_escape(s.section) + (f"; {md_escape(s.table)}" if s.table else "")
        source += f", column “{md_escape(s.column)}”" if s.column else ""
        lines.append(f"{c.number}. {md_escape(c.statement)} ({source}; {_code(c.finding)})")
    lines += [
        "",
        "---",
        f"Knowledge base: {md_escape(meta.kb_title)}, edition {md_escape(meta.kb_version)} "
        f"(digest {_code(meta.kb_digest[:12])}). Prepared {meta.date.isoformat()}.",
        "",
    ]
    return "\n".join(lines)
