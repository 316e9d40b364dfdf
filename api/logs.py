"""Logging for the service: the ``api`` loggers write one line per record to standard error.

Lines below ``WARNING`` (the access log: one per request) are written in batches, at least
every :data:`FLUSH_SECONDS` and whenever :data:`BUFFER_BYTES` have gathered, rather than
one write per request; a warning or an error is written at once, with everything before it.
The process's logging records no caller, thread or process names (a frame walk and several
look-ups per record that no line of this service prints).
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from typing import TextIO

_HANDLER_NAME = "partnership-api"
#: The longest a line below WARNING waits in the buffer, in seconds.
FLUSH_SECONDS = 0.25
#: Buffered lines are written once this many bytes have gathered.
BUFFER_BYTES = 64 * 1024


class BatchingHandler(logging.StreamHandler[TextIO]):
    """A stream handler that writes each record's message, one per line, those below ``WARNING``
    in batches (see the module's docstring)."""

    def __init__(self, stream: TextIO, *, flush_seconds: float = FLUSH_SECONDS) -> None:
        super().__init__(stream)
        self.setFormatter(logging.Formatter("%(message)s"))
        self._pending = io.StringIO()
        self._pending_lock = threading.Lock()
        self._flush_seconds = flush_seconds
        self._wake = threading.Event()
        threading.Thread(target=self._flush_every, name="log-flusher", daemon=True).start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + self.terminator
        except Exception:  # pragma: no cover - logging's own contract: never raise from emit
            self.handleError(record)
            return
        with self._pending_lock:
            self._pending.write(line)
            if record.levelno >= logging.WARNING or self._pending.tell() >= BUFFER_BYTES:
                self._write_pending()

    def write_info(self, message: str) -> None:
        """What :meth:`emit` writes for an ``INFO`` record of ``message``, without the record."""
        with self._pending_lock:
            self._pending.write(message + self.terminator)
            if self._pending.tell() >= BUFFER_BYTES:
                self._write_pending()

    def flush(self) -> None:
        """Write every buffered line now (logging calls this at exit)."""
        with self._pending_lock:
            self._write_pending()

    def close(self) -> None:
        self._wake.set()
        super().close()

    def _write_pending(self) -> None:
        text = self._pending.getvalue()
        if text:
            self._pending = io.StringIO()
            self.stream.write(text)
        self.stream.flush()

    def _flush_every(self) -> None:
        while not self._wake.wait(self._flush_seconds):
            if self._pending.tell():
                self.flush()


def info(logger: logging.Logger, message: str) -> None:
    """``logger.info(message)``; straight into the buffer when this module's handler is the only
    one the record would reach (no filter, no other handler on the way to the root: the same line
    is written, without building a log record per request)."""
    if not logger.isEnabledFor(logging.INFO):
        return
    handler = _sole_handler(logger)
    if handler is None:
        logger.info(message)
    else:
        handler.write_info(message)


def _sole_handler(logger: logging.Logger) -> BatchingHandler | None:
    if logger.filters:
        return None
    found: list[logging.Handler] = []
    current: logging.Logger | None = logger
    while current is not None:
        found += current.handlers
        if len(found) > 1 or not current.propagate:
            break
        current = current.parent
    if len(found) != 1:
        return None
    handler = found[0]
    if not isinstance(handler, BatchingHandler) or handler.filters or handler.level > logging.INFO:
        return None
    return handler


def configure(level: str) -> None:
    """Give the ``api`` logger a batching stderr handler (once) at ``level`` (uvicorn configures only its own)."""
    # No caller (a walk up the stack per record), thread or process names: no line prints them.
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logger = logging.getLogger("api")
    logger.setLevel(level.upper())
    if not any(handler.get_name() == _HANDLER_NAME for handler in logger.handlers):
        handler = BatchingHandler(sys.stderr)
        handler.set_name(_HANDLER_NAME)
        logger.addHandler(handler)
