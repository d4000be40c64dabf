"""Shared fixtures: small toiles worked by hand, and the stores every contract test runs on."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from toiles.errors import StoreUnavailable
from toiles.graph_db.sqlite import SQLiteStore
from toiles.models import Actor, Flow, Toile

if TYPE_CHECKING:
    from collections.abc import Iterator

    from toiles.graph_db.base import ToileStore

FIXTURES = Path(__file__).parent / "fixtures"


def neo4j_required() -> bool:
    """In CI and under `make test` the Neo4j tests must run: an unreachable server fails them."""
    return os.environ.get("TOILES_REQUIRE_NEO4J") == "1" or os.environ.get("CI") == "true"


def _neo4j_store() -> ToileStore:
    from toiles.graph_db.neo4j import Neo4jStore

    store = Neo4jStore.from_url(os.environ.get("TOILES_TEST_NEO4J_URL", "neo4j://127.0.0.1:7687"))
    try:
        store.ping()
    except StoreUnavailable as exc:
        store.close()
        if neo4j_required():
            pytest.fail(f"the Neo4j server the tests need is unreachable: {exc}")
        pytest.skip(
            f"Neo4j not running locally (start it with `make neo4j-start`, needs Java 17): {exc}"
        )
    return store


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ToileStore]:
    """Each backend in turn, empty of the toiles a test writes (ids are unique per test)."""
    if request.param == "sqlite":
        backend: ToileStore = SQLiteStore(tmp_path / "toiles.db")
        yield backend
        backend.close()
        return
    backend = _neo4j_store()
    yield backend
    for test_id in {s.id for s in backend.list_toiles() if s.id.startswith("test-")}:
        backend.delete_toile(test_id)  # every version at once
    backend.close()


@pytest.fixture
def toile_id() -> str:
    """A toile id no other test uses (the Neo4j server is shared)."""
    return f"test-{uuid.uuid4().hex[:10]}"


def small_toile(toile_id: str = "test-small", version: str = "T0") -> Toile:
    """Five actors, six flows, worked by hand: the shape of an energy toile.

    Quantities: usine -> reseau 1.2345 GWh of waste heat (1234.5 MWh), incinerateur -> reseau
    20 GWh of heat, reseau -> usine 300 MWh of steam (a loop usine <-> reseau), usine ->
    ext-air 2 GWh of waste heat lost, ext-gaz -> usine 5000 MWh of gas, usine -> reseau a
    known link with no quantity.
    """
    actors = [
        Actor(
            id="usine",
            name="Sucrerie des Deux Villes",
            kind="entreprise",
            siret="73282932000074",
            naf="10.81Z",
            employees=250,
            commune_insee="62119",
            epci="CABBALR",
            lat=50.5331,
            lon=2.6402,
            zae="zae-1",
            tags=("agroalimentaire", "chaleur"),
        ),
        Actor(
            id="reseau",
            name="Réseau de chaleur de Béthune",
            kind="gestionnaire_reseau",
            commune_insee="62119",
            epci="CABBALR",
            lat=50.5301,
            lon=2.638,
        ),
        Actor(
            id="incinerateur",
            name="Unité de valorisation énergétique",
            kind="equipement",
            commune_insee="62498",
            epci="CALL",
            lat=50.43,
            lon=2.83,
            confidentiality="partenaires",
        ),
        Actor(id="ext-air", name="Environnement (pertes)", kind="exterieur"),
        Actor(id="ext-gaz", name="Réseau national de gaz", kind="exterieur"),
    ]
    flows = [
        Flow(
            id="f1",
            source="usine",
            target="reseau",
            kind="chaleur_fatale",
            quantity=1.2345,
            unit="GWh",
            year=2023,
            provenance="Estimation",
            confidence="moyenne",
        ),
        Flow(
            id="f2",
            source="incinerateur",
            target="reseau",
            kind="chaleur",
            quantity=20,
            unit="GWh",
            year=2023,
            confidentiality="partenaires",
        ),
        Flow(
            id="f3",
            source="reseau",
            target="usine",
            kind="vapeur",
            quantity=300,
            unit="MWh",
            year=2023,
            status="potentiel",
        ),
        Flow(
            id="f4",
            source="usine",
            target="ext-air",
            kind="chaleur_fatale",
            quantity=2,
            unit="GWh",
            year=2023,
            confidentiality="confidentiel",
        ),
        Flow(
            id="f5",
            source="ext-gaz",
            target="usine",
            kind="gaz_naturel",
            quantity=5000,
            unit="MWh",
            year=2022,
        ),
        Flow(id="f6", source="usine", target="reseau", kind="electricite"),
    ]
    return Toile(
        id=toile_id,
        name="Petite toile",
        theme="energie",
        version=version,
        territory={"name": "Artois", "epci": ["CABBALR", "CALL"]},
        sources=("Test",),
        updated="2025-01-31",
        actors=actors,
        flows=flows,
    )


@pytest.fixture
def toile() -> Toile:
    """The small hand-worked toile."""
    return small_toile()


def canonical(toile: Toile) -> Toile:
    """The toile with actors and flows sorted by id: stores and graphs do not keep file order."""
    return toile.model_copy(
        update={
            "actors": tuple(sorted(toile.actors, key=lambda a: a.id)),
            "flows": tuple(sorted(toile.flows, key=lambda f: f.id)),
        }
    )


CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (deploy/browser/install.sh)


def browser_required() -> bool:
    """In CI and under `make test` the browser tests must run: a missing Chromium fails them."""
    return os.environ.get("CI") == "true" or os.environ.get("TOILES_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """Point pytest-playwright at Debian's Chromium: Playwright never downloads a browser here."""
    if not CHROMIUM.exists():
        message = "Chromium absent : installer avec `bash deploy/browser/install.sh`"
        if browser_required():
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM)}
