"""Request context: an ``X-Request-ID`` on every answer and one structured access-log line per request."""

from __future__ import annotations

import functools
import itertools
import json
import logging
import os
import random
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import logs

REQUEST_ID_HEADER = "X-Request-ID"
#: A caller's request id is echoed only when it is short and printable; otherwise a new one is made.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:/+=@-]{1,128}$")
REQUEST_ID_KEY = REQUEST_ID_HEADER.lower().encode()

access_log = logging.getLogger("api.access")


class _Ids:
    """New request ids: 32 hex digits, as a uuid4's, a random prefix per process and a counter.

    An id is for finding a request's lines, not a secret: no system call for randomness per
    request. A forked process draws its own prefix.
    """

    def __init__(self) -> None:
        self.renew()
        os.register_at_fork(after_in_child=self.renew)

    def renew(self) -> None:
        self.prefix = f"{random.SystemRandom().getrandbits(80):020x}"
        self.numbers = itertools.count()

    def new(self) -> str:
        return f"{self.prefix}{next(self.numbers):012x}"


_ids = _Ids()


def request_id_of(scope: Scope) -> str:
    """The caller's request id when it is acceptable, otherwise a new one."""
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_KEY:
            return request_id_given(value)
    return _ids.new()


def request_id_given(value: bytes | None) -> str:
    """The request id a caller sent (``None``: none), when it is acceptable; otherwise a new one."""
    if value is not None:
        candidate = bytes(value).decode("latin-1")
        if _ACCEPTABLE_ID.match(candidate):
            return candidate
    return _ids.new()


@functools.lru_cache(maxsize=512)
def _line_start(method: str, path: str) -> str:
    """The start of an access line, as ``json.dumps`` writes it, for one method and path."""
    return f'{{"event": "access", "method": {json.dumps(method)}, "path": {json.dumps(path)}, "status": '


def access_line(method: str, path: str, status: int, duration_ms: float, request_id: str) -> str:
    """``json.dumps`` of the access line's fields (the request id is one :data:`_ACCEPTABLE_ID`
    allows, or hex digits: nothing to escape)."""
    return f'{_line_start(method, path)}{status}, "duration_ms": {duration_ms!r}, "request_id": "{request_id}"}}'


class RequestContextMiddleware:
    """Pure ASGI middleware (it does not buffer bodies, so streaming and size limits still work)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                _set_header(message, REQUEST_ID_KEY, request_id.encode("latin-1"))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                duration = round((time.perf_counter() - started) * 1000, 2)
                logs.info(access_log, access_line(scope["method"], scope["path"], status, duration, request_id))


def _set_header(message: Message, name: bytes, value: bytes) -> None:
    """Set the header ``name`` (lower case) of a response start message, replacing one already there."""
    headers = message.setdefault("headers", [])
    for position, (key, _) in enumerate(headers):
        if key.lower() == name:
            headers[position] = (name, value)
            return
    headers.append((name, value))
