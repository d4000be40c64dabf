"""The contract every store passes: one suite, parametrised over the backends (conftest)."""

import threading

import networkx as nx
import pytest

from tests.conftest import canonical, small_toile
from toiles.errors import ActorNotFound, FlowNotFound, ToileNotFound
from toiles.graph import graph_from_toile
from toiles.graph_db.base import ActorQuery, FlowQuery, ToileStore
from toiles.models import Actor, Confidentiality


def test_save_toile_then_get_round_trip(store: ToileStore, toile_id: str) -> None:
    toile = small_toile(toile_id)
    store.save_toile(toile)
    got = store.get_toile(toile_id)
    assert canonical(got) == canonical(toile)
    # Types survive: dates, floats, optional fields, tuples.
    assert got.updated is not None
    assert got.updated.isoformat() == "2025-01-31"
    flows = {f.id: f for f in got.flows}
    assert flows["f1"].quantity == pytest.approx(1.2345)
    assert isinstance(flows["f2"].quantity, float)
    assert flows["f6"].quantity is None
    assert {a.id: a for a in got.actors}["usine"].tags == ("agroalimentaire", "chaleur")


def test_save_toile_is_idempotent(store: ToileStore, toile_id: str) -> None:
    toile = small_toile(toile_id)
    store.save_toile(toile)
    store.save_toile(toile)
    [summary] = store.list_versions(toile_id)
    assert (summary.actors, summary.flows) == (5, 6)


def test_versions_coexist_and_latest_is_natural_order(store: ToileStore, toile_id: str) -> None:
    t0 = small_toile(toile_id, "T0")
    t1 = small_toile(toile_id, "T1")
    t1 = t1.model_copy(update={"flows": t1.flows[:4]})
    t10 = small_toile(toile_id, "T10")
    t10 = t10.model_copy(update={"flows": t10.flows[:1]})
    for toile in (t10, t0, t1):
        store.save_toile(toile)
    assert [s.version for s in store.list_versions(toile_id)] == ["T0", "T1", "T10"]
    assert store.get_summary(toile_id).version == "T10"
    assert len(store.get_toile(toile_id, "T0").flows) == 6
    assert len(store.get_toile(toile_id, "T1").flows) == 4
    ids = [s.id for s in store.list_toiles()]
    assert ids.count(toile_id) == 3


def test_get_toile_missing_raises(store: ToileStore, toile_id: str) -> None:
    with pytest.raises(ToileNotFound):
        store.get_toile(toile_id)
    store.save_toile(small_toile(toile_id))
    with pytest.raises(ToileNotFound):
        store.get_toile(toile_id, "T9")


def test_get_actor_and_flow(store: ToileStore, toile_id: str) -> None:
    store.save_toile(small_toile(toile_id))
    assert store.get_actor(toile_id, "usine").siret == "73282932000074"
    assert store.get_flow(toile_id, "f3").status.value == "potentiel"
    with pytest.raises(ActorNotFound):
        store.get_actor(toile_id, "nobody")
    with pytest.raises(FlowNotFound):
        store.get_flow(toile_id, "nothing")


def test_query_actors_filters_and_paging(store: ToileStore, toile_id: str) -> None:
    store.save_toile(small_toile(toile_id))
    page = store.query_actors(toile_id, ActorQuery(kind="exterieur"))
    assert (page.total, [a.id for a in page.items]) == (2, ["ext-air", "ext-gaz"])
    assert store.query_actors(toile_id, ActorQuery(q="RESEAU de chaleur")).total == 1
    assert store.query_actors(toile_id, ActorQuery(q="reseau")).total == 2  # accents ignored
    assert store.query_actors(toile_id, ActorQuery(q="100%")).total == 0  # % is literal
    assert store.query_actors(toile_id, ActorQuery(commune_insee="62119")).total == 2
    assert store.query_actors(toile_id, ActorQuery(epci="CALL")).total == 1
    assert store.query_actors(toile_id, ActorQuery(zae="zae-1")).total == 1
    assert store.query_actors(toile_id, ActorQuery(naf="10")).total == 1
    page = store.query_actors(toile_id, ActorQuery(limit=2, offset=1))
    assert (page.total, [a.id for a in page.items]) == (5, ["ext-gaz", "incinerateur"])


def test_query_flows_filters(store: ToileStore, toile_id: str) -> None:
    store.save_toile(small_toile(toile_id))
    assert store.query_flows(toile_id, FlowQuery(kind="chaleur_fatale")).total == 2
    assert store.query_flows(toile_id, FlowQuery(status="potentiel")).total == 1
    assert store.query_flows(toile_id, FlowQuery(source="usine")).total == 3
    assert store.query_flows(toile_id, FlowQuery(target="usine")).total == 2
    assert store.query_flows(toile_id, FlowQuery(actor="usine")).total == 5
    assert store.query_flows(toile_id, FlowQuery(year=2022)).total == 1
    # 1.5 GWh = 1500 MWh: keeps 2 GWh, 20 GWh and 5000 MWh, not 1234.5 MWh nor 300 MWh.
    page = store.query_flows(toile_id, FlowQuery(min_quantity=1.5, unit="GWh"))
    assert sorted(f.id for f in page.items) == ["f2", "f4", "f5"]
    assert store.query_flows(toile_id, FlowQuery(min_quantity=0, unit="m3")).total == 0


def test_visibility_hides_confidential(store: ToileStore, toile_id: str) -> None:
    store.save_toile(small_toile(toile_id))
    public = Confidentiality.PUBLIC
    # incinerateur is partenaires: hidden with its flow f2; f4 is confidentiel.
    assert store.query_actors(toile_id, ActorQuery(visibility=public)).total == 4
    assert sorted(
        f.id for f in store.query_flows(toile_id, FlowQuery(visibility=public)).items
    ) == ["f1", "f3", "f5", "f6"]
    partners = store.query_flows(toile_id, FlowQuery(visibility=Confidentiality.PARTENAIRES))
    assert partners.total == 5
    toile = store.get_toile(toile_id, visibility=public)
    assert "incinerateur" not in {a.id for a in toile.actors}
    assert {f.id for f in toile.flows} == {"f1", "f3", "f5", "f6"}
    with pytest.raises(ActorNotFound):
        store.get_actor(toile_id, "incinerateur", visibility=public)
    with pytest.raises(FlowNotFound):
        store.get_flow(toile_id, "f4", visibility=Confidentiality.PARTENAIRES)


def test_graph_matches_projection(store: ToileStore, toile_id: str) -> None:
    toile = small_toile(toile_id)
    store.save_toile(toile)
    G = store.graph(toile_id)
    expected = graph_from_toile(toile)
    assert isinstance(G, nx.MultiDiGraph)
    assert dict(G.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(G.edges(keys=True, data=True), key=lambda e: e[2]) == sorted(
        expected.edges(keys=True, data=True), key=lambda e: e[2]
    )


def test_delete_toile(store: ToileStore, toile_id: str) -> None:
    store.save_toile(small_toile(toile_id, "T0"))
    store.save_toile(small_toile(toile_id, "T1"))
    assert store.delete_toile(toile_id, "T0") == 1
    assert [s.version for s in store.list_versions(toile_id)] == ["T1"]
    assert store.delete_toile(toile_id) == 1
    with pytest.raises(ToileNotFound):
        store.list_versions(toile_id)
    with pytest.raises(ToileNotFound):
        store.delete_toile(toile_id)


def test_save_toile_replaces_version_content(store: ToileStore, toile_id: str) -> None:
    toile = small_toile(toile_id)
    store.save_toile(toile)
    extra = Actor(id="nouveau", name="Nouvel acteur", kind="entreprise")
    smaller = toile.model_copy(update={"actors": (*toile.actors, extra), "flows": toile.flows[:2]})
    store.save_toile(smaller)
    got = store.get_toile(toile_id)
    assert len(got.flows) == 2
    assert "nouveau" in {a.id for a in got.actors}


def test_concurrent_readers_during_writes(store: ToileStore, toile_id: str) -> None:
    store.save_toile(small_toile(toile_id))
    errors: list[BaseException] = []
    counts: list[int] = []

    def read() -> None:
        try:
            for _ in range(5):
                counts.append(len(store.get_toile(toile_id).flows))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(3):
        store.save_toile(small_toile(toile_id))
    for thread in threads:
        thread.join()
    assert not errors
    assert set(counts) == {6}  # never a half-written version


def test_api_keys_round_trip_and_revoke(store: ToileStore, toile_id: str) -> None:
    import datetime as dt

    from toiles.access import ApiKeyRecord, Role
    from toiles.errors import ApiKeyNotFound

    created = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
    record = ApiKeyRecord(
        id=toile_id,
        name="Site de la CALL",
        role=Role.PARTENAIRE,
        key_hash=f"h-{toile_id}",
        created=created,
    )
    store.save_api_key(record)
    assert store.find_api_key(f"h-{toile_id}") == record
    assert store.find_api_key("unknown-hash") is None
    assert record in store.list_api_keys()
    store.revoke_api_key(toile_id)
    found = store.find_api_key(f"h-{toile_id}")
    assert found is not None
    assert found.revoked
    assert found.created == created
    with pytest.raises(ApiKeyNotFound):
        store.revoke_api_key(f"missing-{toile_id}")


def test_flow_temperature_round_trips_and_reaches_the_graph(
    store: ToileStore, toile_id: str
) -> None:
    toile = small_toile(toile_id)
    hot = toile.flows[0].model_copy(update={"temperature": 450.0})
    toile = toile.model_copy(update={"flows": (hot, *toile.flows[1:])})
    store.save_toile(toile)
    got = {f.id: f.temperature for f in store.get_toile(toile_id).flows}
    assert got[hot.id] == 450.0
    assert sum(t is not None for t in got.values()) == 1
    G = store.graph(toile_id)
    temps = [d.get("temperature") for _, _, k, d in G.edges(keys=True, data=True) if k == hot.id]
    assert temps == [450.0]


def test_web_sessions_round_trip_expire_and_end_with_their_key(
    store: ToileStore, toile_id: str
) -> None:
    import datetime as dt

    from toiles.access import ApiKeyRecord, Role, WebSession

    now = dt.datetime.now(dt.UTC)
    key = ApiKeyRecord(
        id=toile_id, name="Éditrice", role=Role.EDITEUR, key_hash=f"h-{toile_id}", created=now
    )
    store.save_api_key(key)

    def session(name: str, key_hash: str, expires: dt.datetime) -> WebSession:
        return WebSession(
            token_hash=f"{name}-{toile_id}",
            key_hash=key_hash,
            csrf_secret=f"secret-{name}",
            expires=expires,
        )

    live = session("live", key.key_hash, now + dt.timedelta(hours=8))
    old = session("old", key.key_hash, now - dt.timedelta(seconds=1))
    other = session("other", f"autre-{toile_id}", now + dt.timedelta(hours=8))
    for item in (live, old, other):
        store.save_session(item)
    assert store.find_session(live.token_hash) == live
    assert store.find_session(f"unknown-{toile_id}") is None
    assert store.purge_sessions(now) >= 1
    assert store.find_session(old.token_hash) is None
    later = live.model_copy(update={"expires": now + dt.timedelta(hours=9)})
    store.save_session(later)  # pushed back, not duplicated
    assert store.find_session(live.token_hash) == later
    store.revoke_api_key(toile_id)
    assert store.find_session(live.token_hash) is None
    assert store.find_session(other.token_hash) == other
    store.delete_session(other.token_hash)
    store.delete_session(other.token_hash)  # twice: no error
    assert store.find_session(other.token_hash) is None
