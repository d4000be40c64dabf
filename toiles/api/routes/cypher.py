"""Read-only Cypher for analysts, on the Neo4j store only.

A Cypher query reads the graph directly, past the confidentiality filters of the other
routes, so only editors and admins (who may see everything) may send one. It runs in a read
transaction (a write is refused by the database), with a server-side timeout, a row limit and
a byte limit, and its parameters are passed to the driver as parameters, never pasted into
the query text. ``LOAD CSV``, ``SHOW``, ``TERMINATE`` and procedures outside a short list are
refused before the query reaches the server
(:func:`~toiles.graph_db._neo4j_cypher.check_read_query`).

It connects as its own database user (``TOILES_CYPHER_USER``), with its own connection pool,
and at most ``TOILES_CYPHER_CONCURRENCY`` queries run at once, in threads of their own: heavy
queries wait for each other, not the other routes.
"""

from __future__ import annotations

import functools
from typing import Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request, status

from toiles.api.deps import EditorDep, SettingsDep, StoreDep
from toiles.api.errors import ApiError
from toiles.api.schemas import CypherPublic, CypherRequest, ErrorPublic
from toiles.graph_db._neo4j_cypher import check_read_query
from toiles.graph_db.neo4j import Neo4jStore
from toiles.settings import Settings

router = APIRouter(tags=["cypher"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorPublic, "description": "Requête Cypher invalide, ou base non Neo4j"},
    401: {"model": ErrorPublic, "description": "Clé requise"},
    403: {"model": ErrorPublic, "description": "Rôle insuffisant, ou requête qui écrit"},
}


def _reader(request: Request, store: Neo4jStore, settings: Settings) -> Neo4jStore:
    """The store /cypher reads through: the same server as the user ``TOILES_CYPHER_USER``."""
    if settings.cypher_user is None:
        return store
    reader: Neo4jStore | None = getattr(request.app.state, "cypher_reader", None)
    if reader is None or reader.uri != store.uri:
        reader = Neo4jStore(
            store.uri,
            user=settings.cypher_user,
            password=settings.cypher_password,
            database=store.database,
            timeout_s=settings.cypher_timeout_s,
            connect_timeout_s=store.connect_timeout_s,
        )
        request.app.state.cypher_reader = reader
    return reader


def _limiter(request: Request, settings: Settings) -> anyio.CapacityLimiter:
    limiter: anyio.CapacityLimiter | None = getattr(request.app.state, "cypher_limiter", None)
    if limiter is None:
        limiter = anyio.CapacityLimiter(settings.cypher_concurrency)
        request.app.state.cypher_limiter = limiter
    return limiter


@router.post("/cypher", summary="Requête Cypher en lecture seule (Neo4j)", responses=_ERRORS)
async def run_cypher(
    request: Request,
    body: CypherRequest,
    store: StoreDep,
    settings: SettingsDep,
    _role: EditorDep,
) -> CypherPublic:
    """Run a read-only query with the configured timeout, row and byte limits."""
    if not isinstance(store, Neo4jStore):
        raise ApiError(
            status.HTTP_400_BAD_REQUEST, "Cypher n'est disponible qu'avec une base Neo4j"
        )
    check_read_query(body.query)  # refused at once, without a thread or a connection
    reader = _reader(request, store, settings)
    result = await anyio.to_thread.run_sync(
        functools.partial(
            reader.run_read_query,
            body.query,
            body.params,
            limit=settings.cypher_max_rows,
            timeout=settings.cypher_timeout_s,
            max_bytes=settings.cypher_max_bytes,
        ),
        limiter=_limiter(request, settings),
    )
    return CypherPublic(
        columns=list(result.columns),
        rows=[list(r) for r in result.rows],
        truncated=result.truncated,
    )
