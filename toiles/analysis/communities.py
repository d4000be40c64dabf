"""Communities of actors: groups that exchange more among themselves than with the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import networkx as nx
import numpy as np
from pydantic import BaseModel, ConfigDict

from toiles.analysis import _igraph
from toiles.analysis._common import (
    FAMILIES,
    Backend,
    ReportResult,
    check_family,
    flow_table,
    resolve_backend,
    rounded,
    toile_ref,
    weighted_count,
)
from toiles.errors import AnalysisError

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["CommunitiesResult", "Community", "communities_report"]


class Community(BaseModel):
    """A community, named after its most central actor, with its internal and external flows."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    name: str
    leader: str
    size: int
    actors: list[str]
    internal_flows: int
    external_flows: int
    internal: dict[str, float]
    external: dict[str, float]


class CommunitiesResult(ReportResult):
    """Result of :func:`communities_report`."""

    report: str = "communities"
    backend: Literal["networkx", "igraph"]
    method: Literal["leiden", "louvain"]
    resolution: float
    seed: int
    family: str | None
    modularity: float
    singletons: int
    communities: list[Community]


def _partition(  # noqa: PLR0913
    n: int,
    src: NDArray[np.int64],
    dst: NDArray[np.int64],
    weights: NDArray[np.float64],
    *,
    method: str,
    backend: str,
    resolution: float,
    seed: int,
) -> list[int]:
    """Membership of each actor (undirected, parallel flows added up as weights)."""
    if method == "leiden" or backend == "igraph":
        g = _igraph.igraph_from_pairs(n, src, dst)
        fn = _igraph.leiden if method == "leiden" else _igraph.louvain
        return fn(g, weights=weights.tolist(), resolution=resolution, seed=seed)
    U: nx.Graph[int] = nx.Graph()
    U.add_nodes_from(range(n))
    for a, b, w in zip(src.tolist(), dst.tolist(), weights.tolist(), strict=True):
        if U.has_edge(a, b):
            U[a][b]["weight"] += w
        else:
            U.add_edge(a, b, weight=w)
    parts = nx.community.louvain_communities(U, weight="weight", resolution=resolution, seed=seed)
    membership = [0] * n
    for k, part in enumerate(sorted(parts, key=min)):
        for node in part:
            membership[node] = k
    return membership


def communities_report(  # noqa: PLR0913
    G: nx.MultiDiGraph[str],
    *,
    method: Literal["leiden", "louvain"] = "leiden",
    resolution: float = 1.0,
    seed: int = 0,
    family: str | None = None,
    backend: Backend = "auto",
) -> CommunitiesResult:
    """Find communities of actors that exchange mostly among themselves.

    The network of the territory (``exterieur`` actors left out, directions ignored) is
    split by modularity optimisation; each flow weighs 1, or its quantity when ``family``
    is given (then only that family's flows count). Each community is named after its
    most central actor (the most flows inside the community, then the most flows overall).
    Actors alone in their community are counted in ``singletons``, not listed.

    Parameters
    ----------
    G
        Toile graph.
    method
        ``leiden`` (leidenalg) or ``louvain`` (NetworkX below the size threshold, igraph
        above).
    resolution
        Modularity resolution: above 1, smaller communities; below 1, larger ones.
    seed
        Seed of the optimisation (same seed, same communities).
    family
        Weigh flows by their quantities in this unit family.
    backend
        ``auto``, ``networkx`` or ``igraph`` (Louvain only; Leiden always runs on igraph).

    Returns
    -------
    CommunitiesResult
        Communities (largest first) with their internal and external flows and quantities.

    Raises
    ------
    AnalysisError
        When the resolution is not positive or the toile has no internal flow to split.

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast
       unfolding of communities in large networks. J. Stat. Mech. P10008.
       https://doi.org/10.1088/1742-5468/2008/10/P10008
    .. [2] Traag, V. A., Waltman, L., & van Eck, N. J. (2019). From Louvain to Leiden:
       guaranteeing well-connected communities. Sci. Rep. 9, 5233.
       https://doi.org/10.1038/s41598-019-41695-z

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> r = communities_report(example_graph())
    >>> [(c.name, c.size) for c in r.communities], r.singletons
    ([('Scierie Artois Bois', 3), ('Réseau de chaleur de Bruay', 2)], 2)
    """
    check_family(family)
    if not resolution > 0:
        msg = f"La résolution doit être strictement positive (reçu {resolution})."
        raise AnalysisError(msg)
    chosen = resolve_backend(G, backend)
    ft = flow_table(G)
    inner = np.flatnonzero(~ft.outside)
    n_in = len(inner)
    local = np.full(ft.n, -1, dtype=np.int64)
    local[inner] = np.arange(n_in)
    mask = ~ft.outside[ft.src] & ~ft.outside[ft.dst] & (ft.src != ft.dst)
    if family is not None:
        mask &= ft.family_mask(family) & ~np.isnan(ft.qty)
    if not mask.any():
        msg = "La toile n'a aucun flux entre acteurs du territoire : pas de communautés à chercher."
        raise AnalysisError(msg)
    src, dst = local[ft.src[mask]], local[ft.dst[mask]]
    weights = ft.qty[mask] if family is not None else np.ones(int(mask.sum()))
    a, b = np.minimum(src, dst), np.maximum(src, dst)
    codes, inverse = np.unique(a * n_in + b, return_inverse=True)
    pair_w = weighted_count(inverse.ravel(), weights, len(codes))
    membership = np.asarray(
        _partition(
            n_in,
            codes // n_in,
            codes % n_in,
            pair_w,
            method=method,
            backend=chosen,
            resolution=resolution,
            seed=seed,
        ),
        dtype=np.int64,
    )
    modularity = _modularity(n_in, codes // n_in, codes % n_in, pair_w, membership, resolution)

    # Every flow with an end inside the territory, for internal/external accounts.
    member_of = np.full(ft.n, -1, dtype=np.int64)
    member_of[inner] = membership
    all_flows = np.ones(len(ft.keys), dtype=np.bool_)
    if family is not None:
        all_flows &= ft.family_mask(family)
    ms, md = member_of[ft.src], member_of[ft.dst]
    internal_deg = np.zeros(ft.n)
    same = all_flows & (ms >= 0) & (ms == md)
    np.add.at(internal_deg, ft.src[same], 1.0)
    np.add.at(internal_deg, ft.dst[same], 1.0)
    total_deg = np.bincount(ft.src[all_flows], minlength=ft.n) + np.bincount(
        ft.dst[all_flows], minlength=ft.n
    )
    names = [str(node) for node in ft.nodes]
    communities: list[Community] = []
    sizes = np.bincount(membership, minlength=int(membership.max()) + 1)
    for k in np.flatnonzero(sizes > 1).tolist():
        members = inner[membership == k]
        ids = sorted(names[i] for i in members.tolist())
        leader = min(members.tolist(), key=lambda i: (-internal_deg[i], -total_deg[i], names[i]))
        inside = same & (ms == k)
        crossing = all_flows & ((ms == k) ^ (md == k))
        communities.append(
            Community(
                id=0,
                name=str(G.nodes[ft.nodes[leader]].get("name") or names[leader]),
                leader=names[leader],
                size=len(ids),
                actors=ids,
                internal_flows=int(inside.sum()),
                external_flows=int(crossing.sum()),
                internal=_per_family(ft.fam_code, ft.qty, inside),
                external=_per_family(ft.fam_code, ft.qty, crossing),
            )
        )
    communities.sort(key=lambda c: (-c.size, c.leader))
    communities = [c.model_copy(update={"id": i}) for i, c in enumerate(communities, start=1)]
    singletons = int((sizes == 1).sum())
    explanation = (
        f"{len(communities)} communauté(s) d'au moins deux acteurs ({method}, résolution "
        f"{resolution:g}, graine {seed}) ; {singletons} acteur(s) isolé(s)."
    )
    return CommunitiesResult(
        **toile_ref(G),
        explanation=explanation,
        backend=chosen,
        method=method,
        resolution=resolution,
        seed=seed,
        family=family,
        modularity=rounded(modularity, 9),
        singletons=singletons,
        communities=communities,
    )


def _per_family(
    fam_code: NDArray[np.int8], qty: NDArray[np.float64], mask: NDArray[np.bool_]
) -> dict[str, float]:
    out: dict[str, float] = {}
    ok = mask & (fam_code >= 0) & ~np.isnan(qty)
    for code in np.unique(fam_code[ok]).tolist():
        out[FAMILIES[code]] = rounded(float(qty[ok & (fam_code == code)].sum()))
    return out


def _modularity(  # noqa: PLR0913, PLR0917
    n: int,
    src: NDArray[np.int64],
    dst: NDArray[np.int64],
    weights: NDArray[np.float64],
    membership: NDArray[np.int64],
    resolution: float,
) -> float:
    """Newman's modularity of a partition of an undirected weighted graph."""
    total = float(weights.sum())
    if total <= 0:
        return 0.0
    degree = weighted_count(src, weights, n) + weighted_count(dst, weights, n)
    inside = float(weights[membership[src] == membership[dst]].sum())
    per = weighted_count(membership, degree, int(membership.max()) + 1)
    return inside / total - resolution * float((per**2).sum()) / (4 * total * total)
