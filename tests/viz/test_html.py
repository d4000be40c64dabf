from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.conftest import small_toile
from tests.viz._hostile import IMG_NAME, NOTES, SCRIPT_NAME, hostile_toile
from toiles.graph import graph_from_toile
from toiles.synthetic import example_toile
from toiles.viz import render
from toiles.viz.html import html_page, json_for_script, page_data, page_records

_DATA = re.compile(r'<script type="application/json" id="toile-data">(.*?)</script>', re.DOTALL)
_SCRIPTS = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def records(data: dict) -> dict:
    """The page's data with its actor and flow columns made records, as its script does."""
    return data | {"actors": page_records(data["actors"]), "flows": page_records(data["flows"])}


def page_json(page: str) -> dict:
    match = _DATA.search(page)
    assert match is not None
    return records(json.loads(match.group(1)))


def test_page_is_self_contained():
    page = html_page(graph_from_toile(small_toile()))
    assert "<script src" not in page
    assert "<link" not in page
    assert "sourceMappingURL" not in page
    assert "@import" not in page
    assert re.search(r"url\((?!\"?data:)", page) is None
    assert "vis.js is dual licensed" in page  # vis-network inlined with its licence


def test_page_scripts_are_allowed_by_hash_only():
    page = html_page(graph_from_toile(small_toile()))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = csp.group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in policy
    assert "connect-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    for script in _SCRIPTS.findall(page):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_data_round_trips_through_the_page():
    G = graph_from_toile(small_toile())
    data = page_json(html_page(G))
    assert {a["id"] for a in data["actors"]} == set(G.nodes)
    assert {f["id"] for f in data["flows"]} == {k for _, _, k in G.edges(keys=True)}
    f3 = next(f for f in data["flows"] if f["id"] == "f3")
    assert f3["status"] == "potentiel"
    assert f3["a"] == {"quantity": 300.0, "unit": "MWh", "year": 2023}
    usine = next(a for a in data["actors"] if a["id"] == "usine")
    assert usine["a"]["employees"] == 250
    assert data["communes"]["62119"] == "Béthune"
    assert data["naf"] == {"10.81Z": "Fabrication de sucre"}  # INSEE's label, shown in details
    assert data["vocab"]["status"]["potentiel"] == "Potentiel"
    assert data["meta"]["title"] == "Petite toile"
    assert data["meta"]["large"] is False


def test_hostile_texts_are_escaped_in_the_page():
    toile = hostile_toile()
    page = html_page(graph_from_toile(toile))
    match = _DATA.search(page)
    assert match is not None
    for text in ("</script", "<img", "<svg", "<!--", "&", "\u2028"):
        assert text not in match.group(1)
    for text in (SCRIPT_NAME, IMG_NAME, NOTES):
        assert text not in page
    assert "\u2028" not in page
    data = page_json(page)
    names = {a["label"] for a in data["actors"]}
    assert {SCRIPT_NAME, IMG_NAME} <= names
    assert data["meta"]["title"] == toile.name
    assert IMG_NAME in data["meta"]["sources"]
    # the <title> element is escaped by the HTML writer
    assert "<title>Toile &lt;/script&gt;&lt;script&gt;" in page


def test_json_for_script_escapes_everything_that_could_end_the_element():
    text = json_for_script({"a": "</script><!--\u2028&\u2029"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script><!--\u2028&\u2029"}


def test_english_page():
    data = page_json(html_page(graph_from_toile(small_toile()), lang="en"))
    assert data["ui"]["legend"] == "Legend"
    assert data["meta"]["lang"] == "en"
    assert data["vocab"]["actor_kind"]["entreprise"] == "Company"


def test_large_toile_has_layout_and_physics_off():
    G = graph_from_toile(small_toile())
    data = records(page_data(G, large=3))
    assert data["meta"]["large"] is True
    assert all("x" in a and "y" in a for a in data["actors"])


def test_illustrative_and_public_mentions(tmp_path: Path):
    out = render(example_toile(), "html", tmp_path / "t.html", public=True)
    data = page_json(out.read_text(encoding="utf-8"))
    assert data["meta"]["illustrative"] is True
    assert data["meta"]["public"] is True
    assert data["ui"]["illustrative"].startswith("Données illustratives")


def test_public_page_leaves_out_hidden_actors_and_flows(tmp_path: Path):
    out = render(small_toile(), "html", tmp_path / "public.html", public=True)
    page = out.read_text(encoding="utf-8")
    data = page_json(page)
    assert {a["id"] for a in data["actors"]} == {"usine", "reseau", "ext-air", "ext-gaz"}
    assert {f["id"] for f in data["flows"]} == {"f1", "f3", "f5", "f6"}
    assert "Unité de valorisation énergétique" not in page
    assert '"f4"' not in page


def test_highlight_is_written_into_the_page(tmp_path: Path):
    out = render(example_toile(), "html", tmp_path / "loops.html", highlight="loops")
    data = page_json(out.read_text(encoding="utf-8"))
    assert data["highlight"]["title"] == "Boucles existantes"
    assert sorted(n[0] for n in data["highlight"]["nodes"]) == [
        "chaufferie",
        "reseau-chaleur",
        "scierie",
    ]
    assert data["highlight"]["edges"] == ["f06", "f07", "f09"]


def test_grouped_page(tmp_path: Path):
    out = render(small_toile(), "html", tmp_path / "epci.html", group_by="epci")
    data = page_json(out.read_text(encoding="utf-8"))
    names = sorted(a["label"] for a in data["actors"])
    assert names == ["CABBALR", "CALL", "Extérieur du territoire"]
    assert data["meta"]["grouped_by"] == "EPCI"
    # Groups are counted as groups, and the flows inside them are written on them.
    assert data["ui"]["actors"] == "Groupes"
    cab = next(a for a in data["actors"] if a["label"] == "CABBALR")
    assert cab["summary"] == "3 flux internes\n1\u202f234 MWh"
    # Links between groups carry their summed quantity (the page writes it on them).
    quantities = [f["q"] for f in data["flows"] if f.get("q")]
    assert quantities
    assert all(q.endswith(" MWh") for q in quantities)


@pytest.mark.parametrize("size_by", ["employees", "centrality", "throughflow"])
def test_size_by(size_by: str):
    data = records(page_data(graph_from_toile(small_toile()), size_by=size_by))
    sizes = {a["id"]: a["size"] for a in data["actors"]}
    assert len(set(sizes.values())) > 1


def test_page_paints_the_scene():
    from toiles.viz.scene import build_scene

    G = graph_from_toile(example_toile())
    scene = build_scene(G)
    data = records(page_data(G, scene=scene))
    by_id = {a["id"]: a for a in data["actors"]}
    for node in scene.nodes:
        assert (by_id[node.id]["x"], by_id[node.id]["y"]) == (node.x, node.y)
        assert by_id[node.id]["size"] == node.radius
        palette = data["palette"]
        assert palette["actor"].get(node.kind, palette["actorDefault"]) == node.color
        assert palette["shape"][node.kind] == node.shape
    assert data["headline"] == [[f.value, f.label] for f in scene.headline]
    assert [r["title"] for r in data["regions"]] == [r.title for r in scene.regions]
    assert data["meta"]["layout"] == "structured"


def test_embed_page_starts_with_the_side_panel_closed():
    page = html_page(graph_from_toile(small_toile()), embed=True, public=True)
    assert '<div id="app" class="embed">' in page
    assert '<aside id="side" class="closed">' in page
    data = page_json(page)
    assert data["meta"]["embed"] is True
    assert data["meta"]["public"] is True
    assert "Version publique" in data["meta"]["mentions"][-1]


def test_big_page_opens_aggregated_with_its_hubs():
    from toiles.synthetic import synthetic_graph

    G = synthetic_graph(80, 120, seed=3)
    data = records(page_data(G, aggregate_from=50))
    assert data["meta"]["aggregated"] is True
    hubs = [a for a in data["actors"] if a.get("hub")]
    assert 0 < len(hubs) <= 20
    grouped = [a for a in data["actors"] if "g" in a]
    assert {a["g"] for a in grouped} <= set(range(len(data["regions"])))
    assert sum(r["n"] for r in data["regions"]) == 80
    assert page_data(G)["meta"]["aggregated"] is False


def test_unknown_layout_is_refused(tmp_path: Path):
    from toiles.viz import VisualError

    with pytest.raises(VisualError, match="disposition inconnue"):
        render(small_toile(), "html", tmp_path / "t.html", layout="circle")


def test_page_carries_actors_and_flows_as_columns():
    G = graph_from_toile(small_toile())
    match = _DATA.search(html_page(G))
    assert match is not None
    raw = json.loads(match.group(1))
    actors, flows = raw["actors"], raw["flows"]
    # one list per field, as long as the toile: no per-actor object to write or to parse
    assert len(actors["id"]) == G.number_of_nodes()
    assert all(len(column) == len(actors["id"]) for k, column in actors.items() if k != "a")
    assert all(len(column) == G.number_of_edges() for column in flows["a"].values())
    # empty and default values are null, and a column nobody fills is left out
    assert "description" not in actors["a"]
    assert actors["a"]["employees"][actors["id"].index("usine")] == 250
    assert None in actors["a"]["employees"]
    assert page_records(actors)[actors["id"].index("usine")]["a"]["employees"] == 250


def test_attribute_columns_leave_out_empty_default_and_non_finite_values():
    from toiles.viz.html import FLOW_SHOWN, attribute_columns

    records = [
        {"quantity": float("nan"), "unit": "", "count": 0, "confidentiality": "public"},
        {"quantity": float("inf"), "unit": "MWh", "confidentiality": "partenaires"},
        {"quantity": 2.5, "year": 2023, "notes": [], "provenance": ()},
    ]
    columns = attribute_columns(records, FLOW_SHOWN)
    assert columns == {
        "quantity": [None, None, 2.5],
        "unit": [None, "MWh", None],
        "count": [0, None, None],  # a count of 0 is a value
        "year": [None, None, 2023],
        "confidentiality": [None, "partenaires", None],
    }
    json_for_script(columns)  # no NaN or infinity reaches the page
