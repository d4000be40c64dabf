"""Administration (role ``admin``): API keys created (shown once), listed, revoked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response, status
from fastapi.responses import RedirectResponse

from toiles.access import Role
from toiles.api.deps import StoreDep
from toiles.api.security import create_api_key
from toiles.web.deps import AdminVisitor, FormChecked
from toiles.web.render import HtmlRoute, page

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_ROLES = [r.value for r in Role if r is not Role.ANONYME]


def _keys_page(
    request: Request,
    store: StoreDep,
    visitor: AdminVisitor,
    created: tuple[str, object] | None = None,
) -> Response:
    key, record = created or (None, None)
    return page(
        request,
        visitor,
        "admin_keys.html",
        {
            "keys": store.list_api_keys(),
            "roles": _ROLES,
            "created": record,
            "created_key": key,
        },
        status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


@router.get("/admin/cles", name="web_keys")
def keys(request: Request, store: StoreDep, visitor: AdminVisitor) -> Response:
    """Every key (never the keys themselves), and the form to create one."""
    return _keys_page(request, store, visitor)


@router.post("/admin/cles", dependencies=[FormChecked])
def create_key(
    request: Request,
    store: StoreDep,
    visitor: AdminVisitor,
    name: Annotated[str, Form(min_length=1, max_length=200)],
    role: Annotated[Role, Form()],
) -> Response:
    """Create a key: the answer is the only time it is shown."""
    created = create_api_key(store, role=role, name=name.strip() or name)
    return _keys_page(request, store, visitor, created)


@router.post("/admin/cles/{key_id}/revoquer", dependencies=[FormChecked])
def revoke_key(key_id: str, store: StoreDep, _visitor: AdminVisitor) -> Response:
    """Revoke a key: it stops working at once, sessions opened with it end too."""
    store.revoke_api_key(key_id)
    return RedirectResponse("/admin/cles", status_code=status.HTTP_303_SEE_OTHER)
