"""One writer per format: each turns any :class:`~recommender.reports.document.Document` into bytes.

Writers hold no advice and no decisions; a new format is a new writer and a line in
:mod:`recommender.reports.formats`.
"""
