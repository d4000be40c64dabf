"""Existing loops of a toile: elementary cycles of flows and strongly connected components."""

from __future__ import annotations

from typing import Literal

import networkx as nx
import numpy as np
from pydantic import BaseModel, ConfigDict

from toiles.analysis import _igraph
from toiles.analysis._common import (
    Backend,
    FlowTable,
    ReportResult,
    actor_name,
    flow_table,
    resolve_backend,
    toile_ref,
)
from toiles.errors import AnalysisError

__all__ = ["Loop", "LoopFlow", "LoopsResult", "StrongComponent", "existing_loops"]


class LoopFlow(BaseModel):
    """One flow along a loop."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flow: str
    source: str
    target: str
    kind: str
    quantity: float | None
    unit: str | None
    family: str | None
    quantity_base: float | None


class Loop(BaseModel):
    """An elementary cycle: actors in order (the first one is not repeated) and its flows."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    length: int
    actors: list[str]
    names: list[str]
    flows: list[LoopFlow]
    explanation: str


class StrongComponent(BaseModel):
    """A strongly connected component: every actor reaches every other through flows."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    size: int
    actors: list[str]


class LoopsResult(ReportResult):
    """Result of :func:`existing_loops`."""

    report: str = "loops"
    backend: Literal["networkx", "igraph"]
    max_length: int
    max_count: int
    count: int
    truncated: bool
    loops: list[Loop]
    components: list[StrongComponent]


def _loop_graph(
    ft: FlowTable,
) -> tuple[nx.DiGraph[str], dict[tuple[str, str], list[int]]]:
    """Simple digraph of the existing flows between actors of the territory."""
    keep = ~ft.outside[ft.src] & ~ft.outside[ft.dst]
    keep &= np.asarray([s == "existant" for s in ft.status], dtype=np.bool_)
    D: nx.DiGraph[str] = nx.DiGraph()
    D.add_nodes_from(str(ft.nodes[i]) for i in np.flatnonzero(~ft.outside).tolist())
    pairs: dict[tuple[str, str], list[int]] = {}
    for i in np.flatnonzero(keep).tolist():
        u, v = str(ft.nodes[int(ft.src[i])]), str(ft.nodes[int(ft.dst[i])])
        pairs.setdefault((u, v), []).append(i)
    D.add_edges_from(pairs)
    return D, pairs


def _components(D: nx.DiGraph[str], backend: str) -> list[list[str]]:
    """Strongly connected components with a cycle (size 2 or more, or a self-loop)."""
    if backend == "igraph":
        nodes: list[str] = list(D)
        index = {n: i for i, n in enumerate(nodes)}
        edges = np.asarray([(index[u], index[v]) for u, v in D.edges()], dtype=np.int64)
        g = _igraph.igraph_from_pairs(
            len(nodes), edges[:, 0] if len(edges) else edges, edges[:, 1] if len(edges) else edges
        )
        raw = [[str(nodes[i]) for i in c] for c in _igraph.strong_components(g)]
    else:
        raw = [[str(n) for n in c] for c in nx.strongly_connected_components(D)]
    comps = [sorted(c) for c in raw if len(c) > 1 or D.has_edge(c[0], c[0])]
    return sorted(comps, key=lambda c: (-len(c), c[0]))


def _canonical(cycle: list[str]) -> list[str]:
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


def existing_loops(
    G: nx.MultiDiGraph[str],
    *,
    max_length: int = 6,
    max_count: int = 1000,
    backend: Backend = "auto",
) -> LoopsResult:
    """Find the loops that already exist in a toile, with the flows along each.

    A loop is an elementary cycle of existing flows between actors of the territory
    (``exterieur`` actors and ``potentiel``/``projet`` flows are left out): a chain of
    exchanges that comes back to where it started, the mark of a circular economy.
    Parallel flows between two actors are all listed on the same step.

    Parameters
    ----------
    G
        Toile graph.
    max_length
        Longest loop searched, in actors.
    max_count
        Loops listed at most; ``truncated`` tells when the search stopped there.
    backend
        Library finding the strongly connected components (the cycle search itself runs
        in NetworkX, one component at a time).

    Returns
    -------
    LoopsResult
        The loops (shortest first) and the strongly connected components with a cycle.

    Raises
    ------
    AnalysisError
        When ``max_length`` or ``max_count`` is below 1.

    Notes
    -----
    Cycles are enumerated with NetworkX's length-bounded search (Gupta & Suzumura 2021)
    inside each strongly connected component (Tarjan 1972), so the cost grows with the
    loops present, not with the size of the toile. Each loop starts at its smallest
    actor id; loops are sorted by length, then by actor ids.

    References
    ----------
    .. [1] Johnson, D. B. (1975). Finding all the elementary circuits of a directed graph.
       SIAM J. Comput. 4(1), 77-84. https://doi.org/10.1137/0204007
    .. [2] Gupta, A., & Suzumura, T. (2021). Finding all bounded-length simple cycles in a
       directed graph. https://arxiv.org/abs/2105.10094
    .. [3] Tarjan, R. (1972). Depth-first search and linear graph algorithms. SIAM J.
       Comput. 1(2), 146-160. https://doi.org/10.1137/0201010

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> r = existing_loops(example_graph())
    >>> r.count, r.loops[0].actors
    (1, ['chaufferie', 'reseau-chaleur', 'scierie'])
    >>> print(r.loops[0].explanation)
    Chaufferie biomasse → Réseau de chaleur de Bruay → Scierie Artois Bois → Chaufferie biomasse
    """
    if max_length < 1 or max_count < 1:
        msg = "La longueur maximale et le nombre maximal de boucles doivent être au moins 1."
        raise AnalysisError(msg)
    chosen = resolve_backend(G, backend)
    ft = flow_table(G)
    D, pairs = _loop_graph(ft)
    components = _components(D, chosen)
    found: list[list[str]] = []
    truncated = False
    for comp in components:
        sub = D.subgraph(comp)
        for cycle in nx.simple_cycles(sub, length_bound=max_length):
            if len(found) == max_count:
                truncated = True
                break
            found.append(_canonical([str(n) for n in cycle]))
        if truncated:
            break
    found.sort(key=lambda c: (len(c), c))
    loops: list[Loop] = []
    for cycle in found:
        flows: list[LoopFlow] = []
        for u, v in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
            for i in pairs[(u, v)]:
                data = ft.data[i]
                flows.append(
                    LoopFlow(
                        flow=str(ft.keys[i]),
                        source=u,
                        target=v,
                        kind=str(data.get("kind")),
                        quantity=data.get("quantity"),
                        unit=data.get("unit"),
                        family=data.get("family"),
                        quantity_base=data.get("quantity_base"),
                    )
                )
        names = [actor_name(G, a) for a in cycle]
        loops.append(
            Loop(
                length=len(cycle),
                actors=cycle,
                names=names,
                flows=flows,
                explanation=" → ".join([*names, names[0]]),
            )
        )
    explanation = (
        f"{len(loops)} boucle(s) existante(s) de {max_length} acteurs au plus"
        + (f" (recherche arrêtée à {max_count} boucles)" if truncated else "")
        + f" ; {len(components)} composante(s) fortement connexe(s) contenant une boucle."
    )
    return LoopsResult(
        **toile_ref(G),
        explanation=explanation,
        backend=chosen,
        max_length=max_length,
        max_count=max_count,
        count=len(loops),
        truncated=truncated,
        loops=loops,
        components=[StrongComponent(size=len(c), actors=c) for c in components],
    )
