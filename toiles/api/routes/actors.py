"""Actors of a toile version: search, detail with flows, and edits."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from toiles.access import Role
from toiles.api.deps import EditorDep, RoleDep, StoreDep, read_store
from toiles.api.routes.toiles import VersionQuery
from toiles.api.schemas import ActorDetail, ActorsPublic, ActorUpdate, ErrorPublic
from toiles.edit import add_actor, remove_actor, update_actor
from toiles.graph_db.base import MAX_LIMIT, MAX_OFFSET, ActorQuery, FlowQuery, ToileStore
from toiles.models.actor import Actor
from toiles.models.vocab import ActorKind

router = APIRouter(prefix="/toiles/{toile_id}/actors", tags=["acteurs"])

#: Edits read a version, change it and write it back: one at a time per process.
EDIT_LOCK = threading.Lock()

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic, "description": "Toile ou acteur introuvable"},
    422: {"model": ErrorPublic, "description": "Paramètres ou données invalides"},
}


@router.get("", summary="Chercher des acteurs", responses=_ERRORS)
async def list_actors(
    toile_id: str,
    store: StoreDep,
    role: RoleDep,
    version: VersionQuery = None,
    kind: ActorKind | None = None,
    commune: Annotated[str | None, Query(description="Code INSEE de la commune")] = None,
    epci: str | None = None,
    zae: str | None = None,
    naf: Annotated[str | None, Query(description="Préfixe du code NAF (24, 24.10...)")] = None,
    q: Annotated[
        str | None, Query(description="Texte du nom, sans tenir compte des accents")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ActorsPublic:
    """One page of the actors the caller may see, with the total count of matches."""
    query = ActorQuery(
        kind=kind,
        commune_insee=commune,
        epci=epci,
        zae=zae,
        naf=naf,
        q=q,
        visibility=role.visibility,
        limit=limit,
        offset=offset,
    )
    page = await read_store(store, store.query_actors, toile_id, query, version=version)
    return ActorsPublic(data=list(page.items), count=page.total, limit=limit, offset=offset)


@router.get("/{actor_id}", summary="Un acteur et ses flux", responses=_ERRORS)
async def get_actor(
    toile_id: str, actor_id: str, store: StoreDep, role: RoleDep, version: VersionQuery = None
) -> ActorDetail:
    """An actor with its incoming and outgoing flows (what the caller may see)."""
    return await read_store(store, actor_detail, store, toile_id, actor_id, version, role)


def actor_detail(
    store: ToileStore, toile_id: str, actor_id: str, version: str | None, role: Role
) -> ActorDetail:
    """An actor and its flows in both directions, as ``role`` may see them (three reads)."""
    actor = store.get_actor(toile_id, actor_id, version=version, visibility=role.visibility)
    flows = []
    for end in ("target", "source"):
        query = FlowQuery.model_validate(
            {end: actor_id, "visibility": role.visibility, "limit": MAX_LIMIT}
        )
        flows.append(list(store.query_flows(toile_id, query, version=version).items))
    return ActorDetail(actor=actor, incoming=flows[0], outgoing=flows[1])


@router.post(
    "", summary="Ajouter un acteur", status_code=status.HTTP_201_CREATED, responses=_ERRORS
)
def create_actor(
    toile_id: str, actor: Actor, store: StoreDep, _role: EditorDep, version: VersionQuery = None
) -> Actor:
    """Add an actor to a version (editors and admins)."""
    with EDIT_LOCK:
        store.save_toile(add_actor(store.get_toile(toile_id, version), actor))
    return actor


@router.patch("/{actor_id}", summary="Modifier un acteur", responses=_ERRORS)
def patch_actor(
    toile_id: str,
    actor_id: str,
    changes: ActorUpdate,
    store: StoreDep,
    _role: EditorDep,
    version: VersionQuery = None,
) -> Actor:
    """Change the fields sent; the others stay (editors and admins)."""
    with EDIT_LOCK:
        toile = update_actor(
            store.get_toile(toile_id, version), actor_id, changes.model_dump(exclude_unset=True)
        )
        store.save_toile(toile)
    return toile.actor(actor_id)


@router.delete(
    "/{actor_id}",
    summary="Supprimer un acteur",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**_ERRORS, 409: {"model": ErrorPublic, "description": "Flux encore attachés"}},
)
def delete_actor(
    toile_id: str,
    actor_id: str,
    store: StoreDep,
    _role: EditorDep,
    version: VersionQuery = None,
    cascade: Annotated[bool, Query(description="Supprimer aussi ses flux")] = False,
) -> Response:
    """Remove an actor; with flows attached, only with ``cascade=true``."""
    with EDIT_LOCK:
        toile = remove_actor(store.get_toile(toile_id, version), actor_id, cascade=cascade)
        store.save_toile(toile)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
