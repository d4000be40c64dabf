"""Signing in to the web application: sessions in the key store, the visitor's role, CSRF.

A visitor pastes an API key once; the server checks it, opens a session and sends back only
a random session token, in an ``HttpOnly``, ``SameSite=Strict`` cookie (``Secure`` when the
request came over HTTPS). The session is stored beside the API keys, in the same store
(SQLite table ``web_sessions``, Neo4j nodes ``WebSession``): the hash of its token (never
the token), the hash of the key (never the key), its CSRF secret and when it expires. A
restart of the server keeps visitors signed in, and ``toiles serve --workers N`` shares
the sessions between its processes. Every request checks the key again, so a revoked key
ends its sessions at once (the store also deletes them); a session unused for
:data:`SESSION_IDLE` ends, and expired sessions are purged at each sign-in.

Forms are protected against cross-site requests. A signed-in visitor's forms carry a token
derived from the session's CSRF secret *and* its token (HMAC-SHA256): it is checked against
the session, so the stored secret alone, or a cookie planted by a neighbouring site, forges
no form. Before signing in (the sign-in form itself), a double-submit token: a random
``toiles_csrf`` cookie (``SameSite=Strict``, ``HttpOnly``) that the form also carries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toiles.access import Role, WebSession
from toiles.api.security import hash_key

if TYPE_CHECKING:
    from fastapi import Request, Response

    from toiles.graph_db.base import ApiKeyStore

SESSION_COOKIE = "toiles_session"
CSRF_COOKIE = "toiles_csrf"
CSRF_FIELD = "csrf"
#: A session ends after this long without a request.
SESSION_IDLE = dt.timedelta(hours=8)
#: A session's expiry is pushed back at most this often (one store write per period).
SESSION_TOUCH = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Visitor:
    """Who is browsing: their role, the key they signed in with, their forms' token."""

    role: Role = Role.ANONYME
    key_id: str | None = None
    key_name: str | None = None
    #: The form token of the visitor's session (None before signing in).
    csrf: str | None = field(default=None, repr=False)

    @property
    def signed_in(self) -> bool:
        """Whether the visitor signed in with a key."""
        return self.key_id is not None


ANONYMOUS = Visitor()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_csrf(token: str, secret: str) -> str:
    """The form token of a session: HMAC-SHA256 of its CSRF secret, keyed by its token."""
    return hmac.new(token.encode(), secret.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SessionStore:
    """Open, find and end web sessions in a key store (thread- and process-safe).

    Parameters
    ----------
    idle
        How long a session lasts without a request.
    """

    idle: dt.timedelta = SESSION_IDLE

    def open(self, store: ApiKeyStore, key: str) -> str:
        """Open a session for a key already checked; return the new session token.

        Expired sessions of every visitor are purged first.
        """
        now = dt.datetime.now(dt.UTC)
        store.purge_sessions(now)
        token = secrets.token_urlsafe(32)
        store.save_session(
            WebSession(
                token_hash=_token_hash(token),
                key_hash=hash_key(key),
                csrf_secret=secrets.token_urlsafe(32),
                expires=now + self.idle,
            )
        )
        return token

    def close(self, store: ApiKeyStore, token: str) -> None:
        """End a session (unknown tokens are ignored)."""
        store.delete_session(_token_hash(token))

    def visitor(self, store: ApiKeyStore, token: str | None) -> Visitor:
        """The visitor of a session: anonymous when the session, or its key, is gone."""
        if not token:
            return ANONYMOUS
        token_hash = _token_hash(token)
        session = store.find_session(token_hash)
        if session is None:
            return ANONYMOUS
        now = dt.datetime.now(dt.UTC)
        if session.expires <= now:
            store.delete_session(token_hash)
            return ANONYMOUS
        record = store.find_api_key(session.key_hash)
        if record is None or record.revoked:
            store.delete_session(token_hash)
            return ANONYMOUS
        if session.expires - now < self.idle - SESSION_TOUCH:  # the visitor came back
            store.save_session(session.model_copy(update={"expires": now + self.idle}))
        csrf = session_csrf(token, session.csrf_secret)
        return Visitor(record.role, record.id, record.name, csrf)


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


def csrf_token(request: Request, visitor: Visitor = ANONYMOUS) -> str:
    """The visitor's form token: their session's, else the cookie's (or a new one to set)."""
    if visitor.csrf:
        return visitor.csrf
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return str(token)


def csrf_valid(request: Request, submitted: object, visitor: Visitor = ANONYMOUS) -> bool:
    """Whether a form's token is the visitor's session token or matches their cookie.

    Comparisons take constant time.
    """
    if not isinstance(submitted, str) or not submitted:
        return False
    expected = visitor.csrf or request.cookies.get(CSRF_COOKIE)
    if not expected:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())
