"""Read-only Cypher for analysts, on the Neo4j store only.

A Cypher query reads the graph directly, past the confidentiality filters of the other
routes, so only editors and admins (who may see everything) may send one. It runs in a read
transaction (a write is refused by the database), with a timeout and a row limit, and its
parameters are passed to the driver as parameters, never pasted into the query text.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from toiles.api.deps import EditorDep, SettingsDep, StoreDep
from toiles.api.errors import ApiError
from toiles.api.schemas import CypherPublic, CypherRequest, ErrorPublic

router = APIRouter(tags=["cypher"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorPublic, "description": "Requête Cypher invalide, ou base non Neo4j"},
    401: {"model": ErrorPublic, "description": "Clé requise"},
    403: {"model": ErrorPublic, "description": "Rôle insuffisant, ou requête qui écrit"},
}


@router.post("/cypher", summary="Requête Cypher en lecture seule (Neo4j)", responses=_ERRORS)
def run_cypher(
    body: CypherRequest, store: StoreDep, settings: SettingsDep, _role: EditorDep
) -> CypherPublic:
    """Run a read-only query with the configured timeout and row limit."""
    from toiles.graph_db.neo4j import Neo4jStore, run_read_query  # noqa: PLC0415

    if not isinstance(store, Neo4jStore):
        raise ApiError(
            status.HTTP_400_BAD_REQUEST, "Cypher n'est disponible qu'avec une base Neo4j"
        )
    result = run_read_query(
        store,
        body.query,
        body.params,
        limit=settings.cypher_max_rows,
        timeout=settings.cypher_timeout_s,
    )
    return CypherPublic(
        columns=list(result.columns),
        rows=[list(r) for r in result.rows],
        truncated=result.truncated,
    )
