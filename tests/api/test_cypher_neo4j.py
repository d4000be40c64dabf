"""The API on the real Neo4j server (marked neo4j): read routes, and POST /cypher read-only with
parameters as parameters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import _neo4j_store, neo4j_required, small_toile
from toiles.access import Role
from toiles.api.app import close_cypher_reader, create_app
from toiles.api.deps import get_store
from toiles.api.security import create_api_key
from toiles.graph_db.base import ToileStore
from toiles.graph_db.sqlite import SQLiteStore
from toiles.settings import Settings

pytestmark = pytest.mark.neo4j


@pytest.fixture
def neo4j(toile_id: str) -> Iterator[tuple[ToileStore, str]]:
    store = _neo4j_store()
    store.save_toile(small_toile(toile_id))
    yield store, toile_id
    store.delete_toile(toile_id)
    store.close()


_APPS: list[FastAPI] = []


@pytest.fixture(autouse=True)
def _close_readers() -> Iterator[None]:
    """Close the /cypher user's connections of the apps a test built."""
    yield
    while _APPS:
        close_cypher_reader(_APPS.pop())


def _app(**settings: object) -> FastAPI:
    app = create_app(Settings(store="sqlite:///unused.db", **settings))  # type: ignore[arg-type]
    _APPS.append(app)
    return app


def _client(store: ToileStore) -> TestClient:
    app = _app(cypher_max_rows=3)
    app.dependency_overrides[get_store] = lambda: store
    return TestClient(app)


def _headers(store: ToileStore, role: Role) -> dict[str, str]:
    key, _ = create_api_key(store, role=role, name=f"test-{role.value}")
    return {"Authorization": f"Bearer {key}"}


def test_cypher_reads_with_parameters(neo4j) -> None:
    store, toile_id = neo4j
    client = _client(store)
    query = (
        "MATCH (a:Actor)-[:IN_VERSION]->(v:ToileVersion {toile_id: $toile}) "
        "WHERE a.commune_insee = $commune RETURN a.id AS id ORDER BY id"
    )
    body = {"query": query, "params": {"toile": toile_id, "commune": "62119"}}
    response = client.post("/api/v1/cypher", json=body, headers=_headers(store, Role.EDITEUR))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "columns": ["id"],
        "rows": [["reseau"], ["usine"]],
        "truncated": False,
    }


def test_cypher_row_limit_and_injection_stays_a_value(neo4j) -> None:
    store, toile_id = neo4j
    client = _client(store)
    headers = _headers(store, Role.ADMIN)
    everything = {
        "query": "MATCH (a:Actor)-[:IN_VERSION]->(:ToileVersion {toile_id: $t}) RETURN a.id",
        "params": {"t": toile_id},
    }
    assert (
        client.post("/api/v1/cypher", json=everything, headers=headers).json()["truncated"] is True
    )
    hostile = {"query": "MATCH (a:Actor {id: $id}) RETURN a.id", "params": {"id": "x' OR 1=1 //"}}
    assert client.post("/api/v1/cypher", json=hostile, headers=headers).json()["rows"] == []


def test_cypher_write_is_refused_by_the_database(neo4j) -> None:
    store, toile_id = neo4j
    client = _client(store)
    body = {"query": "MATCH (a:Actor {id: 'usine'}) DETACH DELETE a", "params": {}}
    response = client.post("/api/v1/cypher", json=body, headers=_headers(store, Role.EDITEUR))
    assert response.status_code == 403
    assert "seules les lectures" in response.json()["detail"]
    assert store.get_actor(toile_id, "usine").name == "Sucrerie des Deux Villes"


def test_cypher_needs_editor(neo4j) -> None:
    store, _ = neo4j
    client = _client(store)
    body = {"query": "RETURN 1", "params": {}}
    assert client.post("/api/v1/cypher", json=body).status_code == 401
    assert (
        client.post(
            "/api/v1/cypher", json=body, headers=_headers(store, Role.PARTENAIRE)
        ).status_code
        == 403
    )
    bad = client.post(
        "/api/v1/cypher",
        json={"query": "MATCH (", "params": {}},
        headers=_headers(store, Role.ADMIN),
    )
    assert bad.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "LOAD CSV FROM 'http://127.0.0.1:7474/' AS line RETURN line",
        "SHOW USERS",
        "SHOW SETTINGS",
        "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
        "CALL dbms.listConfig()",
    ],
)
def test_cypher_refuses_admin_and_network_clauses(neo4j, query: str) -> None:
    store, _ = neo4j
    client = _client(store)
    response = client.post(
        "/api/v1/cypher", json={"query": query, "params": {}}, headers=_headers(store, Role.ADMIN)
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("requête refusée")


def test_cypher_answers_are_capped_in_bytes(neo4j) -> None:
    store, _ = neo4j
    app = _app(cypher_max_bytes=200)
    app.dependency_overrides[get_store] = lambda: store
    body = {"query": "UNWIND range(1, 100) AS i RETURN i, 'texte assez long' AS t", "params": {}}
    answer = TestClient(app).post(
        "/api/v1/cypher", json=body, headers=_headers(store, Role.EDITEUR)
    )
    assert answer.status_code == 200
    assert answer.json()["truncated"] is True
    assert 0 < len(answer.json()["rows"]) < 10


def test_cypher_runs_as_its_own_database_user(neo4j) -> None:
    settings = Settings()
    if settings.cypher_user is None:
        if neo4j_required():
            pytest.fail("TOILES_CYPHER_USER and TOILES_CYPHER_PASSWORD are needed (make test)")
        pytest.skip("TOILES_CYPHER_USER is not set (make test sets it)")
    store, _ = neo4j
    app = _app()
    app.dependency_overrides[get_store] = lambda: store
    client = TestClient(app)
    body = {"query": "RETURN 1 AS one", "params": {}}
    headers = _headers(store, Role.EDITEUR)
    assert client.post("/api/v1/cypher", json=body, headers=headers).json()["rows"] == [[1]]
    reader = app.state.cypher_reader
    assert reader.user == settings.cypher_user != store.user
    wrong = _app(cypher_password="pas-le-bon-mot-de-passe")
    wrong.dependency_overrides[get_store] = lambda: store
    refused = TestClient(wrong).post("/api/v1/cypher", json=body, headers=headers)
    assert refused.status_code == 503  # its own credentials, not the store's
    assert refused.json()["detail"].startswith("base indisponible")


def test_read_routes_on_neo4j_match_sqlite(neo4j, tmp_path) -> None:
    """Searches and details read a networked store through the thread pool: same answers,
    per role, as the embedded store that reads inline."""
    store, toile_id = neo4j
    sqlite = SQLiteStore(tmp_path / "toiles.db")
    sqlite.save_toile(small_toile(toile_id))
    paths = [
        f"/api/v1/toiles/{toile_id}/actors?q=sucrerie",
        f"/api/v1/toiles/{toile_id}/actors?limit=2&offset=1",
        f"/api/v1/toiles/{toile_id}/actors/usine",
        f"/api/v1/toiles/{toile_id}/flows?source=usine",
        f"/api/v1/toiles/{toile_id}/flows?min_quantity=1&unit=GWh",
    ]
    for role in (Role.ANONYME, Role.EDITEUR):
        on_neo4j = _client(store)
        on_sqlite = _client(sqlite)
        headers = {} if role is Role.ANONYME else _headers(store, role)
        headers_sqlite = {} if role is Role.ANONYME else _headers(sqlite, role)
        for path in paths:
            a = on_neo4j.get(path, headers=headers)
            b = on_sqlite.get(path, headers=headers_sqlite)
            assert a.status_code == b.status_code == 200, (path, a.text)
            assert a.json() == b.json(), path
    hidden = _client(store).get(f"/api/v1/toiles/{toile_id}/flows?source=usine").json()
    shown = _client(store).get(
        f"/api/v1/toiles/{toile_id}/flows?source=usine", headers=_headers(store, Role.EDITEUR)
    )
    assert hidden["count"] < shown.json()["count"]
