"""Signing in to the web application: server-side sessions, the visitor's role, CSRF tokens.

A visitor pastes an API key once; the server checks it, keeps a session (the key's hash,
never the key) and sends back only a random session id, in an ``HttpOnly``,
``SameSite=Strict`` cookie (``Secure`` when the request came over HTTPS). Every request of
a signed-in visitor checks the key again, so a revoked key ends its sessions at once.

Forms are protected by a double-submit token: a random ``toiles_csrf`` cookie
(``SameSite=Strict``, ``HttpOnly``) whose value each form also carries in a hidden field;
a POST whose field does not match the cookie is refused. A page on another site can
neither read the cookie nor make the browser send it.

Sessions live in the memory of the serving process: signing in again is needed after a
restart, and ``toiles serve --workers N`` with N > 1 would need a shared session store.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toiles.access import Role
from toiles.api.security import hash_key

if TYPE_CHECKING:
    from fastapi import Request, Response

    from toiles.graph_db.base import ApiKeyStore

SESSION_COOKIE = "toiles_session"
CSRF_COOKIE = "toiles_csrf"
CSRF_FIELD = "csrf"
#: A session ends after this long without a request.
SESSION_IDLE = dt.timedelta(hours=8)


@dataclass(frozen=True)
class Visitor:
    """Who is browsing: their role, and the key they signed in with (none when anonymous)."""

    role: Role = Role.ANONYME
    key_id: str | None = None
    key_name: str | None = None

    @property
    def signed_in(self) -> bool:
        """Whether the visitor signed in with a key."""
        return self.key_id is not None


ANONYMOUS = Visitor()


@dataclass
class _Session:
    key_hash: str
    last_seen: dt.datetime


@dataclass
class SessionStore:
    """The sessions of one serving process, by random id (thread-safe)."""

    _sessions: dict[str, _Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self, key: str) -> str:
        """Open a session for a key already checked; return the new session id."""
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[session_id] = _Session(hash_key(key), dt.datetime.now(dt.UTC))
        return session_id

    def close(self, session_id: str) -> None:
        """End a session (unknown ids are ignored)."""
        with self._lock:
            self._sessions.pop(session_id, None)

    def visitor(self, store: ApiKeyStore, session_id: str | None) -> Visitor:
        """The visitor of a session: anonymous when the session or its key is gone."""
        if not session_id:
            return ANONYMOUS
        now = dt.datetime.now(dt.UTC)
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return ANONYMOUS
            if now - session.last_seen > SESSION_IDLE:
                del self._sessions[session_id]
                return ANONYMOUS
            session.last_seen = now
            key_hash = session.key_hash
        record = store.find_api_key(key_hash)
        if record is None or record.revoked:
            self.close(session_id)
            return ANONYMOUS
        return Visitor(record.role, record.id, record.name)


def is_https(request: Request) -> bool:
    """Whether the visitor reached the server over HTTPS (directly or through a proxy)."""
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    """Set one of the application's cookies: HttpOnly, SameSite=Strict, Secure over HTTPS."""
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="strict",
        secure=is_https(request),
        path="/",
    )


def csrf_token(request: Request) -> str:
    """The visitor's form token: the cookie's value, or a new one the page will set."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return str(token)


def csrf_valid(request: Request, submitted: object) -> bool:
    """Whether a form's token matches the visitor's cookie (constant-time comparison)."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not isinstance(submitted, str) or not submitted:
        return False
    return hmac.compare_digest(cookie.encode(), submitted.encode())
