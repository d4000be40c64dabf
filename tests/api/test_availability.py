"""The API when its store is unreachable: 503 with a message, then recovery on its own."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.api._tcp_proxy import TcpRelay
from tests.conftest import _neo4j_store, small_toile
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


def test_neo4j_down_answers_each_request_fast() -> None:
    # A closed port: the driver's retries used to make each request wait 30 s or more.
    store = Neo4jStore("neo4j://127.0.0.1:9", password="not-needed-here", connect_timeout_s=1)
    client = TestClient(create_app(Settings(store="sqlite:///unused.db"), store=store))
    for path in ("/readyz", "/api/v1/toiles", "/api/v1/toiles/x/actors", "/readyz"):
        started = time.monotonic()
        response = client.get(path)
        assert response.status_code == 503
        assert time.monotonic() - started < 2, path
        assert response.json()["detail"].startswith("base indisponible")
        assert "127.0.0.1" not in response.text
    started = time.monotonic()
    assert client.get("/readyz").status_code == 503
    assert time.monotonic() - started < 0.1  # the breaker is open: no new attempt
    store.close()


@pytest.mark.neo4j
def test_neo4j_stopped_under_a_live_api_answers_fast() -> None:
    """The server goes away after the API has connected: each request gets its 503 in seconds.

    Before, the driver's retries held each request for 30 s or more, and /readyz as long.
    """
    reference = _neo4j_store()  # skips or fails like every Neo4j test when there is none
    url = urlsplit(os.environ.get("TOILES_TEST_NEO4J_URL", "neo4j://127.0.0.1:7687"))
    relay = TcpRelay((url.hostname or "127.0.0.1", url.port or 7687))
    store = Neo4jStore(
        f"bolt://127.0.0.1:{relay.port}",
        password=reference._password,  # the same credentials
        connect_timeout_s=1,
    )
    reference.close()
    client = TestClient(create_app(Settings(store="sqlite:///unused.db"), store=store))
    try:
        assert client.get("/readyz").status_code == 200
        relay.cut()
        for path in ("/readyz", "/api/v1/toiles", "/api/v1/toiles/x/actors", "/readyz"):
            started = time.monotonic()
            response = client.get(path)
            assert response.status_code == 503, path
            assert time.monotonic() - started < 5, path
            assert response.json()["detail"].startswith("base indisponible")
            assert str(relay.port) not in response.text
    finally:
        store.close()
