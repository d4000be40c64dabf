from __future__ import annotations

import pytest

from toiles.errors import ActorNotFound
from toiles.synthetic import example_graph
from toiles.viz.overlays import highlight_from_analysis
from toiles.viz.style import VisualError


def test_key_actors():
    h = highlight_from_analysis(example_graph(), "key-actors")
    assert h.title == "Acteurs clés"
    assert h.nodes["scierie"] == "n° 1"
    assert len(h.nodes) <= 10


def test_loops():
    # example toile: the wood loop scierie -> chaufferie -> reseau-chaleur -> scierie.
    h = highlight_from_analysis(example_graph(), "loops", lang="en")
    assert h.title == "Existing loops"
    assert set(h.nodes) == {"scierie", "chaufferie", "reseau-chaleur"}
    assert h.edges == frozenset({"f06", "f07", "f09"})


def test_candidates_are_suggested_links():
    h = highlight_from_analysis(example_graph(), "candidates")
    assert ("verrerie", "serres") in {(a, b) for a, b, _ in h.links}
    assert not h.edges


def test_impact_of_a_closure():
    # the sawmill sends all of the boiler's biomass (2000 MWh, its only energy input) and 30 t
    # of by-products to the dairy (its only mass input).
    h = highlight_from_analysis(example_graph(), "impact:scierie")
    assert h.nodes["scierie"] == "fermeture"
    assert h.nodes["chaufferie"].startswith("−100\u202f%")
    assert h.nodes["laiterie"].startswith("−100\u202f%")
    assert "f06" in h.edges
    # the lost share goes on a colour ramp: both lose everything, the closed actor is the top
    assert h.ramp == {"scierie": 1.0, "chaufferie": 1.0, "laiterie": 1.0} | {
        a: s for a, s in h.ramp.items() if a not in {"scierie", "chaufferie", "laiterie"}
    }
    assert all(0.0 < s <= 1.0 for s in h.ramp.values())


def test_loops_are_layers_with_their_own_colours():
    from toiles.viz.style import LAYER_PALETTE

    h = highlight_from_analysis(example_graph(), "loops")
    assert [layer.label for layer in h.layers] == ["Boucle 1"]
    assert h.layers[0].color == LAYER_PALETTE[0]
    assert len(set(LAYER_PALETTE)) == len(LAYER_PALETTE) >= 12
    assert h.layers[0].edges == frozenset({"f06", "f07", "f09"})
    assert h.layers[0].nodes == frozenset({"chaufferie", "reseau-chaleur", "scierie"})


def test_key_actors_carry_their_rank():
    h = highlight_from_analysis(example_graph(), "key-actors")
    assert sorted(h.ranks.values()) == list(range(1, len(h.nodes) + 1))
    assert all(h.nodes[a] == f"n° {r}" for a, r in h.ranks.items())


def test_impact_needs_a_known_actor():
    with pytest.raises(ActorNotFound):
        highlight_from_analysis(example_graph(), "impact:inconnu")
    with pytest.raises(VisualError, match="préciser l'acteur"):
        highlight_from_analysis(example_graph(), "impact")


def test_communities_are_coloured_by_label():
    h = highlight_from_analysis(example_graph(), "community")
    assert h.by_label
    assert all(label.startswith("Communauté ") for label in h.nodes.values())


def test_unknown_overlay():
    with pytest.raises(VisualError, match="mise en évidence inconnue"):
        highlight_from_analysis(example_graph(), "hubs")


@pytest.mark.parametrize(
    ("report", "overlay"),
    [
        ("centrality", "key-actors"),
        ("loops", "loops"),
        ("candidates", "candidates"),
        ("communities", "community"),
    ],
)
def test_highlight_from_result_equals_the_computed_overlay(report: str, overlay: str):
    # The web picture draws the result of the analyses panel's report (default options, run
    # in the API's child process): it must be the very overlay ``--highlight`` computes.
    from toiles.analysis import run_report
    from toiles.graph import graph_from_toile
    from toiles.loaders import load_toile
    from toiles.reference import reference_dir
    from toiles.viz.overlays import highlight_from_result

    G = graph_from_toile(load_toile(reference_dir("artois-energie-T0")))
    flows = [(str(u), str(v), str(k)) for u, v, k in G.edges(keys=True)]
    for lang in ("fr", "en"):
        shown = highlight_from_result(run_report(report, G, {}), lang=lang, flows=flows)
        assert shown == highlight_from_analysis(G, overlay, lang=lang)
        assert shown.nodes  # the energy toile has key actors, loops, leads and communities


def test_highlight_from_result_refuses_a_result_without_overlay():
    from toiles.analysis import run_report
    from toiles.viz.overlays import highlight_from_result

    with pytest.raises(VisualError, match="aucune mise en évidence"):
        highlight_from_result(run_report("cycling", example_graph(), {}))
