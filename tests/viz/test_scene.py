from __future__ import annotations

import networkx as nx
import pytest

from toiles.graph import graph_from_toile
from toiles.loaders import load_toile
from toiles.reference import reference_dir
from toiles.synthetic import example_graph
from toiles.viz.layout import naf_section, structured_layout
from toiles.viz.overlays import highlight_from_analysis
from toiles.viz.scene import (
    build_scene,
    delivered_totals,
    family_shares,
    headline_figures,
    ramp_color,
    wrap_label,
)


@pytest.fixture(scope="module")
def energy() -> nx.MultiDiGraph[str]:
    return graph_from_toile(load_toile(reference_dir("artois-energie-T0")))


def test_structured_layout_puts_the_frame_around_the_blocks(energy: nx.MultiDiGraph[str]):
    pos, regions = structured_layout(energy)
    ys: dict[str, list[float]] = {}
    for node, data in energy.nodes(data=True):
        ys.setdefault(str(data["kind"]), []).append(pos[node][1])
    # outside on top, then the networks (backbone), companies, public bodies at the bottom
    assert max(ys["exterieur"]) < min(ys["gestionnaire_reseau"])
    assert max(ys["gestionnaire_reseau"]) < min(ys["entreprise"])
    assert max(ys["entreprise"]) < min(ys["epci"] + ys["commune"] + ys["syndicat"])
    assert [r.key for r in regions if r.kind == "band"] == [
        "band:exterieur",
        "band:reseaux",
        "band:public",
    ]


def test_every_business_park_is_an_area_around_its_companies(energy: nx.MultiDiGraph[str]):
    pos, regions = structured_layout(energy)
    parks = {r.key.removeprefix("zae:"): r for r in regions if r.kind == "zae"}
    members = {n: d["zae"] for n, d in energy.nodes(data=True) if d.get("zae")}
    assert members
    for node, park in members.items():
        region = parks[park]
        x, y = pos[node]
        assert region.x0 < x < region.x1
        assert region.y0 < y < region.y1
    # parks are named as their actors are, not by their identifiers
    assert parks["zae-piaf"].title == energy.nodes["zae-piaf"]["name"]


def test_no_two_actors_share_a_cell(energy: nx.MultiDiGraph[str]):
    pos, _ = structured_layout(energy)
    assert len(set(pos.values())) == energy.number_of_nodes()


def test_structured_layout_is_deterministic_and_independent_of_seed(
    energy: nx.MultiDiGraph[str],
):
    assert build_scene(energy, seed=1, headline=False) == build_scene(
        energy, seed=7, headline=False
    )


def test_naf_sections():
    assert [naf_section(c) for c in ("01.11Z", "10.51A", "35.11Z", "84.11Z", "")] == [
        "A",
        "C",
        "D",
        "O",
        None,
    ]


def test_sizes_are_comparable_across_unit_families():
    G = nx.MultiDiGraph()
    # an energy hub, and a charging hub whose flows are counts: both are the hubs of their family
    G.add_edge("grid", "hub-mwh", family="energy", quantity_base=8000.0)
    G.add_edge("hub-mwh", "a", family="energy", quantity_base=100.0)
    G.add_edge("hub-count", "b", family="count", quantity_base=40.0)
    G.add_edge("hub-count", "c", family="count", quantity_base=2.0)
    shares = family_shares(G)
    assert shares["hub-mwh"] == 1.0
    assert shares["hub-count"] == 1.0
    assert shares["a"] == pytest.approx(100 / 8000)
    assert shares["c"] == pytest.approx(2 / 42)


def test_electromobility_hub_reads_as_a_hub():
    G = graph_from_toile(load_toile(reference_dir("artois-electromobilite-T0")))
    scene = build_scene(G, headline=False)
    # the largest sender of the toile (in MWh) gets the largest marker
    sent: dict[str, float] = {}
    for u, _, d in G.edges(data=True):
        if d.get("family") == "energy" and d.get("quantity_base") is not None:
            sent[u] = sent.get(u, 0.0) + float(d["quantity_base"])
    top = max(sent, key=lambda n: sent[n])
    radius = {n.id: n.radius for n in scene.nodes}
    assert radius[top] == max(radius.values())


def test_volumes_are_counted_once_along_a_chain():
    G = nx.MultiDiGraph()
    G.add_edge("national", "rte", family="energy", quantity_base=500.0)
    G.add_edge("rte", "enedis", family="energy", quantity_base=500.0)
    G.add_edge("enedis", "factory", family="energy", quantity_base=300.0)
    G.add_edge("enedis", "school", family="energy", quantity_base=200.0)
    assert delivered_totals(G) == {"energy": 500.0}


def test_headline_figures_of_the_example():
    figures = headline_figures(example_graph())
    G = example_graph()
    assert 3 <= len(figures) <= 5
    assert figures[0].value == str(G.number_of_nodes())
    assert figures[1].value == str(G.number_of_edges())
    labels = [f.label for f in figures]
    assert "boucles" in labels


def test_loops_get_their_colours_in_the_scene():
    G = example_graph()
    scene = build_scene(G, highlight=highlight_from_analysis(G, "loops"), headline=False)
    layer = scene.layers[0]
    coloured = {n.id for n in scene.nodes if n.ring == layer.color}
    assert coloured == set(layer.nodes)
    assert {e.id for e in scene.edges if e.layers == (0,)} == set(layer.edges)
    assert all(e.faded for e in scene.edges if e.id not in layer.edges)


def test_impact_is_a_ramp_of_the_share_lost():
    assert ramp_color(0.09) != ramp_color(1.0)
    G = example_graph()
    scene = build_scene(G, highlight=highlight_from_analysis(G, "impact:scierie"), headline=False)
    assert scene.ramp
    rings = {n.id: n.ring for n in scene.nodes if n.ring}
    assert rings["scierie"] == ramp_color(1.0)


def test_wrap_label():
    assert wrap_label("Enedis") == "Enedis"
    text = wrap_label("Unité de Valorisation Énergétique du Béthunois", width=16, lines=3)
    assert len(text.split("\n")) == 3
    assert all(len(line) <= 16 for line in text.split("\n"))


def test_the_page_layout_takes_the_shape_of_a_screen(energy: nx.MultiDiGraph[str]):
    def shape(bounds: tuple[float, float, float, float]) -> float:
        x0, y0, x1, y1 = bounds
        return (x1 - x0) / (y1 - y0)

    poster = build_scene(energy, headline=False).bounds()
    screen = build_scene(energy, headline=False, aspect=2.0).bounds()
    assert shape(poster) < shape(screen)
    assert 1.6 < shape(screen) < 2.4


def test_blocks_of_two_actors_or_more_are_wide_enough_for_their_title(
    energy: nx.MultiDiGraph[str],
):
    from toiles.viz.layout import CELL_W

    _, regions = structured_layout(energy, aspect=2.0)
    blocks = [r for r in regions if r.kind != "band" and len(r.members) >= 2]
    assert blocks
    assert all(r.x1 - r.x0 >= 2 * CELL_W - 8 for r in blocks)
