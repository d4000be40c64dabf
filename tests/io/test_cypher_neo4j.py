"""The Cypher export run against the real Neo4j server that `make test` starts.

Marked ``neo4j``: locally it skips when no server answers; with ``TOILES_REQUIRE_NEO4J=1``
or ``CI=true`` an unreachable server fails it (the rule of ``tests/conftest.py``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import canonical, neo4j_required
from tests.io._cypher_reader import _statements
from tests.viz._hostile import hostile_toile
from toiles.io.cypher import ORIGIN, cypher_script
from toiles.models import Actor, Flow, Toile
from toiles.settings import get_settings

pytestmark = pytest.mark.neo4j


@pytest.fixture
def session() -> Iterator[Any]:
    import neo4j

    settings = get_settings()
    password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
    url = os.environ.get("TOILES_TEST_NEO4J_URL", "neo4j://127.0.0.1:7687")
    driver = neo4j.GraphDatabase.driver(url, auth=(settings.neo4j_user, password))
    try:
        driver.verify_connectivity()
    except Exception as exc:  # noqa: BLE001  # any driver failure means: no server here
        driver.close()
        if neo4j_required():
            pytest.fail(f"the Neo4j server the tests need is unreachable: {exc}")
        pytest.skip(f"Neo4j not running locally: {exc}")
    with driver.session(database=settings.neo4j_database) as s:
        yield s
    driver.close()


def _read_back(session: Any, toile_id: str, version: str) -> Toile:
    scope = {"id": toile_id, "version": version, "origin": ORIGIN}
    query = "MATCH (v:ToileVersion {toile_id: $id, version: $version, origin: $origin}) "
    info = session.run(query + "RETURN properties(v) AS v", scope).single()["v"]
    actors = [
        Actor(**record["a"])
        for record in session.run(
            query + "MATCH (a:Actor)-[:IN_VERSION]->(v) RETURN properties(a) AS a", scope
        )
    ]
    flows = [
        Flow(
            source=record["s"],
            target=record["t"],
            **{k: v for k, v in record["f"].items() if k not in {"family", "quantity_base"}},
        )
        for record in session.run(
            query + "MATCH (s:Actor)-[:IN_VERSION]->(v), (t:Actor)-[:IN_VERSION]->(v), "
            "(s)-[f:FLOW]->(t) RETURN s.id AS s, t.id AS t, properties(f) AS f",
            scope,
        )
    ]
    data = {k: v for k, v in info.items() if k not in {"toile_id", "origin", "updated"}}
    data["id"] = toile_id
    data["territory"] = {
        "name": data.pop("territory_name", ""),
        "epci": data.pop("territory_epci", []),
    }
    if info.get("updated") is not None:
        data["updated"] = info["updated"].iso_format()
    return Toile(**data, actors=actors, flows=flows)


def test_cypher_script_recreates_the_toile_in_neo4j(session: Any):
    toile = hostile_toile().model_copy(update={"id": f"test-cypher-{uuid.uuid4().hex[:10]}"})
    statements = _statements(cypher_script(toile))
    try:
        for _ in range(2):  # idempotent: the second run changes nothing
            for statement in statements:
                session.run(statement).consume()
        assert canonical(_read_back(session, toile.id, toile.version)) == canonical(toile)
    finally:
        session.run(
            "MATCH (v:ToileVersion {toile_id: $id, origin: $origin}) "
            "OPTIONAL MATCH (a:Actor)-[:IN_VERSION]->(v) DETACH DELETE a, v",
            id=toile.id,
            origin=ORIGIN,
        ).consume()
        session.run(
            "MATCH (t:Toile {id: $id}) WHERE NOT (t)<-[:VERSION_OF]-() DETACH DELETE t", id=toile.id
        ).consume()
