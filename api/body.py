"""Reading a JSON request body without trusting it: media type, size, syntax and shape, in that order.

Nothing here can raise anything but :class:`~api.problems.ProblemError` for bad input, so no
body, however malformed, deep or large, can cause a server error. A large body is parsed (and
validated, by the ``then`` given to :func:`read_json`) in a worker thread, so one client's
megabyte of JSON does not hold up everyone else's requests on the event loop.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from api.lanes import in_heavy_lane
from api.problems import ProblemError

#: Deeper JSON than this is refused; no valid request is more than three levels deep.
MAX_DEPTH = 32
#: Bodies larger than this are parsed and validated off the event loop. Every valid request is
#: far smaller (a batch of 500 profiles is about 100 KiB), and below this a thread hop costs more
#: than the parsing it moves.
OFF_LOOP_BYTES = 16 * 1024

T = TypeVar("T")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _as_is(data: Any) -> Any:
    return data


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


async def read_json(request: Request, *, limit: int, then: Callable[[Any], T] = _as_is, heavy: bool = False) -> T:
    """``then`` of the request body parsed as JSON, after checking its media type and its size
    against ``limit`` bytes; in a worker thread when the body is larger than :data:`OFF_LOOP_BYTES`
    (``heavy``: in the worker's lane for long work, :mod:`api.lanes`)."""
    if not _is_json(request.headers.get("content-type", "")):
        raise ProblemError(415, "Unsupported Media Type", "Send the body as application/json.")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _too_large(limit)
    raw = bytes(body)
    if len(raw) <= OFF_LOOP_BYTES:
        return then(decode(raw))
    if heavy:
        return await in_heavy_lane(request, lambda: then(decode(raw)))
    return await run_in_threadpool(lambda: then(decode(raw)))


def _too_large(limit: int) -> ProblemError:
    return ProblemError(413, "Content Too Large", f"The body is larger than the limit of {limit} bytes.")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def decode(raw: bytes) -> Any:
    """Parse JSON strictly: no NaN or Infinity, no unpaired surrogates, at most :data:`MAX_DEPTH` deep."""
    if not raw.strip():
        raise ProblemError(400, "Malformed JSON", "The body is empty; send a JSON object.", slug="malformed-json")
    try:
        data = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError as exc:
        raise _too_deep() from exc
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, over-long integers
        raise ProblemError(400, "Malformed JSON", f"The body is not valid JSON: {exc}", slug="malformed-json") from exc
    # An unpaired surrogate can only come from a \uD800-\uDFFF escape: without one, skip the text checks.
    _check_shape(data, texts=_SURROGATE_ESCAPE.search(raw) is not None)
    return data


def _too_deep() -> ProblemError:
    return ProblemError(
        400, "JSON too deeply nested", f"The body nests deeper than {MAX_DEPTH} levels.", slug="too-deeply-nested"
    )


def _check_shape(data: Any, *, texts: bool = True) -> None:
    """Refuse over-deep nesting and (with ``texts``) strings that cannot be encoded back (iteratively: no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            if texts:
                for key in value:
                    _check_text(key)
            stack.extend((item, depth + 1) for item in value.values() if isinstance(item, (dict, list, str)))
        elif isinstance(value, list):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            stack.extend((item, depth + 1) for item in value if isinstance(item, (dict, list, str)))
        elif texts and isinstance(value, str):
            _check_text(value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ProblemError(
            400, "Malformed JSON", "The body contains an unpaired UTF-16 surrogate.", slug="malformed-json"
        ) from exc
