"""Signing in with an API key (pasted once, in a form) and signing out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response, status
from fastapi.responses import RedirectResponse

from toiles.api.deps import StoreDep
from toiles.api.security import role_of_key
from toiles.web.deps import FormChecked, VisitorDep, sessions_of
from toiles.web.render import HtmlRoute, page
from toiles.web.session import ANONYMOUS, CSRF_COOKIE, SESSION_COOKIE, set_cookie

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)


@router.get("/connexion", name="web_signin")
def signin_form(request: Request, visitor: VisitorDep) -> Response:
    """The sign-in form: one field for the key."""
    return page(request, visitor, "signin.html", {"failed": False})


@router.post("/connexion", dependencies=[FormChecked])
def signin(
    request: Request,
    store: StoreDep,
    key: Annotated[str, Form(max_length=200)],
) -> Response:
    """Check the key, open a session, and send the visitor home with a session cookie."""
    key = key.strip()
    if not key or role_of_key(store, key) is None:
        return page(
            request,
            ANONYMOUS,
            "signin.html",
            {"failed": True},
            status_code=status.HTTP_401_UNAUTHORIZED,
        )
    sessions = sessions_of(request)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        sessions.close(store, old)
    response = RedirectResponse("/", status_code=status.HTTP_303_SEE_OTHER)
    set_cookie(request, response, SESSION_COOKIE, sessions.open(store, key))
    response.delete_cookie(CSRF_COOKIE, path="/")  # a fresh form token after signing in
    return response


@router.post("/deconnexion", dependencies=[FormChecked])
def signout(request: Request, store: StoreDep) -> Response:
    """End the session on the server and drop its cookie."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        sessions_of(request).close(store, session_id)
    response = RedirectResponse("/", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
