"""Sessions of the web application, and the cache of pictures."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from toiles.access import Role
from toiles.api.security import create_api_key
from toiles.graph_db.sqlite import SQLiteStore
from toiles.web.pictures import PictureCache
from toiles.web.session import ANONYMOUS, SESSION_IDLE, SessionStore

if TYPE_CHECKING:
    from pathlib import Path


def test_session_gives_the_key_role_until_revoked(tmp_path: Path):
    store = SQLiteStore(tmp_path / "s.db")
    key, record = create_api_key(store, role=Role.EDITEUR, name="Éditrice")
    sessions = SessionStore()
    session_id = sessions.open(key)
    assert key not in session_id
    visitor = sessions.visitor(store, session_id)
    assert (visitor.role, visitor.key_name, visitor.signed_in) == (Role.EDITEUR, "Éditrice", True)
    store.revoke_api_key(record.id)
    assert sessions.visitor(store, session_id) == ANONYMOUS
    assert sessions.visitor(store, "inconnue") == ANONYMOUS
    assert sessions.visitor(store, None) == ANONYMOUS


def test_session_ends_after_idle_time(tmp_path: Path):
    store = SQLiteStore(tmp_path / "s.db")
    key, _ = create_api_key(store, role=Role.PARTENAIRE, name="Partenaire")
    sessions = SessionStore()
    session_id = sessions.open(key)
    sessions._sessions[session_id].last_seen -= SESSION_IDLE + dt.timedelta(seconds=1)
    assert sessions.visitor(store, session_id) == ANONYMOUS
    assert session_id not in sessions._sessions


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
