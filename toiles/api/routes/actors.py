"""Actors of a toile version: search, detail with flows, and edits."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from toiles.access import Role
from toiles.api.deps import RoleDep, StoreDep, read_store
from toiles.api.editing import AuthorDep, IfMatchHeader, etag, expected_revision
from toiles.api.routes.toiles import VersionQuery
from toiles.api.schemas import ActorDetail, ActorsPublic, ActorUpdate, ErrorPublic
from toiles.edit import adding_actor, edit_toile, removing_actor, updating_actor
from toiles.graph_db.base import MAX_LIMIT, MAX_OFFSET, ActorQuery, FlowQuery, ToileStore
from toiles.models.actor import Actor
from toiles.models.vocab import ActorKind

router = APIRouter(prefix="/toiles/{toile_id}/actors", tags=["acteurs"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic, "description": "Toile ou acteur introuvable"},
    422: {"model": ErrorPublic, "description": "Paramètres ou données invalides"},
}
_EDIT_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    409: {
        "model": ErrorPublic,
        "description": "Conflit : la toile a changé depuis la révision lue (If-Match), "
        "l'identifiant est déjà pris ou des flux sont encore attachés",
    },
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
    "", summary="Ajouter un acteur", status_code=status.HTTP_201_CREATED, responses=_EDIT_ERRORS
)
def create_actor(
    toile_id: str,
    actor: Actor,
    store: StoreDep,
    author: AuthorDep,
    response: Response,
    version: VersionQuery = None,
    if_match: IfMatchHeader = None,
) -> Actor:
    """Add an actor to a version (editors and admins); the answer's ETag is the new revision."""
    added, revision = edit_toile(
        store,
        toile_id,
        version,
        adding_actor(actor, who=author),
        expected_revision=expected_revision(if_match),
    )
    response.headers["ETag"] = etag(revision)
    return added


@router.patch("/{actor_id}", summary="Modifier un acteur", responses=_EDIT_ERRORS)
def patch_actor(
    toile_id: str,
    actor_id: str,
    changes: ActorUpdate,
    store: StoreDep,
    author: AuthorDep,
    response: Response,
    version: VersionQuery = None,
    if_match: IfMatchHeader = None,
) -> Actor:
    """Change the fields sent; the others stay (editors and admins)."""
    updated, revision = edit_toile(
        store,
        toile_id,
        version,
        updating_actor(actor_id, changes.model_dump(exclude_unset=True), who=author),
        expected_revision=expected_revision(if_match),
    )
    response.headers["ETag"] = etag(revision)
    return updated


@router.delete(
    "/{actor_id}",
    summary="Supprimer un acteur",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_EDIT_ERRORS,
)
def delete_actor(
    toile_id: str,
    actor_id: str,
    store: StoreDep,
    author: AuthorDep,
    version: VersionQuery = None,
    cascade: Annotated[bool, Query(description="Supprimer aussi ses flux")] = False,
    if_match: IfMatchHeader = None,
) -> Response:
    """Remove an actor; with flows attached, only with ``cascade=true``."""
    _, revision = edit_toile(
        store,
        toile_id,
        version,
        removing_actor(actor_id, cascade=cascade, who=author),
        expected_revision=expected_revision(if_match),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"ETag": etag(revision)})
