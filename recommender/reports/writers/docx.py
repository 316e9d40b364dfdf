"""The Word writer (python-docx): real headings (Heading 1 and 2), real list styles, tender clauses
as numbered paragraphs with a box to tick, bid questions with what to look for and the warning
signs. Tables only where the content is a table (the ranking, the what-if changes)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from recommender.reports.document import Block, Content, Document, ItemList, Section, Text

BOX, TICKED = "☐", "☑"


def _runs(paragraph: Any, content: Content) -> None:
    for index, part in enumerate(content):
        if index:
            paragraph.add_run(" ")
        if isinstance(part, Text):
            paragraph.add_run(part.text).bold = part.strong or None
        elif hasattr(part, "numbers"):
            run = paragraph.add_run("[" + ", ".join(str(n) for n in part.numbers) + "]")
            run.font.superscript = True
        else:
            paragraph.add_run(f"{part.label} (action {part.number})")


def _numbered(out: Any, style: str) -> Any:
    """A paragraph factory for one numbered list of ``style`` whose numbers start again at 1.

    Word numbers every paragraph of a list style in one sequence; each list gets its own
    numbering instance (a ``w:num`` restarting the style's abstract numbering) instead.
    """
    numbering = out.part.numbering_part.numbering_definitions._numbering
    style_num = out.styles[style].element.pPr.numPr.numId.val
    num = numbering.add_num(numbering.num_having_numId(style_num).abstractNumId.val)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)

    def add() -> Any:
        paragraph = out.add_paragraph(style=style)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num.numId
        return paragraph

    return add


def _list(out: Any, block: ItemList, depth: int) -> None:
    style = ("List Number" if block.numbered else "List Bullet") + (f" {depth}" if depth > 1 else "")
    add = _numbered(out, style) if block.numbered else lambda: out.add_paragraph(style=style)
    for item in block.items:
        paragraph = add()
        if item.checkbox is not None:
            paragraph.add_run((TICKED if item.checkbox else BOX) + " ")
        _runs(paragraph, item.content)
        for child in item.children:
            if isinstance(child, ItemList):
                _list(out, child, min(depth + 1, 3))
            else:
                _blocks(out, [child], 3)


def _blocks(out: Any, blocks: Iterable[Block], level: int) -> None:
    for block in blocks:
        if block.kind == "paragraph":
            _runs(out.add_paragraph(), block.content)
        elif block.kind == "list":
            _list(out, block, 1)
        elif block.kind == "table":
            table = out.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, heading in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = heading
                cell.paragraphs[0].runs[0].bold = True
            for row in block.rows:
                cells = table.add_row().cells
                for cell, content in zip(cells, row, strict=True):
                    _runs(cell.paragraphs[0], content)
            if block.caption:
                out.add_paragraph(block.caption, style="Caption")
        elif block.kind == "clauses":
            add = _numbered(out, "List Number")
            for c in block.items:
                paragraph = add()
                paragraph.add_run(f"{BOX} ")
                paragraph.add_run(f"{c.title}.").bold = True
                paragraph.add_run(" ")
                _runs(paragraph, c.body)
        elif block.kind == "questions":
            add = _numbered(out, "List Number")
            for q in block.items:
                paragraph = add()
                paragraph.add_run(q.question).bold = True
                if q.cites:
                    paragraph.add_run(" ")
                    _runs(paragraph, (q.cites,))
                look = out.add_paragraph(style="List Continue 2")
                look.add_run("Look for: ").bold = True
                look.add_run(q.look_for)
                if q.warning_signs:
                    out.add_paragraph(style="List Continue 2").add_run("Warning signs:").bold = True
                    for sign in q.warning_signs:
                        out.add_paragraph(sign, style="List Bullet 2")
        elif block.kind == "answer":
            for choice in block.choices:
                paragraph = out.add_paragraph()
                paragraph.add_run(f"{choice.label}: ").bold = True
                paragraph.add_run(f"{choice.value}. ").bold = True
                paragraph.add_run(choice.description)
        elif block.kind == "continuum":
            stops = [f"{s.label} (recommended)" if s.recommended else s.label for s in block.stops]
            out.add_paragraph("Collaboration continuum (least to most): " + " → ".join(stops))
        elif block.kind == "gauge":
            bands = "; ".join(f"{title} from {low}" for title, low in block.thresholds)
            out.add_paragraph(f"Readiness {block.score} out of 100 (bands: {bands}).")
        elif isinstance(block, Section):
            out.add_heading(block.title, level=level)
            _blocks(out, block.blocks, min(level + 1, 3))


def write_docx(document: Document) -> bytes:
    """``document`` as a Word file (.docx)."""
    import docx  # imported on first use: a worker that writes no Word file does not pay for it
    from docx.shared import Pt

    out = docx.Document()
    normal = out.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    meta = document.metadata
    out.core_properties.title = document.title
    out.core_properties.subject = document.subtitle
    out.core_properties.comments = f"Knowledge base {meta.kb_version} (digest {meta.kb_digest})"
    out.add_heading(document.title, level=0)
    out.add_paragraph(document.subtitle)
    out.add_paragraph(
        f"Prepared {meta.date.isoformat()} with knowledge base {meta.kb_version} (digest {meta.kb_digest[:12]})."
    )
    out.add_heading(document.inputs_title, level=1)
    out.add_paragraph(document.inputs_note)
    for i in document.inputs:
        paragraph = out.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{i.label}: ").bold = True
        paragraph.add_run(i.value)
        if i.defaulted:
            paragraph.add_run(" (default)").italic = True
    for section in document.sections:
        out.add_heading(section.title, level=1)
        _blocks(out, section.blocks, 2)
    out.add_heading("Findings cited", level=1)
    if meta.reference:
        out.add_paragraph(f"Every finding is from the study: {meta.reference}")
    for c in document.citations:
        s = c.source
        source = s.section + (f"; {s.table}" if s.table else "") + (f", column “{s.column}”" if s.column else "")
        paragraph = out.add_paragraph()
        paragraph.add_run(f"{c.number}. ")
        paragraph.add_run(c.statement)
        paragraph.add_run(f" ({source}; {c.finding})").italic = True
    out.add_paragraph(
        f"Knowledge base: {meta.kb_title}, edition {meta.kb_version} (digest {meta.kb_digest[:12]}). "
        f"Prepared {meta.date.isoformat()}."
    )
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
