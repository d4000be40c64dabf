"""The one adapter between NetworkX and igraph: conversions and the igraph calls of the reports.

Every report keeps NetworkX as its reference implementation and public API; above a size
threshold (``get_settings().igraph_threshold`` actors) it hands the heavy work to igraph
through the functions below, which take and return plain Python or numpy values, so that
no igraph object leaks out of this module.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType

    import igraph as ig
    from numpy.typing import NDArray


def _ig() -> ModuleType:
    """Import igraph when a report first needs it (igraph loads matplotlib with it)."""
    import igraph  # noqa: PLC0415  # heavy: kept out of ``import toiles.analysis``

    module: ModuleType = igraph
    return module


def igraph_from_pairs(
    n: int,
    src: NDArray[np.int64],
    dst: NDArray[np.int64],
    *,
    directed: bool = True,
) -> ig.Graph:
    """Build an igraph graph on vertices ``0..n-1`` from edge end arrays."""
    g = _ig().Graph(n=n, directed=directed)
    if len(src):
        g.add_edges(np.column_stack((src, dst)))
    return g


def igraph_from_networkx(G: nx.MultiDiGraph[str]) -> tuple[ig.Graph, list[str]]:
    """Convert a toile graph to igraph; vertex ``i`` is ``nodes[i]``.

    Vertex attribute ``_node`` holds the node keys, edge attribute ``key`` the flow ids, and
    every other node and edge attribute is copied.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", key="f1", quantity_base=2.0)
    >>> g, nodes = igraph_from_networkx(G)
    >>> g.vcount(), g.ecount(), nodes, g.es["key"], g.es["quantity_base"]
    (2, 1, ['a', 'b'], ['f1'], [2.0])
    """
    nodes = list(G.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = list(G.edges(keys=True, data=True))
    g = _ig().Graph(
        n=len(nodes), edges=[(index[u], index[v]) for u, v, _, _ in edges], directed=True
    )
    g.vs["_node"] = nodes
    for attr in sorted({a for _, d in G.nodes(data=True) for a in d}):
        g.vs[attr] = [G.nodes[node].get(attr) for node in nodes]
    g.es["key"] = [k for _, _, k, _ in edges]
    names = sorted({name for _, _, _, d in edges for name in d})
    for name in names:
        g.es[name] = [d.get(name) for _, _, _, d in edges]
    return g, nodes


def networkx_from_igraph(g: ig.Graph) -> nx.MultiDiGraph[str]:
    """Convert back a graph made by :func:`igraph_from_networkx` (the symmetric of it).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", key="f1", quantity_base=2.0)
    >>> H = networkx_from_igraph(igraph_from_networkx(G)[0])
    >>> list(H.edges(keys=True, data=True))
    [('a', 'b', 'f1', {'quantity_base': 2.0})]
    """
    H: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    names = g.vs["_node"] if "_node" in g.vs.attributes() else list(range(g.vcount()))
    for vertex in g.vs:
        attrs = {k: v for k, v in vertex.attributes().items() if k != "_node"}
        H.add_node(names[vertex.index], **attrs)
    for edge in g.es:
        attrs = edge.attributes()
        key = attrs.pop("key", None)
        H.add_edge(names[edge.source], names[edge.target], key=key, **attrs)
    return H


def betweenness(
    g: ig.Graph, *, sources: Sequence[int] | None = None, cutoff: int | None = None
) -> NDArray[np.float64]:
    """Raw directed betweenness (pairs counted once), from all sources or a sample of them."""
    if g.vcount() == 0:
        return np.zeros(0)
    values = g.betweenness(directed=True, cutoff=cutoff, sources=sources)
    return np.asarray(values, dtype=np.float64)


def pagerank(
    g: ig.Graph, *, weights: Sequence[float] | None = None, damping: float = 0.85
) -> NDArray[np.float64]:
    """PageRank (PRPACK), dangling actors spreading their rank uniformly."""
    if g.vcount() == 0:
        return np.zeros(0)
    values = g.pagerank(directed=True, damping=damping, weights=weights)
    return np.asarray(values, dtype=np.float64)


def harmonic(g: ig.Graph, *, sources: Sequence[int] | None = None) -> NDArray[np.float64]:
    """Sum of inverse distances from every vertex (or from ``sources``), edges taken both ways."""
    n = g.vcount()
    if n == 0:
        return np.zeros(0)
    if sources is None:
        values = g.harmonic_centrality(mode="all", normalized=False)
        return np.asarray(values, dtype=np.float64)
    total = np.zeros(n)
    chunk = 16
    for start in range(0, len(sources), chunk):
        rows = np.asarray(
            g.distances(source=list(sources[start : start + chunk]), mode="all"), dtype=np.float64
        )
        with np.errstate(divide="ignore"):
            inverse = 1.0 / rows
        inverse[~np.isfinite(inverse)] = 0.0
        total += inverse.sum(axis=0)
    return total


def articulation_points(g: ig.Graph) -> list[int]:
    """Vertices whose removal disconnects their component (edge directions ignored)."""
    return sorted(g.as_undirected(mode="collapse").articulation_points())


def bridges(g: ig.Graph) -> list[tuple[int, int]]:
    """Vertex pairs joined by a bridge of the undirected, collapsed graph."""
    und = g.as_undirected(mode="collapse")
    pairs = (und.es[i].tuple for i in und.bridges())
    return sorted((min(a, b), max(a, b)) for a, b in pairs)


def strong_components(g: ig.Graph) -> list[list[int]]:
    """Strongly connected components, as lists of vertex indices."""
    return [list(c) for c in g.connected_components(mode="strong")]


def leiden(
    g: ig.Graph, *, weights: Sequence[float] | None, resolution: float, seed: int
) -> list[int]:
    """Leiden communities (modularity, ``leidenalg``), seeded; returns a membership list."""
    import leidenalg  # noqa: PLC0415  # heavy import, needed by this report only

    und = g.as_undirected(mode="each")
    partition = leidenalg.find_partition(
        und,
        leidenalg.RBConfigurationVertexPartition,
        weights=weights,
        resolution_parameter=resolution,
        seed=seed,
        n_iterations=-1,
    )
    return [int(m) for m in partition.membership]


def louvain(
    g: ig.Graph, *, weights: Sequence[float] | None, resolution: float, seed: int
) -> list[int]:
    """Louvain communities (igraph's multilevel), with igraph's generator seeded then restored."""
    und = g.as_undirected(mode="each")
    _ig().set_random_number_generator(random.Random(seed))  # noqa: S311  # not for security
    try:
        clustering = und.community_multilevel(weights=weights, resolution=resolution)
    finally:
        _ig().set_random_number_generator(random)
    return [int(m) for m in clustering.membership]
