import sqlite3
from pathlib import Path

import pytest

from tests.conftest import small_toile
from toiles.errors import StoreError, StoreUnavailable
from toiles.graph_db import open_store, sqlite_path
from toiles.graph_db.sqlite import SQLiteStore


def test_save_toile_failure_midway_keeps_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SQLiteStore(tmp_path / "t.db")
    first = small_toile("t")
    store.save_toile(first)
    second = small_toile("t").model_copy(update={"flows": small_toile().flows[:2]})
    real_connection = store._connection

    class Exploding:
        """A connection whose flow insert fails, after the old version was deleted."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def __getattr__(self, name: str) -> object:
            return getattr(self.conn, name)

        def executemany(self, sql: str, rows: object) -> object:
            if "INSERT INTO flows" in sql:
                raise sqlite3.OperationalError("disk I/O error (injected)")
            return self.conn.executemany(sql, rows)

    monkeypatch.setattr(store, "_connection", lambda: Exploding(real_connection()))
    with pytest.raises(StoreError, match="injected"):
        store.save_toile(second)
    monkeypatch.undo()
    got = store.get_toile("t")
    assert len(got.flows) == 6  # the previous version, whole


def test_open_store_urls(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    assert isinstance(store, SQLiteStore)
    assert sqlite_path("sqlite:////abs/t.db") == Path("/abs/t.db")
    with pytest.raises(StoreError):
        open_store("sqlite:t.db")


def test_unreadable_file_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "not-a-db.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreUnavailable, match="not a database"):
        SQLiteStore(path).ping()


def test_old_file_gets_search_index_backfilled(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    SQLiteStore(path).save_toile(small_toile("t"))
    # Simulate a file written before the search index existed (schema version 0).
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM actor_names")
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()
    from toiles.graph_db.base import ActorQuery

    assert SQLiteStore(path).query_actors("t", ActorQuery(q="sucrerie")).total == 1
