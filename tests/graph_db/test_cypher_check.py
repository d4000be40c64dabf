"""What an analyst's read-only Cypher may not do, refused before it reaches the server."""

from __future__ import annotations

import pytest

from toiles.errors import WriteRefused
from toiles.graph_db._neo4j_cypher import check_read_query, row_bytes


@pytest.mark.parametrize(
    "query",
    [
        "LOAD CSV FROM 'http://127.0.0.1:7474/' AS line RETURN line",
        "load  csv with headers from $url as l return l",
        "SHOW USERS",
        "show settings yield name, value",
        "SHOW TRANSACTIONS",
        "TERMINATE TRANSACTIONS 'neo4j-transaction-42'",
        "CALL dbms.listConfig()",
        "CALL dbms.killQuery('q-1')",
        "CALL db.awaitIndexes(300)",
        "CALL db.clearQueryCaches()",
        "MATCH (n) CALL apoc.load.json('http://x') YIELD value RETURN value",
        "CALL dbms.components",
        "USE system MATCH (n) RETURN n",
        "CREATE USER mallory SET PASSWORD 'x'",
        "MATCH (n) /* hidden */ WITH n SHOW USERS",
    ],
)
def test_check_read_query_refuses(query: str) -> None:
    with pytest.raises(WriteRefused, match="requête refusée"):
        check_read_query(query)


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (a:Actor) WHERE a.name = 'Show room' RETURN a",
        'MATCH (a:Actor {name: "LOAD CSV SA"}) RETURN a.name // SHOW USERS',
        "MATCH (a:`Show`) RETURN count(a)",
        "CALL db.labels() YIELD label RETURN label",
        "MATCH (a) CALL { WITH a RETURN a.id AS id } RETURN id",
        "MATCH (a) CALL (a) { RETURN a.id AS id } RETURN id",
        "MATCH (a)-[f:FLOW]->(b) RETURN a.user, f.database, b.terminated",
    ],
)
def test_check_read_query_lets_reads_through(query: str) -> None:
    check_read_query(query)


def test_row_bytes_counts_utf8_json() -> None:
    assert row_bytes(["é"]) == len('["é"]'.encode())
