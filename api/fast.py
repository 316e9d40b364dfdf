"""The one request most callers make, answered without the framework: ``POST /v1/recommendations``
of a valid profile, as JSON, from the default knowledge base.

:class:`RecommendationFastPath` sits inside the request-context middleware (so the request id
and the access line are the same) and takes a request only when every part of it is the plain
case: no query string, a JSON body of declared length below :data:`api.body.OFF_LOOP_BYTES`, an
``Accept`` that prefers JSON, the knowledge bases loaded, no dependency of the application
replaced (``dependency_overrides``, as tests do), and a body that pydantic's own JSON
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
from typing import Any

from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.body import OFF_LOOP_BYTES
from api.negotiation import MEDIA_TYPES, preferred_format
from recommender import KnowledgeBases, ProjectProfile

PATH = "/v1/recommendations"
_JSON_HEADERS = [(b"content-type", MEDIA_TYPES["json"].encode()), (b"vary", b"Accept")]


@functools.lru_cache(maxsize=256)
def _prefers_json(accept: bytes) -> bool:
    return preferred_format(accept.decode("latin-1")) == "json"


def _is_plain(scope: Scope) -> bool:
    """The request is the plain case in everything but its body (see the module's docstring)."""
    if scope["method"] != "POST" or scope["path"] != PATH or scope.get("query_string") or scope.get("root_path"):
        return False
    length = content_type = None
    for name, value in scope["headers"]:
        if name == b"content-length":
            length = value
        elif name == b"content-type":
            content_type = value
        elif name == b"accept":
            if not _prefers_json(value):
                return False
        elif name == b"transfer-encoding":
            return False
    return (
        content_type == b"application/json"
        and length is not None
        and length.isdigit()
        and 0 < int(length) <= OFF_LOOP_BYTES
    )


class RecommendationFastPath:
    """Pure ASGI middleware: the plain recommendation request answered here, every other request
    passed on (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_plain(scope):
            await self.app(scope, receive, send)
            return
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
        answer = self._answer(scope, messages, body)
        if answer is None:
            await self.app(scope, _replaying(messages, receive), send)
            return
        headers = [(b"content-length", str(len(answer)).encode()), *_JSON_HEADERS]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer})

    @staticmethod
    def _answer(scope: Scope, messages: list[Message], body: bytes) -> bytes | None:
        if messages[-1]["type"] != "http.request" or messages[-1].get("more_body", False):
            return None
        app: Any = scope.get("app")
        if app is None or getattr(app, "dependency_overrides", None):  # dependencies replaced: the route's way
            return None
        bases: Any = getattr(app.state, "knowledge_bases", None)
        if not isinstance(bases, KnowledgeBases):
            return None
        try:
            profile = ProjectProfile.model_validate_json(body)
        except ValidationError:
            return None
        try:
            return bases.default.recommend_json(profile)
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
