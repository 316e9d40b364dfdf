"""The FastAPI application: ``api.app:app``, or :func:`create_app` with other settings (tests).

Example:
    >>> from fastapi.testclient import TestClient
    >>> with TestClient(create_app(Settings())) as client:
    ...     client.get("/healthz").json()
    {'status': 'ok'}
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from api import docs_page, errors, lanes, logs, memo_keeper, openapi, startup
from api.fast import RecommendationFastPath
from api.middleware import REQUEST_ID_HEADER, RequestContextMiddleware
from api.routes import (
    components,
    form,
    health,
    knowledge_base,
    knowledge_bases,
    partnership_pages,
    partnerships,
    plan_checks,
    recommendations,
    tender_briefs,
    what_if,
)
from api.settings import Settings, get_settings
from recommender import KnowledgeBaseError, KnowledgeBases, StorageError
from recommender.partnerships import database

log = logging.getLogger("api.startup")

DESCRIPTION = """\
Recommends how to set up a research/policy evidence partnership: who should initiate it, how
closely to collaborate, the risks to expect and the mitigations for them, each traced to the
findings of a qualitative study.

Every rejected request is answered with `application/problem+json` (RFC 9457): a path that
does not exist with 404 (`#/components/responses/NotFound`), a path asked with a method it does
not have with 405 and an `Allow` header (`#/components/responses/MethodNotAllowed`), an
`Accept` header that no format of the resource satisfies with 406, an unknown `?format=` with 422.

This page and its assets are served by the service itself: it works without internet access.
"""

#: Where the interactive documentation's scripts and styles are served (from an installed package, not a CDN).
DOCS_STATIC = "/docs/static"


def _version() -> str:
    try:
        return version("partnership-recommender")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout that is not installed
        return "0+unknown"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load, validate and compile every knowledge base once per worker; a broken one (or two of one
    version) stops start-up."""
    settings: Settings = app.state.settings
    logs.configure(settings.log_level)
    try:
        bases = KnowledgeBases.load(settings.rules_dir, settings.extra_knowledge_bases)
    except KnowledgeBaseError as exc:
        line = {"event": "startup_failed", "file": exc.file, "entry": exc.entry, "reason": exc.reason}
        log.error(json.dumps(line, ensure_ascii=True))
        raise
    app.state.knowledge_bases = bases
    app.state.recommender = bases.default
    app.state.heavy_lane = lanes.new_heavy_lane()
    for recommender in bases:
        kb = recommender.kb
        log.info(json.dumps({"event": "knowledge_base_loaded", "version": kb.version, "digest": kb.digest}))
    try:
        # Made and migrated on first start; an unknown newer schema stops start-up.
        app.state.partnerships = database.open_storage(database.database_url(settings.database_url, settings.data_dir))
    except StorageError as exc:
        log.error(json.dumps({"event": "startup_failed", "reason": str(exc)}, ensure_ascii=True))
        raise
    keeper = None
    if settings.keep_memo:
        folders = [settings.rules_dir, *settings.extra_knowledge_bases]
        busy = app.busy if isinstance(app, Service) else lambda: False
        keeper = memo_keeper.MemoKeeper(list(bases), folders, settings.data_dir, busy=busy)
    startup.resume_collector()  # paused by `serve` while this worker started
    app.state.memo_keeper = keeper
    if keeper is not None:
        keeper.start()
    try:
        yield
    finally:
        if keeper is not None:
            await asyncio.to_thread(keeper.stop)  # it may wait for its thread and builder: not on the loop
        app.state.partnerships.dispose()


#: Swagger UI's scripts and styles, from the fastapi-offline package (served at DOCS_STATIC).
SWAGGER_UI_ASSETS = Path(fastapi_offline.__file__).parent / "static"


class Service(FastAPI):
    """The application: FastAPI, with the plain ``POST /v1/recommendations`` answered before
    any of its middleware (:class:`api.fast.RecommendationFastPath`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fast = RecommendationFastPath(self, functools.partial(FastAPI.__call__, self))
        #: HTTP requests begun and not yet answered (read by the memo keeper's thread).
        self.requests_in_flight = 0

    def busy(self) -> bool:
        """Whether a request is in flight."""
        return self.requests_in_flight > 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.requests_in_flight += 1
            try:
                await self._fast(scope, receive, send)
            finally:
                self.requests_in_flight -= 1
        else:
            await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application; the knowledge base is loaded when its lifespan starts."""
    settings = settings or get_settings()
    # Swagger UI's assets are served from the fastapi-offline package's own copy, so the docs work
    # on a network without internet access; the /docs page is ours (api/docs_page.py: the same
    # page, made accessible). No ReDoc: its page fetches a logo from the vendor's CDN.
    app = Service(
        docs_url=None,
        redoc_url=None,
        title="Partnership recommender",
        version=_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        servers=[{"url": settings.public_url, "description": "This service"}],
        # No OpenTelemetry: the service configures none, and asking whether it is configured
        # costs every request several look-ups.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.mount(DOCS_STATIC, StaticFiles(directory=SWAGGER_UI_ASSETS), name="static-offline-docs")
    # No call to the online validator that Swagger UI uses by default.
    docs_page.install(app, static_url=DOCS_STATIC, parameters={"validatorUrl": None})
    app.state.settings = settings
    errors.install(app)
    for router in (
        recommendations.router,
        knowledge_base.router,
        knowledge_bases.router,
        health.router,
        plan_checks.router,
        tender_briefs.router,
        what_if.router,
        components.router,
        partnerships.router,
    ):
        app.include_router(router)
    app.include_router(form.router)  # the web form and its report pages (GET /, POST /)
    app.include_router(partnership_pages.router)  # the partnership pages (/partnerships/...)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", REQUEST_ID_HEADER],
            expose_headers=[REQUEST_ID_HEADER],
        )
    app.add_middleware(RequestContextMiddleware)
    openapi.install(app)
    return app


app = create_app()
