"""What only the Neo4j store has to prove: batched all-or-nothing loads, the typed model,
read-only Cypher, and clear errors. Tests marked ``neo4j`` run on the real server."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from neo4j.exceptions import ServiceUnavailable
from neo4j.spatial import WGS84Point
from neo4j.time import Date

from tests.conftest import canonical, small_toile
from toiles.errors import StoreError, StoreUnavailable, ToileNotFound
from toiles.graph import graph_from_toile
from toiles.graph_db import _neo4j_model as m
from toiles.graph_db import neo4j as neo4j_module
from toiles.graph_db.neo4j import (
    CypherResult,
    InvalidCypher,
    Neo4jStore,
    WriteRefused,
    check_server_version,
    parse_params,
    run_read_query,
    write_csv,
)
from toiles.models import Actor, Flow, Toile
from toiles.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ.get("TOILES_TEST_NEO4J_URL", "neo4j://127.0.0.1:7687")


@pytest.fixture
def neo4j() -> Iterator[Neo4jStore]:
    """The real server's store; the toiles named ``test-…`` are deleted afterwards."""
    from tests.conftest import _neo4j_store

    store = _neo4j_store()
    assert isinstance(store, Neo4jStore)
    yield store
    for toile_id in {s.id for s in store.list_toiles() if s.id.startswith("test-")}:
        store.delete_toile(toile_id)
    store.purge_leftovers(stale_after_s=0)
    store.close()


def _count(store: Neo4jStore, query: str, **params: object) -> int:
    result = run_read_query(store, query, params)
    value = result.rows[0][0]
    assert isinstance(value, int)
    return value


def _stored(store: Neo4jStore, toile_id: str) -> tuple[int, int, int]:
    """Version nodes, actors and flows of a toile in any state (what Cypher users could see)."""
    versions = _count(store, "MATCH (v:ToileVersion {toile_id: $t}) RETURN count(v)", t=toile_id)
    actors = _count(
        store,
        "MATCH (a:Actor)-[:IN_VERSION]->(:ToileVersion {toile_id: $t}) RETURN count(a)",
        t=toile_id,
    )
    flows = _count(
        store,
        "MATCH (:ToileVersion {toile_id: $t})<-[:IN_VERSION]-(:Actor)-[f:FLOW]->() RETURN count(f)",
        t=toile_id,
    )
    return versions, actors, flows


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- no server needed ----------------------------------------------------------------------


def test_model_props_cover_every_model_field() -> None:
    actor_props = {p.name for p in m.ACTOR_PROPS} - m.DERIVED_ACTOR_PROPS
    flow_props = {p.name for p in m.FLOW_PROPS} - m.DERIVED_FLOW_PROPS
    assert actor_props == set(Actor.model_fields)
    assert flow_props | {"source", "target"} == set(Flow.model_fields)
    actor = small_toile().actors[0]
    values = dict(zip([p.name for p in m.ACTOR_PROPS], m.actor_values(actor), strict=True))
    assert (values["siret"], values["kind"], values["name_folded"]) == (
        "73282932000074",
        "entreprise",
        "sucrerie des deux villes",
    )


def test_encode_column_picks_separators_absent_from_values() -> None:
    values: list[m.Value] = ["a\x1fb", None, "", "c\x1ed"]
    encoded = m.encode_column(m.Prop("notes", "str"), values)
    assert encoded["s"] not in "a\x1fbc\x1ed"
    assert encoded["n"] not in "a\x1fbc\x1ed"
    decoded = [None if x == encoded["n"] else x for x in encoded["t"].split(encoded["s"])]
    assert decoded == values
    tags = m.encode_column(m.Prop("tags", "strlist"), [("x;y", "é"), (), None, ("",)])
    rows = tags["t"].split(tags["s"])
    assert rows[1] == rows[2] == tags["n"]
    assert rows[0].split(tags["i"]) == ["x;y", "é"]
    assert m.encode_column(m.Prop("q", "float"), [0.1, None, 5e-324])["t"] == "0.1,,5e-324"


def test_check_server_version_refuses_neo4j_4() -> None:
    check_server_version("5.26.30")
    check_server_version("2025.10.1")
    with pytest.raises(StoreUnavailable, match=r"4\.4\.40 trop ancien"):
        check_server_version("4.4.40")


def test_missing_password_is_a_clear_error() -> None:
    store = Neo4jStore(URL, password=None)
    with pytest.raises(StoreUnavailable, match="TOILES_NEO4J_PASSWORD"):
        store.ping()


def test_unreachable_server_message() -> None:
    url = f"neo4j://127.0.0.1:{_free_port()}"
    store = Neo4jStore(url, password="not-the-point", timeout_s=3.0)
    with pytest.raises(StoreUnavailable, match=f"injoignable à {re.escape(url)}") as info:
        store.ping()
    assert "not-the-point" not in str(info.value)
    store.close()


def test_from_url_takes_credentials_out_of_the_uri() -> None:
    settings = Settings(
        neo4j_user="lecteur",
        neo4j_password="from-settings",
        neo4j_batch_size=7,
    )
    store = Neo4jStore.from_url("bolt://127.0.0.1:7699", settings=settings)
    assert (store.uri, store.user, store.batch_size) == ("bolt://127.0.0.1:7699", "lecteur", 7)
    store = Neo4jStore.from_url("neo4j://ana:s%40cret@127.0.0.1:7699", settings=settings)
    assert store.uri == "neo4j://127.0.0.1:7699"
    assert store.user == "ana"
    assert "cret" not in repr(store)
    with pytest.raises(StoreError):
        Neo4jStore.from_url("http://127.0.0.1:7474", settings=settings)


def test_parse_params_json_or_text() -> None:
    assert parse_params(["n=10", "name=Béthune", 'code="62119"', "x=1.5", "ok=true"]) == {
        "n": 10,
        "name": "Béthune",
        "code": "62119",
        "x": 1.5,
        "ok": True,
    }
    with pytest.raises(InvalidCypher):
        parse_params(["no-equal-sign"])


def test_write_csv_of_a_result(tmp_path: Path) -> None:
    result = CypherResult(("id", "q", "tags"), (("a", 1.5, ["x", "y"]), ("b", None, [])))
    path = tmp_path / "r.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(result, handle)
    assert path.read_text(encoding="utf-8") == 'id,q,tags\na,1.5,"[""x"", ""y""]"\nb,,[]\n'


def test_run_read_query_needs_a_neo4j_url() -> None:
    with pytest.raises(StoreError, match="neo4j://"):
        run_read_query("sqlite:///toiles.db", "RETURN 1")


# -- on the real server -----------------------------------------------------------------------


@pytest.mark.neo4j
def test_schema_is_created_on_first_write(neo4j: Neo4jStore, toile_id: str) -> None:
    neo4j.save_toile(small_toile(toile_id))
    names = {r[0] for r in run_read_query(neo4j, "SHOW CONSTRAINTS YIELD name").rows}
    assert {"toiles_version_load_id", "toiles_version_ready_key", "toiles_toile_id"} <= names
    indexes = {r[0] for r in run_read_query(neo4j, "SHOW INDEXES YIELD name").rows}
    assert {"toiles_actor_id", "toiles_actor_siret", "toiles_actor_commune"} <= indexes


@pytest.mark.neo4j
def test_save_toile_twice_leaves_the_same_counts(neo4j: Neo4jStore, toile_id: str) -> None:
    neo4j.batch_size = 2  # several batches even for five actors
    toile = small_toile(toile_id)
    neo4j.save_toile(toile)
    first = _stored(neo4j, toile_id)
    neo4j.save_toile(toile)
    assert _stored(neo4j, toile_id) == first == (1, 5, 6)
    [summary] = neo4j.list_versions(toile_id)
    assert (summary.actors, summary.flows) == (5, 6)


def _failing_after(store: Neo4jStore, monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    """Make the flow writer fail on its second batch (the first one is written)."""
    real = store._write_flows
    calls = {"n": 0}

    def write_flows(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise exc
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_write_flows", write_flows)


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "injected",
    [
        RuntimeError("panne injectée"),
        ServiceUnavailable("connexion coupée (injectée)"),
    ],
    ids=["bad-data", "dropped-connection"],
)
def test_failure_midway_keeps_previous_version(
    neo4j: Neo4jStore, toile_id: str, monkeypatch: pytest.MonkeyPatch, injected: Exception
) -> None:
    neo4j.batch_size = 2
    before = small_toile(toile_id)
    neo4j.save_toile(before)
    extra = Actor(id="nouveau", name="Nouvel acteur", kind="entreprise")
    after = before.model_copy(update={"actors": (*before.actors, extra), "flows": before.flows[:5]})
    _failing_after(neo4j, monkeypatch, injected)
    with pytest.raises((RuntimeError, StoreError)):
        neo4j.save_toile(after)
    monkeypatch.undo()
    assert canonical(neo4j.get_toile(toile_id)) == canonical(before)
    assert _stored(neo4j, toile_id) == (1, 5, 6)  # what the failed load wrote is gone
    neo4j.save_toile(after)
    assert canonical(neo4j.get_toile(toile_id)) == canonical(after)
    assert _stored(neo4j, toile_id) == (1, 6, 5)


@pytest.mark.neo4j
def test_interrupted_load_is_invisible_then_cleaned(
    neo4j: Neo4jStore, toile_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that dies mid-load cleans nothing: readers must not see its batches."""
    neo4j.batch_size = 2
    before = small_toile(toile_id)
    neo4j.save_toile(before)
    _failing_after(neo4j, monkeypatch, KeyboardInterrupt())
    monkeypatch.setattr(neo4j, "_discard", lambda _load_id: None)
    with pytest.raises(KeyboardInterrupt):
        neo4j.save_toile(before.model_copy(update={"name": "Jamais visible"}))
    monkeypatch.undo()
    versions, actors, _ = _stored(neo4j, toile_id)
    assert (versions, actors) == (2, 10)  # the leftovers are there, in state 'loading'...
    assert neo4j.get_toile(toile_id) == neo4j.get_toile(toile_id, "T0")
    assert neo4j.get_toile(toile_id).name == "Petite toile"  # ...and invisible
    assert [(s.actors, s.flows) for s in neo4j.list_versions(toile_id)] == [(5, 6)]
    assert neo4j.query_actors(toile_id).total == 5
    neo4j.stale_load_s = 0.0  # the next load of the toile deletes stale leftovers
    neo4j.save_toile(before)
    assert _stored(neo4j, toile_id) == (1, 5, 6)


@pytest.mark.neo4j
def test_long_load_keeps_a_fresh_heartbeat(
    neo4j: Neo4jStore, toile_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load signals life between batches, so another load does not take it for dead."""
    neo4j.batch_size = 2
    neo4j.stale_load_s = 0.5
    beats: list[object] = []
    original = neo4j_module._Heartbeat.maybe  # the load's own sign of life

    def maybe(self: neo4j_module._Heartbeat) -> None:
        self.every_s = 0.0
        time.sleep(0.6)  # longer than stale_load_s: only the heartbeat keeps the load alive
        original(self)
        query = "MATCH (v:ToileVersion {load_id: $l}) RETURN v.heartbeat"
        beats.append(run_read_query(neo4j, query, {"l": self.load_id}).rows[0][0])
        # Another load of the same toile now finds this one alive and leaves it alone.
        with neo4j._session() as session:
            stale = session.execute_read(neo4j._stale_versions, toile_id, 0.5)
        assert self.load_id not in stale

    monkeypatch.setattr(neo4j_module._Heartbeat, "maybe", maybe)
    neo4j.save_toile(small_toile(toile_id))
    assert len(beats) == 6  # 3 batches of actors, 3 of flows
    assert all(isinstance(b, str) for b in beats)
    assert beats == sorted(beats)
    assert _stored(neo4j, toile_id) == (1, 5, 6)


_CHILD = """
import sys
from toiles.graph_db.neo4j import Neo4jStore
from toiles.synthetic import synthetic_toile

store = Neo4jStore.from_url(sys.argv[1])
store.batch_size = 200
toile = synthetic_toile(3000, 30000, seed=3).model_copy(update={"id": sys.argv[2]})
print("ready", flush=True)
store.save_toile(toile)
"""


@pytest.mark.neo4j
@pytest.mark.slow
def test_killed_process_midway_keeps_previous_version(neo4j: Neo4jStore, toile_id: str) -> None:
    before = small_toile(toile_id)
    neo4j.save_toile(before)
    child = subprocess.Popen(  # noqa: S603  # our own interpreter and script
        [sys.executable, "-c", textwrap.dedent(_CHILD), URL, toile_id],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    loading_flows = (
        "MATCH (:ToileVersion {toile_id: $t, state: 'loading'})<-[:IN_VERSION]-(:Actor)"
        "-[f:FLOW]->() RETURN count(f)"
    )
    deadline = time.monotonic() + 120
    while _count(neo4j, loading_flows, t=toile_id) == 0:
        assert child.poll() is None, "the load ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert canonical(neo4j.get_toile(toile_id)) == canonical(before)
    assert [(s.actors, s.flows) for s in neo4j.list_versions(toile_id)] == [(5, 6)]
    assert _stored(neo4j, toile_id)[0] == 2  # the killed load's version, still 'loading'
    neo4j.stale_load_s = 0.0
    neo4j.save_toile(before)
    assert _stored(neo4j, toile_id) == (1, 5, 6)


def _typed_toile(toile_id: str) -> Toile:
    toile = small_toile(toile_id)
    odd = Actor(
        id="odd",
        name="Étrange\x1f\x1e « acteur »\nsur deux lignes",
        kind="association",
        employees=2**40,
        lat=-0.0,
        lon=179.999999,
        tags=("a, b", "c/d", "é\x1dè"),
        description="",
        provenance="\x00",
    )
    flows = (
        *toile.flows,
        Flow(
            id="f7",
            source="odd",
            target="usine",
            kind="sous_produit",
            quantity=0.1 + 0.2,
            unit="kt",
            year=1800,
            notes="",
            confidence="faible",
        ),
        Flow(id="f8", source="odd", target="usine", kind="service", quantity=5e-324, unit="EUR"),
    )
    return toile.model_copy(
        update={
            "actors": (*toile.actors, odd),
            "flows": flows,
            "description": "Toile de test\navec un retour à la ligne",
            "illustrative": True,
        }
    )


@pytest.mark.neo4j
def test_typed_round_trip(neo4j: Neo4jStore, toile_id: str) -> None:
    toile = _typed_toile(toile_id)
    neo4j.save_toile(toile)
    got = neo4j.get_toile(toile_id)
    assert canonical(got) == canonical(toile)
    assert got.updated == dt.date(2025, 1, 31)
    actors = {a.id: a for a in got.actors}
    flows = {f.id: f for f in got.flows}
    assert actors["odd"].description == ""  # not None
    assert actors["usine"].description is None
    assert actors["odd"].employees == 2**40
    lat = actors["odd"].lat
    assert lat is not None
    assert math.copysign(1.0, lat) == -1.0  # -0.0 kept
    assert flows["f7"].quantity == 0.1 + 0.2  # bit for bit
    assert flows["f8"].quantity == 5e-324
    assert flows["f6"].quantity is None
    assert flows["f6"].unit is None
    assert neo4j.get_actor(toile_id, "odd") == toile.actor("odd")
    G, expected = neo4j.graph(toile_id), graph_from_toile(toile)
    assert dict(G.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(G.edges(keys=True, data=True), key=lambda e: e[2]) == sorted(
        expected.edges(keys=True, data=True), key=lambda e: e[2]
    )


@pytest.mark.neo4j
def test_properties_are_typed_for_cypher_users(neo4j: Neo4jStore, toile_id: str) -> None:
    neo4j.save_toile(small_toile(toile_id))
    driver = neo4j._connect()
    with driver.session(database=neo4j.database) as session:
        record = session.run(
            "MATCH (t:Toile {id: $t})<-[:VERSION_OF]-(v:ToileVersion {latest: true})"
            "<-[:IN_VERSION]-(a:Actor {id: 'usine'})-[f:FLOW {id: 'f1'}]->(:Actor) "
            "RETURN v.updated AS updated, v.state AS state, v.saved_at AS saved_at, "
            "a.location AS location, a.employees AS employees, a.tags AS tags, "
            "f.quantity AS quantity, f.quantity_base AS base, f.family AS family, f.year AS year",
            t=toile_id,
        ).single()
    assert record is not None
    assert record["updated"] == Date(2025, 1, 31)
    assert record["state"] == "ready"
    assert isinstance(record["location"], WGS84Point)
    assert (record["location"].latitude, record["location"].longitude) == (50.5331, 2.6402)
    assert (record["employees"], record["tags"]) == (250, ["agroalimentaire", "chaleur"])
    assert (record["quantity"], record["base"]) == (1.2345, 1234.5)
    assert (record["family"], record["year"]) == ("energy", 2023)


@pytest.mark.neo4j
def test_latest_flag_and_toile_node_follow_saves_and_deletes(
    neo4j: Neo4jStore, toile_id: str
) -> None:
    latest = (
        "MATCH (:Toile {id: $t})<-[:VERSION_OF]-(v:ToileVersion {latest: true}) "
        "RETURN collect(v.version)"
    )
    neo4j.save_toile(small_toile(toile_id, "T2"))
    neo4j.save_toile(small_toile(toile_id, "T10"))
    neo4j.save_toile(small_toile(toile_id, "T9"))
    assert run_read_query(neo4j, latest, {"t": toile_id}).rows == ((["T10"],),)
    neo4j.delete_toile(toile_id, "T10")
    assert run_read_query(neo4j, latest, {"t": toile_id}).rows == ((["T9"],),)
    neo4j.delete_toile(toile_id)
    assert _count(neo4j, "MATCH (t:Toile {id: $t}) RETURN count(t)", t=toile_id) == 0
    assert _stored(neo4j, toile_id) == (0, 0, 0)
    with pytest.raises(ToileNotFound):
        neo4j.delete_toile(toile_id)


@pytest.mark.neo4j
def test_read_only_cypher_refuses_a_write(neo4j: Neo4jStore, toile_id: str) -> None:
    for query in (
        "CREATE (n:Intrus {id: $id}) RETURN n",
        "MATCH (v:ToileVersion) SET v.state = 'ready' RETURN count(v)",
        "MATCH (a:Actor) DETACH DELETE a",
    ):
        with pytest.raises(WriteRefused, match="seules les lectures sont permises"):
            run_read_query(neo4j, query, {"id": toile_id})
    assert _count(neo4j, "MATCH (n:Intrus {id: $id}) RETURN count(n)", id=toile_id) == 0


@pytest.mark.neo4j
def test_read_query_returns_json_values(neo4j: Neo4jStore, toile_id: str) -> None:
    neo4j.save_toile(small_toile(toile_id))
    result = run_read_query(
        neo4j,
        "MATCH (v:ToileVersion {toile_id: $t, state: 'ready'})<-[:IN_VERSION]-(a:Actor)"
        "-[f:FLOW]->(b:Actor) WHERE f.quantity_base >= $min "
        "RETURN a.id AS source, b.id AS target, f.quantity_base AS mwh, v.updated AS updated, "
        "a.location AS location, f AS flow ORDER BY mwh DESC",
        {"t": toile_id, "min": 1000},
    )
    assert result.columns == ("source", "target", "mwh", "updated", "location", "flow")
    assert [r[:4] for r in result.rows] == [
        ("incinerateur", "reseau", 20000.0, "2025-01-31"),
        ("ext-gaz", "usine", 5000.0, "2025-01-31"),
        ("usine", "ext-air", 2000.0, "2025-01-31"),
        ("usine", "reseau", 1234.5, "2025-01-31"),
    ]
    assert result.rows[0][4] == {"longitude": 2.83, "latitude": 50.43}
    flow = result.rows[0][5]
    assert isinstance(flow, dict)
    assert (flow["_type"], flow["id"], flow["unit"]) == ("FLOW", "f2", "GWh")
    capped = run_read_query(neo4j, "UNWIND range(1, 10) AS i RETURN i", limit=3)
    assert (capped.rows, capped.truncated) == (((1,), (2,), (3,)), True)
    with pytest.raises(InvalidCypher, match="invalide"):
        run_read_query(neo4j, "MATCH (a RETURN a")


@pytest.mark.neo4j
def test_read_query_through_a_url() -> None:
    from tests.conftest import _neo4j_store

    _neo4j_store().close()  # skips or fails like every neo4j test when the server is down
    result = run_read_query(URL, "RETURN $x + 1 AS y", {"x": 41})
    assert result.records() == [{"y": 42}]


@pytest.mark.neo4j
def test_wrong_password_message() -> None:
    """Only one wrong attempt: three in a row lock the user for a few seconds."""
    from tests.conftest import _neo4j_store

    _neo4j_store().close()
    store = Neo4jStore(URL, password="certainly-not-the-password")
    with pytest.raises(
        StoreUnavailable, match="TOILES_NEO4J_USER et TOILES_NEO4J_PASSWORD"
    ) as info:
        store.ping()
    assert "certainly-not" not in str(info.value)
    store.close()


def _reference_dirs() -> list[Path]:
    try:
        from toiles.reference import reference_dirs
    except ImportError:
        return []
    return reference_dirs()


@pytest.mark.neo4j
@pytest.mark.skipif(not _reference_dirs(), reason="no bundled reference toiles yet")
def test_reference_toiles_same_counts_as_sqlite(neo4j: Neo4jStore, tmp_path: Path) -> None:
    from toiles.graph_db.sqlite import SQLiteStore
    from toiles.loaders import load_toile

    sqlite = SQLiteStore(tmp_path / "ref.db")
    for folder in _reference_dirs():
        toile = load_toile(folder)
        toile = toile.model_copy(update={"id": f"test-ref-{toile.id}"})  # never a user's toile
        sqlite.save_toile(toile)
        neo4j.save_toile(toile)
        assert canonical(neo4j.get_toile(toile.id, toile.version)) == canonical(toile)

    def counts(store: Neo4jStore | SQLiteStore) -> list[tuple[str, str, int, int]]:
        return [
            (s.id, s.version, s.actors, s.flows)
            for s in store.list_toiles()
            if s.id.startswith("test-ref-")
        ]

    assert counts(neo4j) == counts(sqlite)
    sqlite.close()


@pytest.mark.neo4j
def test_graph_model_examples_run(neo4j: Neo4jStore, toile_id: str) -> None:
    """Every Cypher example of docs/graph-model.md parses and runs read-only."""
    neo4j.save_toile(small_toile(toile_id))
    text = (ROOT / "docs" / "graph-model.md").read_text(encoding="utf-8")
    examples = re.findall(r"```cypher\n(.*?)```", text, flags=re.DOTALL)
    assert len(examples) >= 10
    for example in examples:
        if example.lstrip().upper().startswith(("CREATE", "DROP")):
            continue  # the schema statements, run by the store itself
        run_read_query(neo4j, example, limit=5)
