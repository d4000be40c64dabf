"""The NetworkX <-> igraph adapter."""

from __future__ import annotations

import networkx as nx
import numpy as np

from toiles.analysis import _igraph
from toiles.synthetic import example_graph


def test_igraph_from_networkx_round_trip():
    G = example_graph()
    g, nodes = _igraph.igraph_from_networkx(G)
    assert (g.vcount(), g.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    H = _igraph.networkx_from_igraph(g)
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert nodes == list(G)


def test_igraph_measures_match_networkx():
    D = nx.gnp_random_graph(60, 0.06, seed=3, directed=True)
    src = np.asarray([u for u, _ in D.edges()], dtype=np.int64)
    dst = np.asarray([v for _, v in D.edges()], dtype=np.int64)
    g = _igraph.igraph_from_pairs(60, src, dst)
    betw = nx.betweenness_centrality(D, normalized=False)
    assert np.allclose(_igraph.betweenness(g), [betw[i] for i in range(60)])
    U = D.to_undirected()
    harmonic = nx.harmonic_centrality(U)
    assert np.allclose(_igraph.harmonic(g), [harmonic[i] for i in range(60)])
    assert _igraph.articulation_points(g) == sorted(nx.articulation_points(U))
    assert _igraph.bridges(g) == sorted((min(a, b), max(a, b)) for a, b in nx.bridges(U))
    comps = sorted(sorted(c) for c in _igraph.strong_components(g))
    assert comps == sorted(sorted(c) for c in nx.strongly_connected_components(D))
