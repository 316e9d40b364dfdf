"""The PDF writer: the HTML page laid out by WeasyPrint with the report's print stylesheet (A4,
"Page N of M" in the footer, nothing under 9pt, no item split across columns)."""

from __future__ import annotations

import logging
import threading

from recommender.reports.document import Document
from recommender.reports.writers.html import write_html

#: One PDF at a time: Pango and fontconfig are not documented as safe to share between threads.
_lock = threading.Lock()


def write_pdf(document: Document) -> bytes:
    """``document`` as a PDF, from the same page the HTML writer writes."""
    import weasyprint  # imported on first use: it loads Pango and fonts (a second or so)

    # WeasyPrint logs every CSS property it does not support (screen-only rules) as a warning.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    page = write_html(document)
    with _lock:
        pdf = weasyprint.HTML(string=page, base_url=None).write_pdf(
            pdf_identifier=document.metadata.kb_digest[:32].encode(), uncompressed_pdf=False
        )
    assert pdf is not None
    return bytes(pdf)
