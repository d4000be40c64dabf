from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import openpyxl
import pytest

from tests.conftest import canonical, small_toile
from tests.io._cypher_reader import toile_from_cypher
from tests.viz._hostile import QUOTE_NAME, SCRIPT_NAME, hostile_toile
from toiles.io import EXPORT_FORMATS, SUFFIXES, ExportError, export_toile, read_export
from toiles.io.cypher import cypher_literal, cypher_script, cypher_string
from toiles.loaders import load_toile
from toiles.synthetic import example_toile
from toiles.viz.geo import check_geojson

HIDDEN_ACTOR = "incinerateur"  # partenaires
HIDDEN_FLOWS = ("f2", "f4")  # partenaires, confidentiel


def out_path(tmp_path: Path, fmt: str) -> Path:
    return tmp_path / f"toile{SUFFIXES[fmt]}" if SUFFIXES[fmt] else tmp_path / "toile"


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json", "csv", "xlsx"])
@pytest.mark.parametrize("make", [small_toile, example_toile, hostile_toile])
def test_export_then_read_gives_the_same_toile(fmt: str, make, tmp_path: Path):
    toile = make()
    path = export_toile(toile, fmt, out_path(tmp_path, fmt))
    assert canonical(read_export(path)) == canonical(toile)


def test_csv_pair_for_french_excel_round_trips(tmp_path: Path):
    toile = small_toile()
    folder = export_toile(toile, "csv", tmp_path / "excel", excel=True)
    raw = (folder / "flows.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("id;source;target;kind;quantity")
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
    assert next(r for r in rows if r["id"] == "f1")["quantity"] == "1,2345"
    assert canonical(load_toile(folder)) == canonical(toile)


def test_node_link_json_reads_with_networkx_and_the_loader(tmp_path: Path):
    toile = small_toile()
    path = export_toile(toile, "json", tmp_path / "t.json")
    G = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="links")
    assert G.number_of_nodes() == 5
    assert G.edges["usine", "reseau", "f1"]["quantity_base"] == pytest.approx(1234.5)
    assert canonical(load_toile(path)) == canonical(toile)


def test_gexf_has_attributes_and_colours_for_gephi(tmp_path: Path):
    path = export_toile(small_toile(), "gexf", tmp_path / "t.gexf")
    G = nx.read_gexf(path)
    usine = G.nodes["usine"]
    assert usine["label"] == "Sucrerie des Deux Villes"
    assert usine["employees"] == 250
    assert usine["viz"]["color"] == {"r": 46, "g": 109, "b": 180, "a": 1.0}
    assert "position" in usine["viz"]
    assert usine["viz"]["size"] > 0
    f1 = G.edges["usine", "reseau", "f1"]
    assert f1["kind"] == "chaleur_fatale"
    # networkx does not read edge colours back: look at the XML (GEXF 1.2 viz namespace).
    root = ET.parse(path).getroot()  # noqa: S314  # our own file
    ns = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
    edge = root.find(".//g:edge[@id='f1']", ns)
    assert edge is not None
    color = edge.find("viz:color", ns)
    assert color is not None
    assert (color.get("r"), color.get("g"), color.get("b")) == ("255", "90", "0")
    assert root.find("g:meta/g:description", ns) is not None


def test_graphml_reads_with_networkx(tmp_path: Path):
    path = export_toile(small_toile(), "graphml", tmp_path / "t.graphml")
    G = nx.read_graphml(path, force_multigraph=True)
    assert G.graph["toile_id"] == "test-small"
    assert G.edges["usine", "reseau", "f1"]["quantity"] == pytest.approx(1.2345)
    assert G.nodes["usine"]["tags"] == "agroalimentaire|chaleur"


def test_xlsx_has_two_sheets_with_numbers(tmp_path: Path):
    path = export_toile(small_toile(), "xlsx", tmp_path / "t.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["acteurs", "flux"]
    flows = workbook["flux"]
    header = [c.value for c in flows[1]]
    assert header[:5] == ["id", "source", "target", "kind", "quantity"]
    values = {row[0]: row[4] for row in flows.iter_rows(min_row=2, values_only=True)}
    assert values["f1"] == pytest.approx(1.2345)
    assert workbook["acteurs"].max_row == 6


def test_xlsx_without_description_is_refused(tmp_path: Path):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ExportError, match="description de la toile absente"):
        read_export(path)


def test_geojson_export_is_valid(tmp_path: Path):
    path = export_toile(small_toile(), "geojson", tmp_path / "t.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert check_geojson(doc) == []
    assert {f["geometry"]["type"] for f in doc["features"]} == {"Point", "LineString"}


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_export_honours_public(fmt: str, tmp_path: Path):
    path = export_toile(small_toile(), fmt, out_path(tmp_path, fmt), public=True)
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(path)
        text = " ".join(
            str(v) for sheet in workbook for row in sheet.iter_rows(values_only=True) for v in row
        )
    else:
        text = " ".join(f.read_text(encoding="utf-8-sig") for f in files)
    assert HIDDEN_ACTOR not in text
    assert "Unité de valorisation énergétique" not in text
    for flow in HIDDEN_FLOWS:
        assert re.search(rf"\b{flow}\b", text) is None
    assert "usine" in text


def test_unknown_export_format(tmp_path: Path):
    with pytest.raises(ExportError, match="format d'export inconnu"):
        export_toile(small_toile(), "dot", tmp_path / "t.dot")
    with pytest.raises(ExportError, match="format non relisible"):
        read_export(tmp_path / "t.geojson")


def test_cypher_literals_escape_everything():
    assert cypher_string("l'usine") == "'l\\'usine'"
    assert cypher_string("a\\b") == "'a\\\\b'"
    assert cypher_string("x\ny\u2028") == "'x\\ny\\u2028'"
    assert cypher_literal({"a b": [1, None, 2.5, True]}) == "{`a b`: [1, null, 2.5, true]}"
    with pytest.raises(ExportError):
        cypher_literal(float("nan"))


def test_cypher_script_recreates_the_toile(tmp_path: Path):
    for toile in (small_toile(), example_toile(), hostile_toile()):
        script = cypher_script(toile)
        assert canonical(toile_from_cypher(script)) == canonical(toile)


def test_cypher_script_structure_and_hostile_text():
    script = cypher_script(hostile_toile())
    lines = script.splitlines()
    assert lines[0].startswith("// Toile « Toile ")
    assert lines[3] == "MERGE (t:Toile {id: 'test-hostile'})"
    # The quote-laden name is one string literal: no clause escapes from it.
    assert cypher_string(QUOTE_NAME) in script
    assert "DETACH DELETE n //'" not in script.replace(cypher_string(QUOTE_NAME), "")
    assert SCRIPT_NAME.replace("'", "\\'") in script
    assert script.count("MERGE (s)-[f:FLOW {id: row.id}]->(d)") == 1
    assert script.count("MERGE (a:Actor {id: row.id})-[:IN_VERSION]->(v)") == 1


@pytest.mark.parametrize(
    "name", ["artois-energie-T1", "artois-eau-industrielle-T0", "kalundborg-T0"]
)
def test_geojson_export_passes_an_independent_validator(tmp_path: Path, name: str) -> None:
    # geojson-pydantic implements RFC 7946's structure on its own: not our checker.
    from geojson_pydantic import FeatureCollection

    from toiles.loaders import load_toile
    from toiles.reference import reference_dir

    path = export_toile(load_toile(reference_dir(name)), "geojson", tmp_path / "t.geojson")
    collection = FeatureCollection.model_validate_json(path.read_text(encoding="utf-8"))
    kinds = {feature.geometry.type for feature in collection.features if feature.geometry}
    assert kinds == {"Point", "LineString"}
    lon, lat = next(
        f.geometry.coordinates
        for f in collection.features
        if f.geometry and f.geometry.type == "Point"
    )
    assert -180 <= lon <= 180
    assert -90 <= lat <= 90
    assert lon < lat  # [lon, lat] order: Artois (2.6, 50.5) and Kalundborg (11.1, 55.7)


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json", "csv", "xlsx"])
def test_export_keeps_flow_temperatures(fmt: str, tmp_path: Path):
    toile = small_toile()
    warm = toile.flows[0].model_copy(update={"temperature": 85.5})
    toile = toile.model_copy(update={"flows": (warm, *toile.flows[1:])})
    back = read_export(export_toile(toile, fmt, out_path(tmp_path, fmt)))
    assert {f.id: f.temperature for f in back.flows}[warm.id] == 85.5
    assert canonical(back) == canonical(toile)


def test_loader_reads_french_temperature_header(tmp_path: Path):
    folder = export_toile(small_toile(), "csv", tmp_path / "fr", excel=True)
    path = folder / "flows.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[0] = lines[0].replace("temperature", "Température (°C)")
    lines[1] = lines[1] + "120,5" if lines[1].endswith(";") else lines[1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    first = load_toile(folder).flows
    assert 120.5 in {f.temperature for f in first}


def test_loader_rejects_bad_temperature_in_french(tmp_path: Path):
    from toiles.loaders import validate_toile

    folder = export_toile(small_toile(), "csv", tmp_path / "bad", excel=True)
    path = folder / "flows.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[0] = lines[0].replace("temperature", "Température")
    lines[1] = lines[1] + "chaud"
    lines[2] = lines[2] + "5000"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    report = validate_toile(folder)
    assert not report.ok
    text = "\n".join(str(p) for p in report.errors)
    assert "flows.csv:2" in text
    assert "chaud" in text
    assert "flows.csv:3" in text
    assert "2000" in text
