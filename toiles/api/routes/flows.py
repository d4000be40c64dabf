"""Flows of a toile version: search, detail, and edits."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from toiles.api.deps import EditorDep, RoleDep, StoreDep, read_store
from toiles.api.routes.actors import EDIT_LOCK
from toiles.api.routes.toiles import VersionQuery
from toiles.api.schemas import ErrorPublic, FlowCreate, FlowsPublic, FlowUpdate
from toiles.edit import add_flow, remove_flow, update_flow
from toiles.graph_db.base import MAX_LIMIT, MAX_OFFSET, FlowQuery
from toiles.models.flow import Flow
from toiles.models.vocab import FlowKind, Status

router = APIRouter(prefix="/toiles/{toile_id}/flows", tags=["flux"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic, "description": "Toile ou flux introuvable"},
    422: {"model": ErrorPublic, "description": "Paramètres ou données invalides"},
}


@router.get("", summary="Chercher des flux", responses=_ERRORS)
async def list_flows(
    toile_id: str,
    store: StoreDep,
    role: RoleDep,
    version: VersionQuery = None,
    kind: FlowKind | None = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    source: str | None = None,
    target: str | None = None,
    year: Annotated[int | None, Query(ge=1800, le=2100)] = None,
    min_quantity: Annotated[
        float | None, Query(ge=0, description="Quantité minimale, dans `unit`")
    ] = None,
    unit: Annotated[str | None, Query(description="Unité de min_quantity (MWh, m3, t...)")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> FlowsPublic:
    """One page of the flows the caller may see, with the total count of matches."""
    query = FlowQuery(
        kind=kind,
        status=status_,
        source=source,
        target=target,
        year=year,
        min_quantity=min_quantity,
        unit=unit,
        visibility=role.visibility,
        limit=limit,
        offset=offset,
    )
    page = await read_store(store, store.query_flows, toile_id, query, version=version)
    return FlowsPublic(data=list(page.items), count=page.total, limit=limit, offset=offset)


@router.get("/{flow_id}", summary="Un flux", responses=_ERRORS)
async def get_flow(
    toile_id: str, flow_id: str, store: StoreDep, role: RoleDep, version: VersionQuery = None
) -> Flow:
    """One flow, if the caller may see it."""
    return await read_store(
        store, store.get_flow, toile_id, flow_id, version=version, visibility=role.visibility
    )


@router.post("", summary="Ajouter un flux", status_code=status.HTTP_201_CREATED, responses=_ERRORS)
def create_flow(
    toile_id: str, flow: FlowCreate, store: StoreDep, _role: EditorDep, version: VersionQuery = None
) -> Flow:
    """Add a flow to a version (editors and admins); its id is generated when absent."""
    with EDIT_LOCK:
        toile, created = add_flow(store.get_toile(toile_id, version), flow.model_dump())
        store.save_toile(toile)
    return created


@router.patch("/{flow_id}", summary="Modifier un flux", responses=_ERRORS)
def patch_flow(
    toile_id: str,
    flow_id: str,
    changes: FlowUpdate,
    store: StoreDep,
    _role: EditorDep,
    version: VersionQuery = None,
) -> Flow:
    """Change the fields sent; the others stay (editors and admins)."""
    with EDIT_LOCK:
        toile, flow = update_flow(
            store.get_toile(toile_id, version), flow_id, changes.model_dump(exclude_unset=True)
        )
        store.save_toile(toile)
    return flow


@router.delete(
    "/{flow_id}",
    summary="Supprimer un flux",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_ERRORS,
)
def delete_flow(
    toile_id: str, flow_id: str, store: StoreDep, _role: EditorDep, version: VersionQuery = None
) -> Response:
    """Remove a flow (editors and admins)."""
    with EDIT_LOCK:
        store.save_toile(remove_flow(store.get_toile(toile_id, version), flow_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
