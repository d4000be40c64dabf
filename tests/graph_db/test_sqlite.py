import sqlite3
from pathlib import Path

import pytest

from tests.conftest import small_toile
from toiles.errors import StoreError, StoreUnavailable
from toiles.graph_db import open_store, sqlite_path
from toiles.graph_db import sqlite as sqlite_module
from toiles.graph_db.base import ActorQuery, FlowQuery, Page
from toiles.graph_db.sqlite import SCHEMA_VERSION, SQLiteStore
from toiles.models.vocab import Confidentiality, fold
from toiles.synthetic import synthetic_toile


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


def test_slow_searches_are_kept_until_the_version_is_saved_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept pages answer repeats; a new save of the version (here by another process's
    store on the same file, so this store's memory is not told) is never answered from them."""
    monkeypatch.setattr(sqlite_module, "SLOW_QUERY_S", 0.0)  # every search counts as slow
    path = tmp_path / "toiles.db"
    server = SQLiteStore(path)
    other = SQLiteStore(path)
    toile = small_toile("test-cache")
    other.save_toile(toile)
    query = ActorQuery(q="sucrerie")
    first = server.query_actors("test-cache", query)
    assert [a.id for a in first.items] == ["usine"]
    assert server.query_actors("test-cache", query) is first  # kept
    renamed = tuple(
        a.model_copy(update={"name": "Sucrerie Nouvelle"}) if a.id == "reseau" else a
        for a in toile.actors
    )
    other.save_toile(toile.model_copy(update={"actors": renamed}))
    again = server.query_actors("test-cache", query)
    assert [a.id for a in again.items] == ["reseau", "usine"]
    assert again.total == 2
    flows = server.query_flows("test-cache", FlowQuery(source="usine"))
    assert server.query_flows("test-cache", FlowQuery(source="usine")) is flows
    # The reader's clearance is part of the key: an anonymous reader never gets a kept page
    # computed for an editor.
    public = server.query_flows(
        "test-cache", FlowQuery(source="usine", visibility=Confidentiality.PUBLIC)
    )
    assert public.total < flows.total
    assert all(f.confidentiality is Confidentiality.PUBLIC for f in public.items)


def test_slow_pages_keep_within_their_item_budget() -> None:
    pages = sqlite_module._SlowPages(max_items=10)  # the store's own cache
    page = Page[int](items=(1, 2, 3, 4), total=4)
    for n in range(3):
        pages.put(("actors", n, "t", "q"), page)  # 5 items each, with the count
    assert pages.get(("actors", 0, "t", "q")) is None  # the least recently used went out
    assert pages.get(("actors", 2, "t", "q")) is page
    pages.put(("actors", 9, "t", "q"), Page[int](items=tuple(range(20)), total=20))
    assert pages.get(("actors", 9, "t", "q")) is None  # larger than the whole budget: not kept


@pytest.mark.parametrize("word", ["entreprise", "ENTREPRISE 1", "(bethune)", "mairie", "zz"])
def test_query_actors_name_search_same_page_by_index_or_walk(tmp_path: Path, word: str) -> None:
    """Dense matches page by walking the actors in id order, sparse ones through the trigram
    index: either way the page and the count are those of a plain substring filter."""
    toile = synthetic_toile(400, 600, seed=5)
    levels = list(Confidentiality)
    hidden = tuple(  # every actor of the synthetic toile is public: hide some
        a.model_copy(update={"confidentiality": levels[i % len(levels)]})
        for i, a in enumerate(toile.actors)
    )
    toile = toile.model_copy(update={"actors": hidden})
    store = SQLiteStore(tmp_path / "toiles.db")
    store.save_toile(toile)
    for visibility in (Confidentiality.PUBLIC, Confidentiality.CONFIDENTIEL):
        expected = sorted(
            a.id
            for a in toile.actors
            if fold(word) in fold(a.name) and a.confidentiality.rank <= visibility.rank
        )
        for offset in (0, 7):
            query = ActorQuery(q=word, limit=9, offset=offset, visibility=visibility)
            page = store.query_actors(toile.id, query)
            assert page.total == len(expected)
            assert [a.id for a in page.items] == expected[offset : offset + 9]
    assert sqlite_module._dense(len(toile.actors) - 1, 16, len(toile.actors))


def test_old_file_gets_flow_temperature_column(tmp_path: Path) -> None:
    # A file of schema version 2 has no temperature column: opening it adds the column and
    # fills it from the stored flows; a flow's temperature round-trips either way.
    path = tmp_path / "v2.db"
    toile = small_toile("t")
    hot = toile.flows[0].model_copy(update={"temperature": 180.0})
    toile = toile.model_copy(update={"flows": (hot, *toile.flows[1:])})
    SQLiteStore(path).save_toile(toile)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE flows DROP COLUMN temperature")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    assert store.get_toile("t").flows[0].temperature == 180.0
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    rows = conn.execute("SELECT id, temperature FROM flows WHERE temperature IS NOT NULL")
    assert rows.fetchall() == [(hot.id, 180.0)]
    conn.close()
