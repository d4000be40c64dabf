"""Dependencies of the web pages: the visitor (from the session cookie) and form checks.

The visitor's role is the role the API would give the same key: pages read the store at
``role.visibility`` exactly as the API's routes do, so nobody sees in a page what the API
would not show them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, status
from starlette.datastructures import FormData

from toiles.access import Role
from toiles.api.errors import ApiError
from toiles.graph_db.base import Store
from toiles.web.session import CSRF_FIELD, SESSION_COOKIE, SessionStore, Visitor, csrf_valid


def sessions_of(request: Request) -> SessionStore:
    """The session store of the app (made by :func:`toiles.web.install_web`)."""
    sessions: SessionStore = request.app.state.web_sessions
    return sessions


def visitor_of(request: Request) -> Visitor:
    """The visitor of a request, from its session cookie (anonymous without one)."""
    cached = getattr(request.state, "visitor", None)
    if isinstance(cached, Visitor):
        return cached
    store: Store = request.app.state.store
    overrides = request.app.dependency_overrides
    from toiles.api.deps import get_store  # noqa: PLC0415

    if get_store in overrides:  # the API's tests swap the store; pages follow
        store = overrides[get_store]()
    visitor = sessions_of(request).visitor(store, request.cookies.get(SESSION_COOKIE))
    request.state.visitor = visitor
    return visitor


async def get_visitor(request: Request) -> Visitor:
    """The visitor of a page (dependency)."""
    return visitor_of(request)


VisitorDep = Annotated[Visitor, Depends(get_visitor)]


async def check_form(request: Request) -> FormData:
    """The submitted form, refused when its token is not the visitor's (session or cookie).

    A form sent from another site carries no valid token: it is refused (403) before the
    route runs. Reading the form here also lets the routes themselves be plain functions
    that run in the thread pool.
    """
    form = await request.form()
    if not csrf_valid(request, form.get(CSRF_FIELD), visitor_of(request)):
        msg = "formulaire expiré ou envoyé depuis un autre site : rechargez la page"
        raise ApiError(status.HTTP_403_FORBIDDEN, msg)
    return form


FormChecked = Depends(check_form)
CheckedForm = Annotated[FormData, Depends(check_form)]


async def require_web_editor(visitor: VisitorDep) -> Visitor:
    """Let editors and admins through; others get a clear page (401 or 403)."""
    if visitor.role is Role.ANONYME:
        raise ApiError(status.HTTP_401_UNAUTHORIZED, "connectez-vous avec une clé d'éditeur")
    if not visitor.role.can_edit:
        raise ApiError(status.HTTP_403_FORBIDDEN, f"le rôle {visitor.role.value} ne peut modifier")
    return visitor


async def require_web_admin(visitor: VisitorDep) -> Visitor:
    """Let admins through; others get a clear page (401 or 403)."""
    if visitor.role is Role.ANONYME:
        raise ApiError(status.HTTP_401_UNAUTHORIZED, "connectez-vous avec une clé d'administration")
    if visitor.role is not Role.ADMIN:
        raise ApiError(
            status.HTTP_403_FORBIDDEN, f"le rôle {visitor.role.value} ne gère pas les clés"
        )
    return visitor


EditorVisitor = Annotated[Visitor, Depends(require_web_editor)]
AdminVisitor = Annotated[Visitor, Depends(require_web_admin)]
