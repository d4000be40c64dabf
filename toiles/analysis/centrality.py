"""Key actors of a toile: degree, strength, betweenness, PageRank, closeness, cut points."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, cast

import networkx as nx
import numpy as np
from pydantic import BaseModel, ConfigDict

from toiles.analysis import _igraph
from toiles.analysis._common import (
    FAMILIES,
    FAMILY_FR,
    KINDS,
    Backend,
    FlowTable,
    ReportResult,
    check_family,
    flow_table,
    fr_percent,
    resolve_backend,
    rounded,
    toile_ref,
    weighted_count,
)
from toiles.errors import AnalysisError
from toiles.models.vocab import FLOW_KINDS, Theme
from toiles.settings import get_settings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from numpy.typing import NDArray

__all__ = ["ActorCentrality", "BridgeFlow", "CentralityResult", "centrality_report"]

#: Sources sampled for betweenness when it is estimated.
DEFAULT_SAMPLES = 256

#: Which actors a view ranks: ``all`` of the territory, or only ``companies``.
View = Literal["all", "companies"]

#: Actor kinds ranked by the companies view; network operators, public bodies, business
#: parks and the outside stay in the graph (paths go through them) but are not ranked.
COMPANY_KINDS = frozenset({"entreprise"})


class ActorCentrality(BaseModel):
    """One actor of the combined ranking, with its measures and why it ranks."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rank: int
    actor: str
    name: str
    kind: str
    score: float
    in_degree: int
    out_degree: int
    strength_in: dict[str, float]
    strength_out: dict[str, float]
    betweenness: float
    pagerank: float
    closeness: float
    articulation: bool
    sole_supplier_of: int
    reasons: list[str]
    reason: str


class BridgeFlow(BaseModel):
    """A flow whose loss splits the toile in two."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flow: str
    source: str
    target: str
    kind: str


class CentralityResult(ReportResult):
    """Result of :func:`centrality_report`."""

    report: str = "centrality"
    backend: Literal["networkx", "igraph"]
    family: str | None
    theme: str | None
    n_actors: int
    n_flows: int
    betweenness_method: Literal["exact", "sampled"]
    betweenness_samples: int | None
    closeness_method: Literal["exact", "sampled"]
    seed: int
    view: View = "all"
    ranked_kinds: list[str] | None = None
    groups: int | None = None
    ranking: list[ActorCentrality]
    articulation_points: list[str]
    bridges: list[BridgeFlow]


def _selected(ft: FlowTable, family: str | None, theme: str | None) -> NDArray[np.bool_]:
    mask = np.ones(len(ft.keys), dtype=np.bool_)
    if family is not None:
        mask &= ft.family_mask(family)
    if theme is not None:
        wanted = Theme(theme)
        mask &= ft.kind_mask(
            k.value for k, info in FLOW_KINDS.items() if info.theme in (None, wanted)
        )
    return mask


def _pagerank_numpy(  # noqa: PLR0913
    n: int,
    src: NDArray[np.int64],
    dst: NDArray[np.int64],
    weights: NDArray[np.float64] | None,
    *,
    alpha: float = 0.85,
    tol: float = 1e-12,
    max_iter: int = 1000,
) -> NDArray[np.float64]:
    """PageRank by power iteration, NetworkX's definition (dangling rank spread uniformly).

    NetworkX's own ``pagerank`` needs SciPy; this is the same computation in numpy.
    """
    if n == 0:
        return np.zeros(0)
    w = np.ones(len(src)) if weights is None else weights
    out = weighted_count(src, w, n)
    dangling = out == 0
    share = np.divide(w, out[src], out=np.zeros(len(src)), where=out[src] > 0)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        x = alpha * weighted_count(dst, x[src] * share, n)
        x += (alpha * previous[dangling].sum() + (1.0 - alpha)) / n
        if np.abs(x - previous).sum() < n * tol:
            break
    return np.asarray(x / x.sum(), dtype=np.float64)


def _harmonic_networkx(U: nx.Graph[int], sources: list[int] | None) -> NDArray[np.float64]:
    """Sum over the sources of the inverse distances to each actor (all actors if ``None``)."""
    total = np.zeros(U.number_of_nodes())
    for source in U if sources is None else sources:
        for node, d in nx.single_source_shortest_path_length(U, source).items():
            if d > 0:
                total[node] += 1.0 / d
    return total


def _structure(
    backend: str,
    n: int,
    pairs: tuple[NDArray[np.int64], NDArray[np.int64]],
    weights: NDArray[np.float64] | None,
    sources: list[int] | None,
) -> tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], list[int], list[tuple[int, int]]
]:
    """Betweenness (raw), PageRank, harmonic closeness (raw), cut vertices and bridges."""
    src, dst = pairs
    if backend == "igraph":
        g = _igraph.igraph_from_pairs(n, src, dst)
        betw = _igraph.betweenness(g, sources=sources)
        pr = _igraph.pagerank(g, weights=None if weights is None else weights.tolist())
        clos = _igraph.harmonic(g, sources=sources)
        return betw, pr, clos, _igraph.articulation_points(g), _igraph.bridges(g)
    D: nx.DiGraph[int] = nx.DiGraph()
    D.add_nodes_from(range(n))
    D.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    if sources is None:
        raw = nx.betweenness_centrality(D, normalized=False)
    else:
        raw = nx.betweenness_centrality_subset(D, sources, list(D), normalized=False)
    betw = np.asarray([raw[i] for i in range(n)], dtype=np.float64)
    pr = _pagerank_numpy(n, src, dst, weights)
    U = D.to_undirected()
    clos = _harmonic_networkx(U, sources)
    cut = sorted(nx.articulation_points(U))
    edges = cast("Iterator[tuple[int, int]]", nx.bridges(U))
    bridges = sorted((min(a, b), max(a, b)) for a, b in edges)
    return betw, pr, clos, cut, bridges


def _sole_suppliers(ft: FlowTable, mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Number of (actor, flow kind) needs that each actor is the only supplier of."""
    idx = np.flatnonzero(mask & ~ft.outside[ft.dst] & (ft.src != ft.dst))
    counts = np.zeros(ft.n, dtype=np.int64)
    if len(idx) == 0:
        return counts
    kinds = ft.kind_code[idx].astype(np.int64) + 1
    need = ft.dst[idx] * (len(KINDS) + 1) + kinds
    pairs = np.unique(need * ft.n + ft.src[idx])  # one row per (need, supplier), sorted
    _, first, per_need = np.unique(pairs // ft.n, return_index=True, return_counts=True)
    only = pairs[first[per_need == 1]] % ft.n
    only = only[~ft.outside[only]]
    np.add.at(counts, only, 1)
    return counts


def _top_decile(
    values: NDArray[np.float64], ranked: NDArray[np.bool_] | None = None
) -> NDArray[np.bool_]:
    """Actors in the top tenth of a measure among the ranked ones (and above zero)."""
    among = values if ranked is None else values[ranked]
    if not len(among):
        return np.zeros(len(values), dtype=np.bool_)
    return np.asarray((values > 0) & (values >= np.quantile(among, 0.9)), dtype=np.bool_)


def _reasons(  # noqa: PLR0913
    i: int,
    *,
    degree: NDArray[np.float64],
    top: dict[str, NDArray[np.bool_]],
    articulation: bool,
    sole: int,
    shares: dict[str, float],
    groups: int = 0,
) -> list[str]:
    reasons: list[str] = []
    if groups >= 2:  # noqa: PLR2004
        reasons.append(f"passeur : relie {groups} groupes d'acteurs qui travaillent entre eux")
    if degree[i] >= 3 and top["degree"][i]:  # noqa: PLR2004
        reasons.append(f"plaque tournante : {int(degree[i])} flux")
    if top["betweenness"][i]:
        reasons.append("intermédiaire : relie des acteurs qui sans lui seraient éloignés")
    if articulation:
        reasons.append("point d'articulation : sa disparition coupe la toile en morceaux")
    if sole > 0:
        reasons.append(f"fournisseur unique : seul à fournir {sole} besoin(s) d'autres acteurs")
    reasons.extend(
        f"gros flux : part à {fr_percent(share, 0)} des quantités échangées en {FAMILY_FR[family]}"
        for family, share in sorted(shares.items())
        if share >= 0.1  # noqa: PLR2004
    )
    if top["pagerank"][i]:
        reasons.append("influent : alimenté par des acteurs eux-mêmes centraux (PageRank)")
    if top["closeness"][i]:
        reasons.append("proche de tous : peu d'intermédiaires le séparent des autres acteurs")
    if not reasons:
        reasons.append("bien placé sur plusieurs mesures sans en dominer aucune")
    return reasons


def centrality_report(  # noqa: PLR0912, PLR0913, PLR0915
    G: nx.MultiDiGraph[str],
    *,
    top: int = 20,
    family: str | None = None,
    theme: str | None = None,
    seed: int = 0,
    backend: Backend = "auto",
    betweenness_samples: int | None = None,
    view: View = "all",
) -> CentralityResult:
    """Rank the key actors of a toile and find the actors and flows it cannot lose.

    Degrees count flows; strengths add the normalised quantities (``quantity_base``) of each
    unit family separately, never across families. Betweenness, PageRank and closeness are
    computed on the internal network (``exterieur`` actors left out, parallel flows merged).
    Articulation points and bridges are the actors and flows whose loss disconnects that
    network (directions ignored). Each actor gets a combined score, the mean of its five
    measures divided by their maximum, plus 0.2 if it is an articulation point and 0.2 if it
    is the sole supplier of some need, and the reasons it ranks.

    Parameters
    ----------
    G
        Toile graph (see :mod:`toiles.graph`).
    top
        Length of the ranking.
    family
        Keep only flows of this unit family (``energy``, ``volume``, ``mass``, ``count``...):
        strengths and PageRank then weigh flows by their quantities.
    theme
        Keep only flows whose kind belongs to this theme (or to every theme).
    seed
        Seed of the source sampling when betweenness is estimated.
    backend
        ``networkx``, ``igraph`` or ``auto`` (igraph above ``igraph_threshold`` actors).
    betweenness_samples
        Number of sampled source actors; ``None`` computes betweenness and closeness exactly
        up to ``exact_betweenness_max_edges`` flows and samples 256 sources above.
    view
        ``all`` ranks every actor of the territory (the infrastructure reading: grids come
        first); ``companies`` ranks companies only, each measure scaled by the companies'
        maximum, while network operators, public bodies, business parks and the outside
        stay in the graph so that paths still go through them. Each company then also says
        how many groups of actors it links (Leiden communities of the internal network,
        seeded with ``seed``).

    Returns
    -------
    CentralityResult
        The ranking, the articulation points and bridges, and how each measure was computed.

    Raises
    ------
    AnalysisError
        When the toile has no flow of the family or theme asked, or an option is out of range.

    Notes
    -----
    Exact betweenness (Brandes 2001) costs O(actors x flows); above the threshold it is
    estimated from a seeded sample of ``k`` source actors, scaled by ``actors / k``
    (Brandes & Pich 2007). Closeness is the harmonic form (sum of inverse distances, edges
    taken both ways, divided by ``actors - 1``), which stays defined on disconnected toiles
    (Marchiori & Latora 2000); above the threshold it is estimated from the distances to
    the same sampled sources, scaled the same way (Eppstein & Wang 2004). NetworkX's
    ``pagerank`` needs SciPy: the NetworkX backend runs the same power iteration in numpy.

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality. J. Math. Sociol.
       25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249
    .. [2] Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. Int. J.
       Bifurc. Chaos 17(7), 2303-2318. https://doi.org/10.1142/S0218127407018403
    .. [3] Page, L., Brin, S., Motwani, R., & Winograd, T. (1999). The PageRank citation
       ranking: bringing order to the web. http://ilpubs.stanford.edu:8090/422/
    .. [4] Marchiori, M., & Latora, V. (2000). Harmony in the small-world. Physica A 285,
       539-546. https://doi.org/10.1016/S0378-4371(00)00311-3
    .. [5] Eppstein, D., & Wang, J. (2004). Fast approximation of centrality. J. Graph
       Algorithms Appl. 8(1), 39-45. https://doi.org/10.7155/jgaa.00081
    .. [6] Hopcroft, J., & Tarjan, R. (1973). Efficient algorithms for graph manipulation.
       Commun. ACM 16(6), 372-378. https://doi.org/10.1145/362248.362272

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> r = centrality_report(example_graph(), top=3)
    >>> [a.actor for a in r.ranking]
    ['scierie', 'reseau-chaleur', 'chaufferie']
    >>> r.articulation_points, r.betweenness_method
    (['reseau-chaleur', 'scierie'], 'exact')
    >>> [a.kind for a in centrality_report(example_graph(), view="companies").ranking][:3]
    ['entreprise', 'entreprise', 'entreprise']
    """
    check_family(family)
    if top < 1:
        msg = "Le nombre d'acteurs à classer (top) doit être au moins 1."
        raise AnalysisError(msg)
    if betweenness_samples is not None and betweenness_samples < 1:
        msg = "Le nombre de sources échantillonnées doit être au moins 1."
        raise AnalysisError(msg)
    if view not in {"all", "companies"}:
        msg = f"vue inconnue « {view} » (valeurs possibles : all, companies)."
        raise AnalysisError(msg)
    chosen = resolve_backend(G, backend)
    ft = flow_table(G)
    mask = _selected(ft, family, theme)
    if not mask.any():
        what = f"de la famille « {family} »" if family else f"du thème « {theme} »"
        msg = f"La toile n'a aucun flux {what} : pas de centralité à calculer."
        raise AnalysisError(msg)
    n = ft.n
    sel = np.flatnonzero(mask)
    in_deg = np.bincount(ft.dst[sel], minlength=n)
    out_deg = np.bincount(ft.src[sel], minlength=n)
    qty = np.nan_to_num(ft.qty[sel], nan=0.0)
    fam_sel = ft.fam_code[sel]
    families = [FAMILIES[c] for c in np.unique(fam_sel).tolist() if c >= 0]
    strength_in: dict[str, NDArray[np.float64]] = {}
    strength_out: dict[str, NDArray[np.float64]] = {}
    shares: dict[str, NDArray[np.float64]] = {}
    for fam in families:
        fmask = fam_sel == FAMILIES.index(fam)
        strength_in[fam] = weighted_count(ft.dst[sel][fmask], qty[fmask], n)
        strength_out[fam] = weighted_count(ft.src[sel][fmask], qty[fmask], n)
        total = float(qty[fmask].sum())
        both = strength_in[fam] + strength_out[fam]
        shares[fam] = both / total if total > 0 else np.zeros(n)

    inner = np.flatnonzero(~ft.outside)
    n_in = len(inner)
    local = np.full(n, -1, dtype=np.int64)
    local[inner] = np.arange(n_in)
    internal = mask & ~ft.outside[ft.src] & ~ft.outside[ft.dst] & (ft.src != ft.dst)
    isrc, idst = local[ft.src[internal]], local[ft.dst[internal]]
    codes, inverse = np.unique(isrc * max(n_in, 1) + idst, return_inverse=True)
    psrc, pdst = codes // max(n_in, 1), codes % max(n_in, 1)
    weights = None
    if family is not None:
        weights = weighted_count(
            inverse.ravel(), np.nan_to_num(ft.qty[internal], nan=0.0), len(codes)
        )
        if not weights.any():
            weights = None

    large = len(codes) > get_settings().exact_betweenness_max_edges
    samples = (
        betweenness_samples
        if betweenness_samples is not None
        else (DEFAULT_SAMPLES if large else None)
    )
    sources: list[int] | None = None
    if samples is not None and samples < n_in:
        rng = np.random.default_rng(seed)
        sources = sorted(rng.choice(n_in, size=samples, replace=False).tolist())
    else:
        samples = None
    betw_raw, pr, clos_raw, cut, bridge_pairs = _structure(
        chosen, n_in, (psrc, pdst), weights, sources
    )
    scale = 1.0 / ((n_in - 1) * (n_in - 2)) if n_in > 2 else 0.0  # noqa: PLR2004
    clos_scale = 1.0 / (n_in - 1) if n_in > 1 else 0.0
    if sources is not None:
        scale *= n_in / len(sources)
        clos_scale *= n_in / len(sources)
    betw = betw_raw * scale
    clos = clos_raw * clos_scale

    degree = (in_deg + out_deg)[inner].astype(np.float64)
    if view == "companies":
        kinds = [G.nodes[ft.nodes[i]].get("kind") for i in inner.tolist()]
        ranked = np.asarray([k in COMPANY_KINDS for k in kinds], dtype=np.bool_)
    else:
        ranked = np.ones(n_in, dtype=np.bool_)
    strength_norm = np.zeros(n_in)
    for fam in families:
        strength_norm = np.maximum(
            strength_norm, _scaled((strength_in[fam] + strength_out[fam])[inner], ranked)
        )
    articulation = np.zeros(n_in, dtype=np.bool_)
    articulation[cut] = True
    sole = _sole_suppliers(ft, mask)[inner]
    score = (
        (
            _scaled(degree, ranked)
            + strength_norm
            + _scaled(betw, ranked)
            + _scaled(pr, ranked)
            + _scaled(clos, ranked)
        )
        / 5.0
        + 0.2 * articulation
        + 0.2 * (sole > 0)
    )
    names = [ft.nodes[i] for i in inner.tolist()]
    rounded_score = np.where(ranked, np.round(score, 12), -np.inf)
    n_ranked = int(ranked.sum())
    if n_ranked > top:  # the actors that can be in the top: a tie at the cut keeps them all
        cut_score = np.partition(rounded_score, n_in - top)[n_in - top]
        pool = np.flatnonzero(rounded_score >= cut_score).tolist()
    else:
        pool = np.flatnonzero(ranked).tolist()
    order = sorted(pool, key=lambda i: (-rounded_score[i], names[i]))[:top]
    top_tenth = {
        "degree": _top_decile(degree, ranked),
        "betweenness": _top_decile(betw, ranked),
        "pagerank": _top_decile(pr, ranked),
        "closeness": _top_decile(clos, ranked),
    }
    n_groups, groups = (
        _groups_linked(n_in, psrc, pdst, order, seed) if view == "companies" else (None, {})
    )

    ranking: list[ActorCentrality] = []
    for rank, i in enumerate(order, start=1):
        node = ft.nodes[int(inner[i])]
        data = G.nodes[node]
        g = int(inner[i])
        reasons = _reasons(
            i,
            degree=degree,
            top=top_tenth,
            articulation=bool(articulation[i]),
            sole=int(sole[i]),
            shares={fam: float(shares[fam][g]) for fam in families},
            groups=groups.get(i, 0),
        )
        ranking.append(
            ActorCentrality(
                rank=rank,
                actor=str(node),
                name=str(data.get("name") or node),
                kind=str(data.get("kind")),
                score=rounded(float(score[i])),
                in_degree=int(in_deg[g]),
                out_degree=int(out_deg[g]),
                strength_in={f: rounded(float(strength_in[f][g])) for f in families},
                strength_out={f: rounded(float(strength_out[f][g])) for f in families},
                betweenness=rounded(float(betw[i]), 9),
                pagerank=rounded(float(pr[i]), 9),
                closeness=rounded(float(clos[i]), 9),
                articulation=bool(articulation[i]),
                sole_supplier_of=int(sole[i]),
                reasons=reasons,
                reason="; ".join(reasons),
            )
        )
    bridges = _bridge_flows(ft, internal, local, n_in, bridge_pairs, inner)
    cut_ids = sorted(str(ft.nodes[int(inner[i])]) for i in cut)
    who = (
        f"{len(ranking)} entreprises clés sur {n_ranked} (gestionnaires de réseau, organismes "
        "publics, ZAE et extérieur gardés pour les chemins mais non classés)"
        if view == "companies"
        else f"{len(ranking)} acteurs clés sur {n_in}"
    )
    explanation = (
        f"{who} ; {len(cut_ids)} point(s) d'articulation et "
        f"{len(bridges)} flux-pont(s) dont la perte coupe la toile. "
        + (
            "Intermédiarité exacte."
            if sources is None
            else f"Intermédiarité estimée à partir de {len(sources)} acteurs tirés au hasard "
            f"(graine {seed})."
        )
    )
    return CentralityResult(
        **toile_ref(G),
        explanation=explanation,
        backend=chosen,
        family=family,
        theme=None if theme is None else Theme(theme).value,
        n_actors=n_in,
        n_flows=int(mask.sum()),
        betweenness_method="exact" if sources is None else "sampled",
        betweenness_samples=None if sources is None else len(sources),
        closeness_method="exact" if sources is None else "sampled",
        seed=seed,
        view=view,
        ranked_kinds=sorted(COMPANY_KINDS) if view == "companies" else None,
        groups=n_groups,
        ranking=ranking,
        articulation_points=cut_ids,
        bridges=bridges,
    )


def _scaled(values: NDArray[np.float64], ranked: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Values divided by the largest among the ranked actors (zeros when that is 0)."""
    top = float(values[ranked].max()) if ranked.any() else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def _groups_linked(
    n: int, src: NDArray[np.int64], dst: NDArray[np.int64], actors: list[int], seed: int
) -> tuple[int, dict[int, int]]:
    """Number of groups, and of groups each actor is in touch with (its own included).

    Groups are the Leiden communities of the internal network, directions ignored and
    flows weighing 1, seeded.
    """
    if not len(src):
        return 0, {}
    g = _igraph.igraph_from_pairs(n, src, dst)
    membership = np.asarray(_igraph.leiden(g, weights=None, resolution=1.0, seed=seed))
    out: dict[int, int] = {}
    for actor in actors:
        neighbours = np.concatenate([dst[src == actor], src[dst == actor]])
        touched = set(membership[neighbours].tolist()) | {int(membership[actor])}
        out[actor] = len(touched)
    return len(set(membership.tolist())), out


def _bridge_flows(  # noqa: PLR0913, PLR0917
    ft: FlowTable,
    internal: NDArray[np.bool_],
    local: NDArray[np.int64],
    n_in: int,
    bridge_pairs: list[tuple[int, int]],
    inner: NDArray[np.int64],
) -> list[BridgeFlow]:
    """The flows of the bridge pairs that carry a single flow (parallel flows back each other)."""
    if not bridge_pairs:
        return []
    idx = np.flatnonzero(internal)
    a, b = local[ft.src[idx]], local[ft.dst[idx]]
    code = np.minimum(a, b) * n_in + np.maximum(a, b)
    wanted = np.asarray([x * n_in + y for x, y in bridge_pairs], dtype=np.int64)
    hit = np.isin(code, wanted)
    codes, counts = np.unique(code[hit], return_counts=True)
    single = set(codes[counts == 1].tolist())
    out: list[BridgeFlow] = []
    for i, c in zip(idx[hit].tolist(), code[hit].tolist(), strict=True):
        if c in single:
            out.append(
                BridgeFlow(
                    flow=ft.keys[i],
                    source=str(ft.nodes[int(ft.src[i])]),
                    target=str(ft.nodes[int(ft.dst[i])]),
                    kind=ft.kind[i],
                )
            )
    del inner
    return sorted(out, key=lambda f: f.flow)
