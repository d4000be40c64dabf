"""ASGI middleware of the API: request bodies checked before they are read, safe HTML headers.

:class:`GuardedBodies` answers before a byte of a request body is read when the body cannot
be accepted anyway: 401 or 403 when the key may not write (every route that takes a body
changes data or runs Cypher, so needs an editor's or an admin's key), 413 when the declared
length is over the cap. It then counts the bytes actually received, whatever the headers
said, and answers 413 at the first byte over the cap: a client cannot make the server spool
300 MB to disk before it learns that its key is wrong.

:class:`SecurityHeaders` gives every HTML answer (interactive pages, Sankey diagrams,
embeds, the API's documentation) the headers of ``/embed``: a ``frame-ancestors`` policy
listing ``'self'`` and the allowed origins, ``X-Frame-Options: SAMEORIGIN`` when no other
origin is allowed (browsers that predate ``frame-ancestors``), and ``nosniff`` on every
answer.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

from toiles.api.security import role_of_key
from toiles.errors import StoreError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, MutableMapping, Sequence

    from toiles.graph_db.base import Store

    Scope = MutableMapping[str, Any]
    Message = MutableMapping[str, Any]
    Receive = Callable[[], Awaitable[Message]]
    Send = Callable[[Message], Awaitable[None]]
    ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_JSON_BODY = 1_000_000
"""Largest body of a request that is not a file upload (bytes)."""

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _answer(
    send: Send, status: int, detail: str, headers: Sequence[tuple[str, str]] = ()
) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _store_of(scope: Scope) -> Store:
    """The store the routes use (the tests' override of ``get_store`` when there is one)."""
    from toiles.api.deps import get_store  # noqa: PLC0415  # deps imports this module's peers

    app = scope["app"]
    override = app.dependency_overrides.get(get_store)
    store: Store = override() if override is not None else app.state.store
    return store


class GuardedBodies:
    """Refuse request bodies early: key first, then the declared and the actual size.

    Parameters
    ----------
    app
        The application to guard.
    max_upload_bytes
        Cap of a ``multipart/form-data`` body (file uploads).
    max_body_bytes
        Cap of any other body (JSON).
    """

    def __init__(
        self, app: ASGIApp, *, max_upload_bytes: int, max_body_bytes: int = MAX_JSON_BODY
    ) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.max_body_bytes = max_body_bytes

    async def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        """The status and message that refuse this request before its body, or None."""
        authorization = (_header(scope, b"authorization") or "").strip()
        scheme, _, key = authorization.partition(" ")
        if not authorization:
            return 401, "clé d'API requise pour envoyer des données"
        if scheme.lower() != "bearer" or not key.strip():
            return 401, "en-tête attendu : Authorization: Bearer CLÉ"
        try:
            role = await run_in_threadpool(role_of_key, _store_of(scope), key.strip())
        except StoreError:
            return None  # the route answers 503 with its own message
        if role is None:
            return 401, "clé d'API inconnue ou révoquée"
        if not role.can_edit:
            return 403, f"le rôle {role.value} ne peut pas envoyer de données"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the key and the declared length, then count the body as it arrives."""
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        refusal = await self._refusal(scope)
        if refusal is not None:
            await _answer(send, *refusal)
            return
        content_type = (_header(scope, b"content-type") or "").lower()
        cap = self.max_upload_bytes if "multipart/" in content_type else self.max_body_bytes
        too_large = f"requête trop volumineuse ({cap // 1_000_000} Mo au plus)"
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > cap:
            await _answer(send, 413, too_large, [("connection", "close")])
            return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    exceeded = True
                    return {"type": "http.disconnect"}  # the framework stops reading here
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                started = True
                await _answer(send, 413, too_large, [("connection", "close")])
                return
            if exceeded:
                return
            started = True
            await send(message)

        await self.app(scope, counting_receive, guarded_send)


class SecurityHeaders:
    """Frame and sniffing headers: the same for every HTML answer as for ``/embed``.

    Parameters
    ----------
    app
        The application.
    allowed_origins
        Origins that may frame the pages (``TOILES_API_ALLOWED_ORIGINS``).
    """

    def __init__(self, app: ASGIApp, *, allowed_origins: Sequence[str]) -> None:
        self.app = app
        ancestors = " ".join(["'self'", *allowed_origins])
        self.html_headers = [
            (b"content-security-policy", f"frame-ancestors {ancestors}".encode()),
            (b"referrer-policy", b"no-referrer"),
        ]
        if not allowed_origins:
            self.html_headers.append((b"x-frame-options", b"SAMEORIGIN"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers to the start of every answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(k).lower() for k, _ in headers}
                content_type = next(
                    (bytes(v).lower() for k, v in headers if bytes(k).lower() == b"content-type"),
                    b"",
                )
                extra = [(b"x-content-type-options", b"nosniff")]
                if content_type.startswith(b"text/html"):
                    extra += self.html_headers
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
