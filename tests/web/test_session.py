"""Sessions of the web application, and the cache of pictures."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from toiles.access import Role, WebSession
from toiles.api.security import create_api_key, hash_key
from toiles.graph_db.sqlite import SQLiteStore
from toiles.web.pictures import PictureCache
from toiles.web.session import ANONYMOUS, SESSION_IDLE, SessionStore, session_csrf

if TYPE_CHECKING:
    from pathlib import Path


def test_session_gives_the_key_role_until_revoked(tmp_path: Path):
    store = SQLiteStore(tmp_path / "s.db")
    key, record = create_api_key(store, role=Role.EDITEUR, name="Éditrice")
    sessions = SessionStore()
    token = sessions.open(store, key)
    assert key not in token
    visitor = sessions.visitor(store, token)
    assert (visitor.role, visitor.key_name, visitor.signed_in) == (Role.EDITEUR, "Éditrice", True)
    assert visitor.csrf == session_csrf(token, _stored(store, token).csrf_secret)
    store.revoke_api_key(record.id)
    assert store.find_session(_hash(token)) is None  # revoking the key ended the session
    assert sessions.visitor(store, token) == ANONYMOUS
    assert sessions.visitor(store, "inconnue") == ANONYMOUS
    assert sessions.visitor(store, None) == ANONYMOUS


def test_session_store_keeps_hashes_only(tmp_path: Path):
    store = SQLiteStore(tmp_path / "s.db")
    key, _ = create_api_key(store, role=Role.PARTENAIRE, name="Partenaire")
    token = SessionStore().open(store, key)
    stored = _stored(store, token)
    assert stored.key_hash == hash_key(key)
    dumped = b"".join(p.read_bytes() for p in tmp_path.glob("s.db*"))  # the WAL file too
    assert stored.token_hash.encode() in dumped  # what is stored is there...
    assert token.encode() not in dumped  # ...and neither the session token nor the key
    assert key.encode() not in dumped
    # The stored CSRF secret alone does not give the forms' token: it needs the session token.
    assert session_csrf("another-token", stored.csrf_secret) != session_csrf(
        token, stored.csrf_secret
    )


def test_session_survives_a_restart_and_is_shared_between_processes(tmp_path: Path):
    # Two store objects on one file stand for two workers, or the server before and after a
    # restart (the real-process test below runs `toiles serve --workers 2` and restarts it).
    first, second = SQLiteStore(tmp_path / "s.db"), SQLiteStore(tmp_path / "s.db")
    key, _ = create_api_key(first, role=Role.EDITEUR, name="Éditrice")
    token = SessionStore().open(first, key)
    assert SessionStore().visitor(second, token).role is Role.EDITEUR
    SessionStore().close(second, token)
    assert SessionStore().visitor(first, token) == ANONYMOUS


def test_session_ends_after_idle_time_and_is_purged(tmp_path: Path):
    store = SQLiteStore(tmp_path / "s.db")
    key, _ = create_api_key(store, role=Role.PARTENAIRE, name="Partenaire")
    token = SessionStore().open(store, key)
    stored = _stored(store, token)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    store.save_session(stored.model_copy(update={"expires": past}))
    assert SessionStore().visitor(store, token) == ANONYMOUS
    assert store.find_session(_hash(token)) is None  # an expired session is deleted when seen
    forgotten = SessionStore().open(store, key)  # a visitor who never comes back
    store.save_session(_stored(store, forgotten).model_copy(update={"expires": past}))
    SessionStore().open(store, key)  # the next sign-in purges it
    assert store.find_session(_hash(forgotten)) is None


def test_session_expiry_moves_when_the_visitor_comes_back(tmp_path: Path):
    store = SQLiteStore(tmp_path / "s.db")
    key, _ = create_api_key(store, role=Role.PARTENAIRE, name="Partenaire")
    token = SessionStore().open(store, key)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    store.save_session(_stored(store, token).model_copy(update={"expires": soon}))
    assert SessionStore().visitor(store, token).signed_in
    assert _stored(store, token).expires > soon + SESSION_IDLE - dt.timedelta(minutes=10)


def _hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


def _stored(store: SQLiteStore, token: str) -> WebSession:
    found = store.find_session(_hash(token))
    assert found is not None
    return found


def test_picture_cache_draws_once_and_drops_the_least_recent():
    cache = PictureCache(max_bytes=10)
    drawn: list[str] = []

    def draw(name: str, size: int):
        def make() -> bytes:
            drawn.append(name)
            return name.encode() * size

        return make

    assert cache.get_or_draw("a", draw("a", 4)) == b"aaaa"
    assert cache.get_or_draw("a", draw("a", 4)) == b"aaaa"
    cache.get_or_draw("b", draw("b", 4))
    cache.get_or_draw("a", draw("a", 4))  # a is now the most recent
    cache.get_or_draw("c", draw("c", 4))  # 12 bytes > 10: b goes
    cache.get_or_draw("a", draw("a", 4))
    cache.get_or_draw("b", draw("b", 4))
    assert drawn == ["a", "b", "c", "b"]
