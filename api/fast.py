"""The one request most callers make, answered without the framework: ``POST /v1/recommendations``
of a valid profile, as JSON, from the default knowledge base.

:class:`RecommendationFastPath` is the application's first step (:class:`api.app.Service`
calls it before any middleware) and takes a request only when every part of it is the plain
case: no query string, a JSON body of declared length below :data:`api.body.OFF_LOOP_BYTES`, an
``Accept`` that prefers JSON, the knowledge bases loaded, no dependency of the application
replaced (``dependency_overrides``, as tests do), no CORS or path prefix configured, and a body that pydantic's own JSON
parser validates as a :class:`~recommender.ProjectProfile` at once. Anything else (a report
format, another knowledge base, any invalid or unusual body, a failure while answering) goes on
to the application, with the body read so far handed on unchanged: every problem is answered
by the one place that answers problems, and the answer is the same bytes the route sends
(``tests/api/test_fast_path.py`` compares them).

A body pydantic accepts here is one that :func:`api.body.decode` and
:func:`recommender.parse_profile` accept with the same profile: the strict decoder refuses more
(a byte-order mark, UTF-16, NaN, lone surrogates...) but never accepts less, and whatever it
refuses pydantic refuses too (the same test file draws bodies to show it).
"""

from __future__ import annotations

import functools
import logging
import time
from typing import Any

from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import logs
from api.body import OFF_LOOP_BYTES
from api.middleware import REQUEST_ID_KEY, access_line, access_log, request_id_given
from api.negotiation import MEDIA_TYPES, preferred_format
from recommender import KnowledgeBases, ProjectProfile, Recommender

PATH = "/v1/recommendations"
_JSON_HEADERS = [(b"content-type", MEDIA_TYPES["json"].encode()), (b"vary", b"Accept")]


@functools.lru_cache(maxsize=256)
def _prefers_json(accept: bytes) -> bool:
    return preferred_format(accept.decode("latin-1")) == "json"


def _plain(scope: Scope) -> tuple[bool, bytes | None]:
    """Whether the request is the plain case in everything but its body (see the module's
    docstring), and the request id it carries (``None``: none)."""
    if scope["method"] != "POST" or scope["path"] != PATH or scope.get("query_string") or scope.get("root_path"):
        return False, None
    length = content_type = request_id = None
    for name, value in scope["headers"]:
        if name == b"content-length":
            length = value
        elif name == b"content-type":
            content_type = value
        elif name == b"accept":
            if not _prefers_json(value):
                return False, None
        elif name == REQUEST_ID_KEY:
            request_id = value
        elif name == b"transfer-encoding":
            return False, None
    plain = (
        content_type == b"application/json"
        and length is not None
        and length.isdigit()
        and 0 < int(length) <= OFF_LOOP_BYTES
    )
    return plain, request_id


class RecommendationFastPath:
    """The plain recommendation request answered here, every other request passed on to
    ``downstream`` (the application's own stack: see the module's docstring). ``app`` is the
    application whose state (its knowledge bases, its settings) the answers come from.

    It runs before the application's middleware, so it writes the request id and the access line
    itself, the same as :class:`api.middleware.RequestContextMiddleware` writes them.
    """

    def __init__(self, app: Any, downstream: ASGIApp) -> None:
        self.app = app
        self.downstream = downstream
        self._bases: KnowledgeBases | None = None
        self._default: Recommender | None = None

    def _ready(self) -> bool:
        """Whether the application is in the plain case: its knowledge bases loaded (kept once
        seen), no path prefix, no CORS."""
        state = self.app.state
        bases: Any = getattr(state, "knowledge_bases", None)
        if bases is not self._bases:
            self._bases = bases if isinstance(bases, KnowledgeBases) else None
            self._default = self._bases.default if self._bases is not None else None
        settings = getattr(state, "settings", None)
        return self._bases is not None and not self.app.root_path and settings is not None and not settings.cors_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plain, given_id = _plain(scope) if scope["type"] == "http" else (False, None)
        if not plain:
            await self.downstream(scope, receive, send)
            return
        started = time.perf_counter()
        messages: list[Message] = []
        body = b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # a disconnect: the application sees it as it would have
            body += message.get("body", b"")
            if len(body) > OFF_LOOP_BYTES or not message.get("more_body", False):
                break
        answer = self._answer(messages, body)
        if answer is None:
            await self.downstream(scope, _replaying(messages, receive), send)
            return
        request_id = request_id_given(given_id)
        headers = [
            (b"content-length", str(len(answer)).encode()),
            *_JSON_HEADERS,
            (REQUEST_ID_KEY, request_id.encode("latin-1")),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer})
        if access_log.isEnabledFor(logging.INFO):
            duration = round((time.perf_counter() - started) * 1000, 2)
            logs.info(access_log, access_line("POST", PATH, 200, duration, request_id))

    def _answer(self, messages: list[Message], body: bytes) -> bytes | None:
        if messages[-1]["type"] != "http.request" or messages[-1].get("more_body", False):
            return None
        app = self.app
        if app.dependency_overrides or not self._ready():
            return None  # replaced dependencies (as tests do), a prefix, CORS or no knowledge base yet
        try:
            profile = ProjectProfile.model_validate_json(body)
        except ValidationError:
            return None
        try:
            assert self._default is not None
            return self._default.recommend_json(profile)
        except Exception:  # the application answers the failure (a 503 problem), as it would have
            return None


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    """``receive`` that first hands on ``messages``, already received, then the rest."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
