"""Dependencies of the routes: settings, the store, and the role a request carries.

They are ``async`` on purpose: FastAPI runs a plain ``def`` dependency in its thread pool, and
these are trivial (the role costs one primary-key lookup, only when a key is sent), so a
thread hop each would cost more than their work. The search and detail routes read the store
through :func:`read_store` (inline for SQLite); the heavier routes (analyses, renders,
exports, edits) stay plain ``def`` and run in the pool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

from fastapi import Depends, Header, Request, status
from starlette.concurrency import run_in_threadpool

from toiles.access import Role
from toiles.api.errors import ApiError
from toiles.api.security import role_of_key
from toiles.graph_db.base import Store, ToileStore
from toiles.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

P = ParamSpec("P")
R = TypeVar("R")


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with (overridable in tests)."""
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    """The store the app was built with (overridable in tests)."""
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def get_role(
    store: StoreDep,
    authorization: Annotated[
        str | None, Header(description="`Bearer CLÉ` ; sans clé : données publiques seulement")
    ] = None,
) -> Role:
    """The role of the request: anonymous without a key, the key's role with a valid one."""
    if authorization is None or not authorization.strip():
        return Role.ANONYME
    scheme, _, key = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ApiError(status.HTTP_401_UNAUTHORIZED, "en-tête attendu : Authorization: Bearer CLÉ")
    role = role_of_key(store, key.strip())
    if role is None:
        raise ApiError(status.HTTP_401_UNAUTHORIZED, "clé d'API inconnue ou révoquée")
    return role


RoleDep = Annotated[Role, Depends(get_role)]


async def require_editor(role: RoleDep) -> Role:
    """Let editors and admins through; 401 without a key, 403 with a lower role."""
    if role is Role.ANONYME:
        raise ApiError(status.HTTP_401_UNAUTHORIZED, "clé d'API requise pour modifier les données")
    if not role.can_edit:
        raise ApiError(status.HTTP_403_FORBIDDEN, f"le rôle {role.value} ne peut pas modifier")
    return role


async def require_admin(role: RoleDep) -> Role:
    """Let admins through; 401 without a key, 403 with a lower role."""
    if role is Role.ANONYME:
        raise ApiError(status.HTTP_401_UNAUTHORIZED, "clé d'API d'administration requise")
    if role is not Role.ADMIN:
        raise ApiError(status.HTTP_403_FORBIDDEN, f"le rôle {role.value} ne gère pas les clés")
    return role


EditorDep = Annotated[Role, Depends(require_editor)]
AdminDep = Annotated[Role, Depends(require_admin)]


async def read_store(
    store: ToileStore, read: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run a read of the store: inline for an embedded store, else in the thread pool.

    A search or a lookup in the SQLite store takes well under a millisecond for most
    requests; handing it to a worker thread and back, then serialising the answer in another
    hop as FastAPI does for plain ``def`` routes, cost more than the read itself under load:
    inline, the actor detail route served 2.3 times more requests (``docs/performance.md``).
    The price is that a slow search (a word in most names of a 100,000-actor toile: 0.2 s
    the first time, then kept, see :class:`~toiles.graph_db.sqlite.SQLiteStore`) holds its
    worker process meanwhile; ``toiles serve --workers N`` serves other requests in the
    other processes. A networked
    store keeps the thread pool so that the event loop never waits on the network.
    """
    if store.inline_reads:
        return read(*args, **kwargs)
    return await run_in_threadpool(read, *args, **kwargs)
