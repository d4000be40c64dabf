"""Whatever validation accepts is stored, read, analysed, drawn and exported without loss.

Each property draws toiles across every vocabulary, unit, optional field, Unicode name and
extreme number (see ``_strategies``) and checks one read path; failures shrink to a small
toile and reproduce (derandomised examples).
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings

from tests.conftest import canonical
from tests.properties._strategies import toiles
from toiles.analysis import REPORTS, run_report
from toiles.errors import AnalysisError
from toiles.graph import graph_from_toile
from toiles.graph_db.base import MAX_LIMIT, ActorQuery, FlowQuery, Store
from toiles.graph_db.sqlite import SQLiteStore
from toiles.io import export_toile, read_export
from toiles.loaders import validate_toile
from toiles.loaders.files import save_toile as save_folder
from toiles.models import Toile
from toiles.viz.geo import check_geojson, toile_geojson
from toiles.viz.html import html_page
from toiles.viz.sankey import sankey_page

ROUND_TRIP_FORMATS = ("json", "gexf", "graphml", "csv", "xlsx")


def _finite(value: object) -> bool:
    """Whether a JSON-like value holds no NaN nor infinity anywhere."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_finite(v) for v in value)
    return True


def _same_graph(G: nx.MultiDiGraph[str], H: nx.MultiDiGraph[str]) -> None:
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert sorted(G.edges(keys=True, data=True), key=str) == sorted(
        H.edges(keys=True, data=True), key=str
    )


def _reads_back(store: Store, toile: Toile) -> None:
    """Every read of the store gives back the toile saved (admin's view)."""
    store.save_toile(toile)
    assert canonical(store.get_toile(toile.id, toile.version)) == canonical(toile)
    assert store.get_summary(toile.id, toile.version) == toile.summary()
    for actor in toile.actors:
        assert store.get_actor(toile.id, actor.id, version=toile.version) == actor
    for flow in toile.flows:
        assert store.get_flow(toile.id, flow.id, version=toile.version) == flow
    actors = store.query_actors(toile.id, ActorQuery(limit=MAX_LIMIT), version=toile.version)
    assert sorted(actors.items, key=lambda a: a.id) == sorted(toile.actors, key=lambda a: a.id)
    flows = store.query_flows(toile.id, FlowQuery(limit=MAX_LIMIT), version=toile.version)
    assert flows.total == len(toile.flows)
    _same_graph(store.graph(toile.id, toile.version), graph_from_toile(toile))


@given(toiles())
def test_validated_toile_folder_validates_again_equal(toile: Toile) -> None:
    """The file form (toile.yaml + CSV) of an accepted toile is accepted and equal."""
    with tempfile.TemporaryDirectory() as folder:
        save_folder(toile, Path(folder) / "t")
        report = validate_toile(Path(folder) / "t")
        assert report.ok, [str(p) for p in report.errors]
        assert report.toile is not None
        assert canonical(report.toile) == canonical(toile)


@given(toiles())
def test_sqlite_store_reads_back_equal(toile: Toile) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "toiles.db")
        try:
            _reads_back(store, toile)
        finally:
            store.close()


@pytest.mark.neo4j
@settings(max_examples=15)
@given(toile=toiles(max_actors=5, max_flows=8))
def test_neo4j_store_reads_back_equal(toile: Toile) -> None:
    from tests.conftest import _neo4j_store

    store = _neo4j_store()
    unique = toile.model_copy(update={"id": f"test-prop-{toile.id}"})
    try:
        _reads_back(store, unique)  # type: ignore[arg-type]
    finally:
        store.delete_toile(unique.id)
        store.close()


def _excel_digits(value: float | None) -> float | None:
    """A number as an XLSX file keeps it: 16 significant digits (openpyxl writes ``%.16g``)."""
    return None if value is None else float(f"{value:.16g}")


def _as_excel_keeps(toile: Toile) -> Toile:
    actors = tuple(
        a.model_copy(update={"lat": _excel_digits(a.lat), "lon": _excel_digits(a.lon)})
        for a in toile.actors
    )
    flows = tuple(f.model_copy(update={"quantity": _excel_digits(f.quantity)}) for f in toile.flows)
    return toile.model_copy(update={"actors": actors, "flows": flows})


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
@given(toile=toiles())
def test_exports_read_back_equal(fmt: str, toile: Toile) -> None:
    with tempfile.TemporaryDirectory() as folder:
        suffix = {"json": ".json", "gexf": ".gexf", "graphml": ".graphml", "xlsx": ".xlsx"}
        path = export_toile(toile, fmt, Path(folder) / f"t{suffix.get(fmt, '')}")
        back = read_export(path)
        if fmt == "xlsx":  # equal to Excel's 15 digits (openpyxl may keep more, Excel does not)
            back, toile = _as_excel_keeps(back), _as_excel_keeps(toile)
        assert canonical(back) == canonical(toile)


@given(toiles())
def test_every_analysis_answers_finite_numbers(toile: Toile) -> None:
    G = graph_from_toile(toile)
    for name in REPORTS:
        if name in {"impact", "diff"}:
            continue  # they need another argument: below
        try:
            result = run_report(name, G)
        except AnalysisError:
            continue  # a French refusal (no flow of that family...), never a crash
        assert _finite(result.model_dump(mode="json")), name
    first = toile.actors[0].id
    impact = run_report("impact", G, {"actors": [first]})
    assert _finite(impact.model_dump(mode="json"))
    diff = run_report("diff", G, other=graph_from_toile(toile))
    assert _finite(diff.model_dump(mode="json"))


def _refuse_constant(name: str) -> float:
    msg = f"non-finite number in the page data: {name}"
    raise AssertionError(msg)


@given(toiles())
def test_every_light_render_succeeds(toile: Toile) -> None:
    G = graph_from_toile(toile)
    page = html_page(G)
    # The page's data (not the inlined vis-network library, whose code says isNaN) is strict JSON.
    marker = '<script type="application/json" id="toile-data">'
    data = page.split(marker, 1)[1].split("</script>", 1)[0]
    json.loads(data, parse_constant=_refuse_constant)
    assert sankey_page(G).startswith("<!DOCTYPE html>")
    document = toile_geojson(G)
    assert check_geojson(document) == []
    json.dumps(document, allow_nan=False)


@settings(max_examples=8)
@given(toiles(max_actors=5, max_flows=6))
def test_poster_renders(toile: Toile) -> None:
    from toiles.viz.static import write_poster

    with tempfile.TemporaryDirectory() as folder:
        out = write_poster(graph_from_toile(toile), Path(folder) / "t.png", paper="A4")
        assert out.stat().st_size > 0
