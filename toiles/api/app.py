"""The FastAPI application: ``create_app(settings)`` builds it around one store."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from toiles.api.errors import install_error_handlers
from toiles.api.middleware import GuardedBodies, SecurityHeaders
from toiles.api.routes import (
    actors,
    analysis,
    cypher,
    flows,
    health,
    history,
    keys,
    toiles,
    visuals,
)
from toiles.api.workers import AnalysisRunner
from toiles.graph_db import open_store
from toiles.settings import Settings, get_settings
from toiles.web import install_web

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from toiles.graph_db.base import Store

API_PREFIX = "/api/v1"

DESCRIPTION = """
Interroger les toiles d'un territoire : acteurs, flux, analyses, visuels et exports.

Sans clé, seules les données **publiques** sont visibles. Une clé (`Authorization: Bearer CLÉ`,
créée par `toiles apikey create`) donne le rôle `partenaire` (données `partenaires` en plus),
`editeur` (tout voir et modifier) ou `admin` (gérer les clés).
"""


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Size the thread pool of the routes (``Settings.api_threads``), start the analyses'."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.settings.api_threads
    # The first analysis would otherwise pay the start of the process that forks them.
    await anyio.to_thread.run_sync(app.state.analyses.start)
    yield
    app.state.analyses.stop()
    close_cypher_reader(app)


def close_cypher_reader(app: FastAPI) -> None:
    """Close the connections of the /cypher user's store, if it was opened."""
    reader = getattr(app.state, "cypher_reader", None)
    if reader is not None:
        reader.close()
        app.state.cypher_reader = None


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the API around the store the settings name (nothing connects before a request)."""
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="toiles",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served offline by toiles.web.docs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store or open_store(settings.store, settings=settings)
    app.state.analyses = AnalysisRunner(
        processes=settings.analysis_processes,
        timeout_s=settings.analysis_timeout_s,
        max_memory_mb=settings.analysis_max_memory_mb,
        cache_size=settings.analysis_cache_size,
    )
    install_error_handlers(app)
    # The last added runs first: headers on every answer, then CORS, then the body guard.
    app.add_middleware(GuardedBodies, max_upload_bytes=int(settings.api_max_upload_mb * 1_000_000))
    if settings.api_allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api_allowed_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match"],
            expose_headers=["ETag", "Retry-After"],
        )
    app.add_middleware(SecurityHeaders, allowed_origins=settings.api_allowed_origins)
    app.include_router(health.router)
    for module in (toiles, actors, flows, history, analysis, keys, cypher):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(visuals.router)
    install_web(app, api_prefix=API_PREFIX)
    return app


def app_from_settings() -> FastAPI:
    """The app for ``toiles serve``: settings from the environment (``TOILES_*``)."""
    return create_app(get_settings())
