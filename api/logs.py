"""Logging for the service: the ``api`` loggers write one line per record to standard error."""

from __future__ import annotations

import logging
import sys

_HANDLER_NAME = "partnership-api"


def configure(level: str) -> None:
    """Give the ``api`` logger a stderr handler (once) at ``level``; uvicorn only configures its own loggers."""
    logger = logging.getLogger("api")
    logger.setLevel(level.upper())
    if not any(handler.get_name() == _HANDLER_NAME for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
