"""Where long work runs: one lane per worker for the requests that evaluate many profiles (a
batch, a what-if) and for parsing their large bodies.

A worker answers single requests on its event loop; work that takes many milliseconds runs in a
thread. Python runs one thread at a time, so every such thread running at once takes turns with
the event loop: ten batches in ten threads make every single request wait behind all ten. The
lane runs that work one piece at a time, in arrival order, so the event loop shares the
processor with one thread at most; a worker per core (``--workers``) is how the service scales.
The lane is made as the application starts (``app.state.heavy_lane``); without it the work runs
in the thread pool as any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request

T = TypeVar("T")

#: How many pieces of long work a worker runs at once.
HEAVY_LANE_CAPACITY = 1


def new_heavy_lane() -> anyio.CapacityLimiter:
    """The lane of a worker (made on its event loop, in the application's lifespan)."""
    return anyio.CapacityLimiter(HEAVY_LANE_CAPACITY)


async def in_heavy_lane(request: Request, work: Callable[[], T]) -> T:
    """``work()`` in a thread, in the worker's lane for long work."""
    lane: Any = getattr(request.app.state, "heavy_lane", None)
    return await anyio.to_thread.run_sync(work, limiter=lane if isinstance(lane, anyio.CapacityLimiter) else None)
