"""The FastAPI application: ``api.app:app``, or :func:`create_app` with other settings (tests).

Example:
    >>> from fastapi.testclient import TestClient
    >>> with TestClient(create_app(Settings())) as client:
    ...     client.get("/healthz").json()
    {'status': 'ok'}
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from api import docs_page, errors, lanes, logs, openapi, startup
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
        app.state.partnerships = database.open_database(database.database_url(settings.database_url, settings.data_dir))
    except StorageError as exc:
        log.error(json.dumps({"event": "startup_failed", "reason": str(exc)}, ensure_ascii=True))
        raise
    startup.resume_collector()  # paused by `serve` while this worker started
    try:
        yield
    finally:
        app.state.partnerships.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application; the knowledge base is loaded when its lifespan starts."""
    settings = settings or get_settings()
    # FastAPIOffline: FastAPI with Swagger UI's assets served from the fastapi-offline package's own
    # copy, so the docs work on a network without internet access; the /docs page is ours
    # (api/docs_page.py: the same page, made accessible). No ReDoc: its page fetches a logo from
    # the vendor's CDN.
    app = FastAPIOffline(
        docs_url=None,
        redoc_url=None,
        static_url=DOCS_STATIC,
        title="Partnership recommender",
        version=_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        servers=[{"url": settings.public_url, "description": "This service"}],
        # No OpenTelemetry: the service configures none, and asking whether it is configured
        # costs every request several look-ups.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
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
    # Innermost, so the request id, the access line and CORS are the same on both paths.
    app.add_middleware(RecommendationFastPath)
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
