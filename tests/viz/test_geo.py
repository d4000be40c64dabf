from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import small_toile
from tests.viz._hostile import SCRIPT_NAME, hostile_toile
from toiles.graph import graph_from_toile
from toiles.viz import render
from toiles.viz.geo import check_geojson, toile_geojson


def test_geojson_is_valid_rfc7946(tmp_path: Path):
    out = render(small_toile(), "geojson", tmp_path / "t.geojson")
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # RFC 7946: no byte order mark
    doc = json.loads(raw)
    assert doc["type"] == "FeatureCollection"
    assert check_geojson(doc) == []


def test_points_are_lon_lat_with_every_attribute():
    doc = toile_geojson(graph_from_toile(small_toile()))
    usine = next(f for f in doc["features"] if f["properties"]["id"] == "usine")
    assert usine["geometry"] == {"type": "Point", "coordinates": [2.6402, 50.5331]}
    props = usine["properties"]
    assert props["name"] == "Sucrerie des Deux Villes"
    assert props["siret"] == "73282932000074"
    assert props["tags"] == "agroalimentaire|chaleur"
    assert props["kind_label"] == "Entreprise"
    assert props["color"].startswith("#")


def test_flows_are_lines_between_located_actors():
    doc = toile_geojson(graph_from_toile(small_toile()))
    lines = {
        f["properties"]["id"]: f for f in doc["features"] if f["geometry"]["type"] == "LineString"
    }
    # ext-air and ext-gaz have no coordinates: f4 and f5 cannot be drawn.
    assert sorted(lines) == ["f1", "f2", "f3", "f6"]
    f1 = lines["f1"]
    assert f1["geometry"]["coordinates"] == [[2.6402, 50.5331], [2.638, 50.5301]]
    assert f1["properties"]["quantity"] == 1.2345
    assert f1["properties"]["unit"] == "GWh"
    assert f1["properties"]["status_label"] == "Existant"
    assert doc["toiles"] == {
        "toile": "test-small",
        "version": "T0",
        "illustrative": False,
        "actors_without_point": 2,
        "flows_without_line": 2,
    }


def test_public_map_leaves_out_hidden_data(tmp_path: Path):
    out = render(small_toile(), "geojson", tmp_path / "t.geojson", public=True)
    text = out.read_text(encoding="utf-8")
    assert "incinerateur" not in text
    assert '"f2"' not in text


def test_hostile_names_are_plain_json_strings(tmp_path: Path):
    out = render(hostile_toile(), "geojson", tmp_path / "t.geojson")
    doc = json.loads(out.read_text(encoding="utf-8"))
    names = {f["properties"].get("name") for f in doc["features"]}
    assert SCRIPT_NAME in names


def test_checker_catches_swapped_coordinates():
    bad = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Point", "coordinates": [50.5, 100.0]},
    }
    assert check_geojson(bad) == ["Point : position hors limites [50.5, 100.0]"]
    line = {
        "type": "Feature",
        "properties": None,
        "geometry": {"type": "LineString", "coordinates": [[0, 0]]},
    }
    assert check_geojson(line) == ["LineString : au moins deux positions sont attendues"]


def test_grouped_map_has_flat_properties(tmp_path: Path):
    out = render(small_toile(), "geojson", tmp_path / "epci.geojson", group_by="epci")
    doc = json.loads(out.read_text(encoding="utf-8"))
    cab = next(f for f in doc["features"] if f["properties"].get("name") == "CABBALR")
    props = cab["properties"]
    assert props["internal_flows"] == 3
    assert props["internal_energy"] == pytest.approx(1234.5)
    assert "internal_quantities" not in props
    assert all(not isinstance(v, dict | list) for v in props.values())
