"""The API when its store is unreachable: 503 with a message, then recovery on its own."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import small_toile
from toiles.api.app import create_app
from toiles.graph_db.neo4j import Neo4jStore
from toiles.graph_db.sqlite import SQLiteStore
from toiles.settings import Settings


def test_store_down_is_503_then_recovers(tmp_path: Path) -> None:
    blocker = tmp_path / "disque"
    blocker.write_text("a file where the store's folder should be")
    path = blocker / "toiles.db"
    client = TestClient(create_app(Settings(store=f"sqlite:///{path}")))
    down = client.get("/readyz")
    assert down.status_code == 503
    assert down.json()["detail"].startswith("base indisponible")
    assert str(tmp_path) not in down.text  # the store's path is for the server's log only
    assert down.headers["retry-after"] == "5"
    assert client.get("/api/v1/toiles").status_code == 503
    assert client.get("/healthz").status_code == 200  # the process itself is fine
    blocker.unlink()  # the disk is back
    SQLiteStore(path).save_toile(small_toile("petite"))
    assert client.get("/readyz").status_code == 200
    assert client.get("/api/v1/toiles").json()["count"] == 1


def test_neo4j_unreachable_is_503() -> None:
    store = Neo4jStore("neo4j://127.0.0.1:9", password="not-needed-here")
    client = TestClient(create_app(Settings(store="sqlite:///unused.db"), store=store))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["detail"].startswith("base indisponible")
    assert "127.0.0.1" not in response.text
    assert "not-needed-here" not in response.text
    assert client.get("/api/v1/toiles/x/actors").status_code == 503
    store.close()
