"""The real application plus two bench routes, served for the HTTP benchmark.

``POST /bench/floor`` reads and validates the body as the route of ``POST /v1/recommendations``
does (the same ``ProfileBody`` dependency: media type, size, JSON, then the library's strict
``ProjectProfile``) and returns a constant: the floor of a request that goes through FastAPI's
routing, dependencies and middleware, which the plain recommendation request skips
(``api/fast.py``). Every
other route, middleware and the start-up are the real app's, so both are measured on one server.
``POST /bench/warm`` memoises every class of the profile space in this worker
(:meth:`recommender.Recommender.warm`), says how long it took and the worker's resident memory
before and after, and with ``?save=PATH`` writes the memo there; a worker started with
``BENCH_MEMO=PATH`` in its environment loads it as it starts (so several workers share one
warm-up) and writes each class's answer once, as a worker that has answered the whole space.
``GET /bench/memory`` tells the worker's resident memory, its memoised classes and the answers it
keeps written.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.app import create_app
from api.deps import ProfileBody, RecommenderDep
from bench.common import FLOOR_PATH, MEMORY_PATH, WARM_PATH, rss_mib

app = create_app()
_app_lifespan = app.router.lifespan_context


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with _app_lifespan(app):
        memo_file = os.environ.get("BENCH_MEMO")
        if memo_file and app.state.recommender.memo is not None:
            app.state.recommender.memo.load(memo_file)
            app.state.recommender.warm()  # no engine call left: writes each class's answer pieces once
        yield


app.router.lifespan_context = _lifespan


@app.post(FLOOR_PATH, include_in_schema=False)
def floor(profile: ProfileBody) -> dict[str, str]:
    """A constant answer after the same request validation."""
    return {"status": "ok"}


@app.post(WARM_PATH, include_in_schema=False)
def warm(recommender: RecommenderDep, limit: int | None = None, save: str | None = None) -> dict[str, float | int]:
    """Memoise the whole space in this worker (or its first ``limit`` classes); ``save`` it to a file."""
    memo = recommender.memo
    if memo is None:
        return {"classes": 0}
    before = rss_mib()
    started = time.perf_counter()
    evaluated = recommender.warm(limit)
    seconds = time.perf_counter() - started
    if save:
        memo.save(save)
    return {
        "classes": memo.classes.size,
        "evaluated": evaluated,
        "decisions": memo.decisions,
        "seconds": seconds,
        "rss_before_mib": before,
        "rss_after_mib": rss_mib(),
    }


@app.get(MEMORY_PATH, include_in_schema=False)
def memory(recommender: RecommenderDep) -> dict[str, float | int]:
    """This worker's resident memory, and how much of the space its memo and its answers hold."""
    return {
        "rss_mib": rss_mib(),
        "memoised": recommender.memo.filled if recommender.memo is not None else 0,
        "answers_kept": recommender.answers_kept,
    }
