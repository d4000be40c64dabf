"""The FastAPI application: ``create_app(settings)`` builds it around one store."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import anyio.to_thread
from fastapi import FastAPI

from toiles.api.errors import install_error_handlers
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
from toiles.graph_db import open_store
from toiles.settings import Settings, get_settings

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
    """Size the thread pool of the store-bound routes (see ``Settings.api_threads``)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.settings.api_threads
    yield


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the API around the store the settings name (nothing connects before a request)."""
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="toiles",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store or open_store(settings.store, settings=settings)
    install_error_handlers(app)
    app.include_router(health.router)
    for module in (toiles, actors, flows, history, analysis, keys, cypher):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(visuals.router)
    return app


def app_from_settings() -> FastAPI:
    """The app for ``toiles serve``: settings from the environment (``TOILES_*``)."""
    return create_app(get_settings())
