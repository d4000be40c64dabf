"""Flows of a toile version: search, detail, and edits."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from toiles.api.deps import RoleDep, StoreDep, read_store
from toiles.api.editing import AuthorDep, IfMatchHeader, etag, expected_revision
from toiles.api.routes.toiles import VersionQuery
from toiles.api.schemas import ErrorPublic, FlowCreate, FlowsPublic, FlowUpdate
from toiles.edit import adding_flow, edit_toile, removing_flow, updating_flow
from toiles.graph_db.base import MAX_LIMIT, MAX_OFFSET, FlowQuery
from toiles.models.flow import Flow
from toiles.models.vocab import FlowKind, Status

router = APIRouter(prefix="/toiles/{toile_id}/flows", tags=["flux"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic, "description": "Toile ou flux introuvable"},
    422: {"model": ErrorPublic, "description": "Paramètres ou données invalides"},
}
_EDIT_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    409: {
        "model": ErrorPublic,
        "description": "Conflit : la toile a changé depuis la révision lue (If-Match), "
        "ou l'identifiant est déjà pris",
    },
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


@router.post(
    "", summary="Ajouter un flux", status_code=status.HTTP_201_CREATED, responses=_EDIT_ERRORS
)
def create_flow(
    toile_id: str,
    flow: FlowCreate,
    store: StoreDep,
    author: AuthorDep,
    response: Response,
    version: VersionQuery = None,
    if_match: IfMatchHeader = None,
) -> Flow:
    """Add a flow to a version (editors and admins); its id is generated when absent."""
    created, revision = edit_toile(
        store,
        toile_id,
        version,
        adding_flow(flow.model_dump(), who=author),
        expected_revision=expected_revision(if_match),
    )
    response.headers["ETag"] = etag(revision)
    return created


@router.patch("/{flow_id}", summary="Modifier un flux", responses=_EDIT_ERRORS)
def patch_flow(
    toile_id: str,
    flow_id: str,
    changes: FlowUpdate,
    store: StoreDep,
    author: AuthorDep,
    response: Response,
    version: VersionQuery = None,
    if_match: IfMatchHeader = None,
) -> Flow:
    """Change the fields sent; the others stay (editors and admins)."""
    updated, revision = edit_toile(
        store,
        toile_id,
        version,
        updating_flow(flow_id, changes.model_dump(exclude_unset=True), who=author),
        expected_revision=expected_revision(if_match),
    )
    response.headers["ETag"] = etag(revision)
    return updated


@router.delete(
    "/{flow_id}",
    summary="Supprimer un flux",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_EDIT_ERRORS,
)
def delete_flow(
    toile_id: str,
    flow_id: str,
    store: StoreDep,
    author: AuthorDep,
    version: VersionQuery = None,
    if_match: IfMatchHeader = None,
) -> Response:
    """Remove a flow (editors and admins)."""
    _, revision = edit_toile(
        store,
        toile_id,
        version,
        removing_flow(flow_id, who=author),
        expected_revision=expected_revision(if_match),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"ETag": etag(revision)})
