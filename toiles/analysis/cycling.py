"""Cycling of a toile's flows: Finn's index and the indicators of ecological network analysis.

Finn's cycling index (how much throughflow goes round in loops), total system throughPUT,
structural cyclicity (spectral radius of the actors' adjacency matrix) and Ulanowicz's
ascendency, development capacity and robustness.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import networkx as nx
import numpy as np
from pydantic import BaseModel, ConfigDict

from toiles.analysis import _igraph
from toiles.analysis._common import (
    FAMILIES,
    FAMILY_FR,
    Backend,
    FlowTable,
    ReportResult,
    base_unit,
    check_family,
    flow_table,
    fr_number,
    fr_percent,
    resolve_backend,
    rounded,
    toile_ref,
    weighted_count,
)
from toiles.errors import AnalysisError

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "CyclingResult",
    "FamilyCycling",
    "Information",
    "ascendency",
    "cycling_report",
    "finn_cycling_index",
    "structural_cyclicity",
]

#: Largest strongly connected component inverted as a dense matrix.
MAX_DENSE_COMPONENT = 6000

#: What the cycling figures rest on, in French, for the reader.
CYCLING_ASSUMPTIONS = (
    (
        "Flux retenus : les flux existants (ou aussi potentiels et en projet dans un scénario), "
        "quantifiés, d'une même famille d'unités, convertis dans son unité de base."
    ),
    "Les acteurs « extérieur » sont l'environnement : imports, exports et pertes.",
    (
        "Indice de Finn (Finn 1976) et TSTp, ascendance, capacité, robustesse (Ulanowicz 2009, "
        "Fath 2015) selon les définitions du paquet enaR (Borrett et Lau 2014), vérifiées sur ses "
        "modèles publiés."
    ),
    (
        "Cyclicité structurelle λmax : rayon spectral de la matrice d'adjacence des acteurs du "
        "territoire, quantités ignorées (Layton, Bras et Weissburg 2016)."
    ),
)

_COUNTED = frozenset({"existant"})
_SCENARIO = frozenset({"existant", "potentiel", "projet"})


class FamilyCycling(BaseModel):
    """Cycling of one unit family: throughflows, TST, cycled throughflow, FCI and APL."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    family: str
    unit: str
    n_flows: int
    boundary_input: float
    tst: float
    cycled_throughflow: float
    fci: float
    apl: float | None
    closed_components: int
    tstp: float
    cyclicity: float
    ascendency: float
    overhead: float
    capacity: float
    ascendency_ratio: float | None
    robustness: float | None
    throughflow: dict[str, float]
    cycled_share: dict[str, float]
    explanation: str


class CyclingResult(ReportResult):
    """Result of :func:`cycling_report`: one :class:`FamilyCycling` per unit family."""

    report: str = "cycling"
    backend: Literal["networkx", "igraph"]
    include_potential: bool
    flows_without_quantity: int
    cyclicity: float
    families: list[FamilyCycling]
    assumptions: list[str]


def _flows_without_quantity(ft: FlowTable, statuses: frozenset[str]) -> int:
    both_out = ft.outside[ft.src] & ft.outside[ft.dst]
    ok = np.asarray([s in statuses for s in ft.status], dtype=np.bool_)
    return int((np.isnan(ft.qty) & ~both_out & ok).sum())


def _cycled(  # noqa: PLR0913, PLR0917
    n: int,
    src: NDArray[np.int64],
    dst: NDArray[np.int64],
    flow: NDArray[np.float64],
    throughflow: NDArray[np.float64],
    backend: str,
) -> tuple[NDArray[np.float64], int]:
    """Cycled fraction ``(n_jj - 1) / n_jj`` of each actor, and the number of closed loops.

    Only the diagonal of ``N = (I - G)^-1`` is needed, and a closed walk from an actor
    never leaves its strongly connected component: each component is inverted on its own.
    """
    share = np.zeros(n)
    positive = flow > 0
    src, dst, flow = src[positive], dst[positive], flow[positive]
    if backend == "igraph":
        g = _igraph.igraph_from_pairs(n, src, dst)
        comps = _igraph.strong_components(g)
    else:
        D: nx.DiGraph[int] = nx.DiGraph()
        D.add_nodes_from(range(n))
        D.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
        comps = [sorted(c) for c in nx.strongly_connected_components(D)]
    self_loop = np.zeros(n, dtype=np.bool_)
    self_loop[src[src == dst]] = True
    cyclic = [sorted(c) for c in comps if len(c) > 1 or self_loop[next(iter(c))]]
    if not cyclic:
        return share, 0
    member = np.full(n, -1, dtype=np.int64)
    for k, comp in enumerate(cyclic):
        member[comp] = k
    inside = (member[src] >= 0) & (member[src] == member[dst])
    order = np.argsort(member[dst][inside], kind="stable")
    e_src, e_dst, e_flow = src[inside][order], dst[inside][order], flow[inside][order]
    bounds = np.searchsorted(member[e_dst], np.arange(len(cyclic) + 1))
    closed = 0
    for k, comp in enumerate(cyclic):
        size = len(comp)
        if size > MAX_DENSE_COMPONENT:
            msg = (
                f"Une composante fortement connexe compte {size} acteurs, au-delà des "
                f"{MAX_DENSE_COMPONENT} que le calcul exact de l'indice de Finn traite."
            )
            raise AnalysisError(msg)
        local = {node: i for i, node in enumerate(comp)}
        lo, hi = bounds[k], bounds[k + 1]
        rows = np.asarray([local[x] for x in e_src[lo:hi].tolist()], dtype=np.int64)
        cols = np.asarray([local[x] for x in e_dst[lo:hi].tolist()], dtype=np.int64)
        t = throughflow[comp]
        matrix = np.zeros((size, size))
        np.add.at(matrix, (rows, cols), e_flow[lo:hi] / t[cols])
        entering = t - matrix.sum(axis=0) * t  # input of each actor from outside the loop
        if entering.sum() <= 1e-12 * t.sum():
            share[comp] = 1.0  # nothing enters: all of it goes round for ever
            closed += 1
            continue
        diagonal = np.diag(np.linalg.inv(np.eye(size) - matrix))
        share[comp] = (diagonal - 1.0) / diagonal
    return share, closed


class Information(BaseModel):
    """Ulanowicz's information indicators of one unit family's flows (bits x flow units)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    family: str
    unit: str
    tstp: float
    ami: float
    ascendency: float
    overhead: float
    capacity: float
    ascendency_ratio: float | None
    robustness: float | None


#: Dense eigenvalues up to this many actors in a strongly connected component; above, power
#: iteration on the sparse flows.
_DENSE_EIGEN = 400


def _spectral_radius(
    n: int, src: NDArray[np.int64], dst: NDArray[np.int64], backend: str = "networkx"
) -> float:
    """Largest eigenvalue of the binary adjacency matrix of ``n`` actors (0 without cycle).

    The adjacency matrix of a directed graph is block-triangular by strongly connected
    components, so its spectral radius is the largest over the components that hold a
    cycle; a graph without cycle has a nilpotent matrix (every eigenvalue is 0).
    """
    width = max(n, 1)
    pairs = np.unique(src * width + dst)
    src, dst = pairs // width, pairs % width
    if backend == "igraph":
        comps = _igraph.strong_components(_igraph.igraph_from_pairs(n, src, dst))
    else:
        D: nx.DiGraph[int] = nx.DiGraph()
        D.add_nodes_from(range(n))
        D.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
        comps = [list(c) for c in nx.strongly_connected_components(D)]
    self_loop = np.zeros(n, dtype=np.bool_)
    self_loop[src[src == dst]] = True
    cyclic = [sorted(c) for c in comps if len(c) > 1 or self_loop[next(iter(c))]]
    member = np.full(n, -1, dtype=np.int64)
    position = np.zeros(n, dtype=np.int64)
    for k, comp in enumerate(cyclic):
        member[comp] = k
        position[comp] = np.arange(len(comp))
    inside = (member[src] >= 0) & (member[src] == member[dst])
    order = np.argsort(member[src][inside], kind="stable")
    e_src, e_dst = src[inside][order], dst[inside][order]
    bounds = np.searchsorted(member[e_src], np.arange(len(cyclic) + 1))
    best = 0.0
    for k, comp in enumerate(cyclic):
        lo, hi = bounds[k], bounds[k + 1]
        sub = np.zeros((len(comp), len(comp)))
        sub[position[e_src[lo:hi]], position[e_dst[lo:hi]]] = 1.0
        if len(comp) <= _DENSE_EIGEN:
            radius = float(np.max(np.abs(np.linalg.eigvals(sub))))
        else:
            radius = _perron_root(sub)
        best = max(best, radius)
    return best


def _perron_root(matrix: NDArray[np.float64], *, tol: float = 1e-12) -> float:
    """Perron root of an irreducible non-negative matrix, by power iteration on ``A + I``.

    Adding the identity makes the matrix primitive (the iteration converges even when the
    component is periodic) and shifts the Perron root by exactly 1.
    """
    shifted = matrix + np.eye(len(matrix))
    x = np.full(len(matrix), 1.0 / len(matrix))
    value = 0.0
    for _ in range(100_000):
        y = shifted @ x
        new = float(y.sum())
        y /= new
        if abs(new - value) < tol * new and np.abs(y - x).max() < tol * 100:
            value = new
            break
        x, value = y, new
    return value - 1.0


def _information(
    n: int, src: NDArray[np.int64], dst: NDArray[np.int64], flow: NDArray[np.float64]
) -> tuple[float, float, float, float]:
    """TSTp, AMI, ascendency and capacity of the flows (parallel flows added together).

    Every actor is a row and a column, the ``exterieur`` actors too (imports are their rows,
    exports and losses their columns), which is enaR's extended matrix when imports come
    from one outside actor and exports and respiration go to two others.
    """
    keep = flow > 0
    codes, inverse = np.unique(src[keep] * max(n, 1) + dst[keep], return_inverse=True)
    t = weighted_count(inverse.ravel(), flow[keep], len(codes))
    i, j = codes // max(n, 1), codes % max(n, 1)
    tstp = float(t.sum())
    if tstp <= 0:
        return 0.0, 0.0, 0.0, 0.0
    out_sum = weighted_count(i, t, n)
    in_sum = weighted_count(j, t, n)
    # Sums of logarithms, not logarithms of products: tiny flows (1e-246) would underflow.
    log_t, log_tstp = np.log2(t), np.log2(tstp)
    asc = float((t * (log_t + log_tstp - np.log2(out_sum[i]) - np.log2(in_sum[j]))).sum())
    cap = float(-(t * (log_t - log_tstp)).sum())
    return tstp, asc / tstp, asc, cap


def _robustness(asc: float, cap: float) -> tuple[float | None, float | None]:
    """Degree of order ``a = ASC / CAP`` and robustness ``-a ln a`` (None without capacity)."""
    if cap <= 0:
        return None, None
    ratio = min(max(asc / cap, 0.0), 1.0)
    robust = 0.0 if ratio in {0.0, 1.0} else -ratio * float(np.log(ratio))
    return ratio, robust


def _family_mask(ft: FlowTable, family: str, statuses: frozenset[str]) -> NDArray[np.bool_]:
    ok = np.asarray([s in statuses for s in ft.status], dtype=np.bool_)
    both_out = ft.outside[ft.src] & ft.outside[ft.dst]
    return ft.family_mask(family) & ok & ~np.isnan(ft.qty) & ~both_out


def _internal_pairs(
    ft: FlowTable, mask: NDArray[np.bool_]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    inside = mask & ~ft.outside[ft.src] & ~ft.outside[ft.dst]
    return ft.src[inside], ft.dst[inside]


def structural_cyclicity(
    G: nx.MultiDiGraph[str],
    *,
    family: str | None = None,
    include_potential: bool = False,
) -> float:
    """Structural cyclicity: the spectral radius (λmax) of the actors' adjacency matrix.

    The adjacency matrix has a 1 where at least one flow goes from one actor of the
    territory to another (``exterieur`` actors left out, quantities ignored). λmax is 0 when
    the toile has no cycle, 1 when its cycles do not interlock (a single loop), and grows
    with the number of interlocking pathways: the measure Layton, Bras and Weissburg use
    to compare eco-industrial parks with food webs.

    Parameters
    ----------
    G
        Toile graph.
    family
        Keep only the flows of this unit family (``None``: every flow).
    include_potential
        Count ``potentiel`` and ``projet`` flows too.

    Returns
    -------
    float
        λmax (0 for a toile without cycle).

    Notes
    -----
    The matrix is block-triangular by strongly connected components: each component that
    holds a cycle is solved alone, densely up to 400 actors and by power iteration on
    ``A + I`` above.

    References
    ----------
    .. [1] Layton, A., Bras, B., & Weissburg, M. (2016). Designing industrial networks
       using ecological food web metrics. Environ. Sci. Technol. 50(20), 11243-11252.
       https://doi.org/10.1021/acs.est.6b03066
    .. [2] Layton, A., Bras, B., & Weissburg, M. (2016). Industrial ecosystems and food
       webs: an expansion and update of existing data for eco-industrial parks. J. Ind.
       Ecol. 20(1), 85-98. https://doi.org/10.1111/jiec.12283
    .. [3] Borrett, S. R., & Lau, M. K. (2014). enaR: An R package for ecosystem network
       analysis. Methods Ecol. Evol. 5(11), 1206-1213 (``enaStructure``, ``lam1A``).

    Examples
    --------
    The example toile has one loop (sawmill -> boiler -> heat network -> sawmill) and no
    other cycle: λmax = 1.

    >>> from toiles.synthetic import example_graph
    >>> round(structural_cyclicity(example_graph()), 6)
    1.0
    """
    if family is not None:
        check_family(family)
    statuses = _SCENARIO if include_potential else _COUNTED
    ft = flow_table(G)
    ok = np.asarray([s in statuses for s in ft.status], dtype=np.bool_)
    if family is not None:
        ok &= ft.family_mask(family)
    src, dst = _internal_pairs(ft, ok)
    return rounded(_spectral_radius(ft.n, src, dst), 9)


def ascendency(
    G: nx.MultiDiGraph[str],
    *,
    family: str = "energy",
    include_potential: bool = False,
) -> Information:
    """Ulanowicz's ascendency, overhead, development capacity and robustness of a toile.

    With ``T_ij`` the flows of one unit family between actors, ``exterieur`` actors
    included as rows (imports) and columns (exports, losses), ``TSTp = Σ T_ij`` the total
    system throughPUT, ``T_i.`` and ``T_.j`` the row and column sums:

    - ascendency ``ASC = Σ T_ij log2(T_ij TSTp / (T_i. T_.j))`` (organised flow),
    - development capacity ``CAP = -Σ T_ij log2(T_ij / TSTp)`` (its upper bound),
    - overhead ``OH = CAP - ASC`` (redundant, parallel pathways: the reserve),
    - average mutual information ``AMI = ASC / TSTp``,
    - degree of order ``a = ASC / CAP`` and robustness ``R = -a ln a``.

    Parameters
    ----------
    G
        Toile graph.
    family
        Unit family of the flows.
    include_potential
        Count ``potentiel`` and ``projet`` flows too.

    Returns
    -------
    Information
        The indicators, in bits x base unit of the family (``ascendency_ratio`` and
        ``robustness`` are ``None`` when the capacity is 0, e.g. a single flow).

    Notes
    -----
    Robustness is enaR's (``-a ln a``, at most ``1/e ≈ 0.368`` at ``a = 1/e``): a toile that
    is too ordered (one pathway per need) or too redundant is fragile or inefficient.
    Checked against enaR's printed output for the Cone Spring model (``troModels[[6]]``):
    TSTp 42 445, AMI 1.336447, ASC 56 725.49, OH 79 139.25, CAP 135 864.7, ASC/CAP 0.4175144
    (tests/analysis/test_cycling.py).

    References
    ----------
    .. [1] Ulanowicz, R. E. (1986). Growth and Development: Ecosystems Phenomenology.
       Springer, New York. https://doi.org/10.1007/978-1-4612-4916-0
    .. [2] Ulanowicz, R. E., Goerner, S. J., Lietaer, B., & Gomez, R. (2009). Quantifying
       sustainability: resilience, efficiency and the return of information theory. Ecol.
       Complex. 6(1), 27-36. https://doi.org/10.1016/j.ecocom.2008.10.005
    .. [3] Fath, B. D. (2015). Quantifying economic and ecological sustainability. Ocean
       Coast. Manag. 108, 13-19. https://doi.org/10.1016/j.ocecoaman.2014.06.020
    .. [4] Borrett, S. R., & Lau, M. K. (2014). enaR: An R package for ecosystem network
       analysis. Methods Ecol. Evol. 5(11), 1206-1213 (``enaAscendency``).

    Examples
    --------
    A chain ``outside -> a -> outside`` of two flows of 10: TSTp = 20, each flow is the
    only one of its row and column, so ``ASC = 2 x 10 log2(10 x 20 / (10 x 10)) = 20`` bits
    and ``CAP = -2 x 10 log2(10 / 20) = 20``: all order, no reserve (robustness 0).

    >>> from toiles.models import Actor, Flow, Toile
    >>> from toiles.graph import graph_from_toile
    >>> t = Toile(id="t", name="T", theme="energie", version="T0",
    ...     actors=[Actor(id="x", name="X", kind="exterieur"),
    ...             Actor(id="a", name="A", kind="entreprise")],
    ...     flows=[Flow(id="f1", source="x", target="a", kind="chaleur", quantity=10, unit="MWh"),
    ...            Flow(id="f2", source="a", target="x", kind="chaleur", quantity=10, unit="MWh")])
    >>> r = ascendency(graph_from_toile(t))
    >>> r.tstp, r.ascendency, r.capacity, r.ascendency_ratio, r.robustness
    (20.0, 20.0, 20.0, 1.0, 0.0)
    >>> from toiles.synthetic import example_graph
    >>> r = ascendency(example_graph(), family="energy")
    >>> r.tstp, round(r.ascendency_ratio, 4), round(r.robustness, 4)
    (28200.0, 0.634, 0.2889)
    """
    check_family(family)
    statuses = _SCENARIO if include_potential else _COUNTED
    ft = flow_table(G)
    mask = _family_mask(ft, family, statuses)
    tstp, ami, asc, cap = _information(ft.n, ft.src[mask], ft.dst[mask], ft.qty[mask])
    if tstp <= 0:
        msg = (
            f"La toile n'a aucun flux quantifié en {FAMILY_FR[family]} : "
            "l'ascendance ne peut pas être calculée."
        )
        raise AnalysisError(msg)
    ratio, robust = _robustness(asc, cap)
    return Information(
        family=family,
        unit=base_unit(family),
        tstp=rounded(tstp),
        ami=rounded(ami, 9),
        ascendency=rounded(asc),
        overhead=rounded(cap - asc),
        capacity=rounded(cap),
        ascendency_ratio=None if ratio is None else rounded(ratio, 9),
        robustness=None if robust is None else rounded(robust, 9),
    )


def _family_cycling(
    ft: FlowTable,
    family: str,
    statuses: frozenset[str],
    backend: str,
) -> FamilyCycling:
    ok = np.asarray([s in statuses for s in ft.status], dtype=np.bool_)
    mask = ft.family_mask(family) & ok & ~np.isnan(ft.qty)
    src_out, dst_out = ft.outside[ft.src], ft.outside[ft.dst]
    imports = mask & src_out & ~dst_out
    internal = mask & ~src_out & ~dst_out
    n = ft.n
    z = weighted_count(ft.dst[imports], ft.qty[imports], n)
    inflow = weighted_count(ft.dst[internal], ft.qty[internal], n)
    throughflow = z + inflow
    tst = float(throughflow.sum())
    if tst <= 0:
        msg = (
            f"La toile n'a aucun flux entrant quantifié en {FAMILY_FR[family]} : "
            "l'indice de cyclage ne peut pas être calculé."
        )
        raise AnalysisError(msg)
    share, closed = _cycled(
        n, ft.src[internal], ft.dst[internal], ft.qty[internal], throughflow, backend
    )
    cycled = float((share * throughflow).sum())
    boundary = float(z.sum())
    fci = cycled / tst
    apl = tst / boundary if boundary > 0 else None
    has_t = np.flatnonzero(throughflow > 0)
    unit = base_unit(family)
    info_mask = _family_mask(ft, family, statuses)
    tstp, _, asc, cap = _information(n, ft.src[info_mask], ft.dst[info_mask], ft.qty[info_mask])
    ratio, robust = _robustness(asc, cap)
    lam = _spectral_radius(n, *_internal_pairs(ft, info_mask), backend)
    explanation = (
        f"{FAMILY_FR[family].capitalize()} : {fr_percent(fci)} du débit total "
        f"({fr_number(tst)} {unit}) circule en boucle ; chaque unité entrée traverse en moyenne "
        + (
            "un nombre indéfini d'acteurs (aucune entrée depuis l'extérieur)."
            if apl is None
            else f"{fr_number(apl, 2)} acteurs."
        )
        + f" Cyclicité structurelle λmax = {fr_number(lam, 2)}"
        + (
            " (aucune boucle)."
            if lam == 0
            else " (une boucle simple)."
            if abs(lam - 1.0) < 1e-9  # noqa: PLR2004
            else " (des boucles imbriquées)."
        )
        + (
            ""
            if robust is None
            else f" Degré d'organisation {fr_percent(ratio or 0.0)} (ascendance / capacité), "
            f"robustesse {fr_number(robust, 3)} (au plus 0,368)."
        )
    )
    return FamilyCycling(
        family=family,
        unit=unit,
        n_flows=int((imports | internal).sum()),
        boundary_input=rounded(boundary),
        tst=rounded(tst),
        cycled_throughflow=rounded(cycled),
        fci=rounded(fci, 9),
        apl=None if apl is None else rounded(apl, 9),
        closed_components=closed,
        tstp=rounded(tstp),
        cyclicity=rounded(lam, 9),
        ascendency=rounded(asc),
        overhead=rounded(cap - asc),
        capacity=rounded(cap),
        ascendency_ratio=None if ratio is None else rounded(ratio, 9),
        robustness=None if robust is None else rounded(robust, 9),
        throughflow={str(ft.nodes[i]): rounded(float(throughflow[i])) for i in has_t.tolist()},
        cycled_share={
            str(ft.nodes[i]): rounded(float(share[i]), 9) for i in np.flatnonzero(share).tolist()
        },
        explanation=explanation,
    )


def finn_cycling_index(
    G: nx.MultiDiGraph[str],
    *,
    family: str = "energy",
    include_potential: bool = False,
    backend: Backend = "auto",
) -> FamilyCycling:
    """Measure how much of a toile's throughflow is cycled (Finn's cycling index).

    The method of ecological network analysis, used for industrial symbiosis: flows of one
    unit family, in base units, between actors of the territory; actors of kind
    ``exterieur`` are the environment. The throughflow of an actor is input-oriented, its
    imports from ``exterieur`` actors plus its internal inflows (what leaves to the outside
    does not count). With ``G_ij = f_ij / T_j`` the share of ``j``'s throughflow coming from
    ``i`` and ``N = (I - G)^-1``, the cycled throughflow is ``sum_j (n_jj - 1) / n_jj T_j``,
    the index FCI its share of the total system throughflow TST, and the average path
    length APL is ``TST / boundary inputs``.

    Parameters
    ----------
    G
        Toile graph.
    family
        Unit family (``energy``, ``volume``, ``mass``...).
    include_potential
        Count ``potentiel`` and ``projet`` flows too (a scenario); by default only
        existing flows count.
    backend
        Library finding the strongly connected components.

    Returns
    -------
    FamilyCycling
        Throughflow of each actor, TST, cycled throughflow, FCI, APL.

    Raises
    ------
    AnalysisError
        When no quantified flow of the family enters an actor of the territory.

    Notes
    -----
    Flows without quantity are left out (:func:`cycling_report` counts them). Only the
    diagonal of ``N`` is needed and a closed walk never leaves its strongly connected
    component, so each component is inverted alone (dense, numpy): the cost is that of the
    loops, and supply chains cost nothing. A component that receives nothing from outside
    itself cycles all its throughflow (``n_jj`` is infinite); ``closed_components`` counts
    them. ``G_ij`` is normalised by the receiver's throughflow, which keeps its spectral
    radius below 1 on unbalanced data; for balanced models the diagonal of ``N``, hence FCI,
    equals that of the donor-normalised matrix of the ENA literature.

    References
    ----------
    .. [1] Finn, J. T. (1976). Measures of ecosystem structure and function derived from
       analysis of flows. J. Theor. Biol. 56(2), 363-380.
       https://doi.org/10.1016/S0022-5193(76)80080-X
    .. [2] Borrett, S. R., & Lau, M. K. (2014). enaR: An R package for ecosystem network
       analysis. Methods Ecol. Evol. 5(11), 1206-1213. https://doi.org/10.1111/2041-210X.12282
    .. [3] Layton, A., Bras, B., & Weissburg, M. (2016). Industrial ecosystems and food webs:
       an expansion and update of existing data for eco-industrial parks. J. Ind. Ecol.
       20(1), 85-98. https://doi.org/10.1111/jiec.12283

    Examples
    --------
    The example toile has one wood loop (sawmill -> boiler -> heat network -> sawmill).
    Energy throughflows: glassworks 15,000 MWh, greenhouses 1,500, sawmill 800, boiler
    2,000, network 1,800, school 1,200, dairy 2,900; TST = 25,200 MWh. Around the loop
    the product of ``f / T`` is ``2000/2000 * 1800/1800 * 500/800 = 0.625``, so each of its
    actors cycles ``0.625`` of its throughflow: ``0.625 * 4600 = 2875`` MWh, FCI =
    ``2875 / 25200``; APL = ``25200 / 19700`` (boundary inputs).

    >>> from toiles.synthetic import example_graph
    >>> r = finn_cycling_index(example_graph(), family="energy")
    >>> r.tst, r.cycled_throughflow, round(r.fci, 4), round(r.apl, 4)
    (25200.0, 2875.0, 0.1141, 1.2792)
    """
    check_family(family)
    chosen = resolve_backend(G, backend)
    statuses = _SCENARIO if include_potential else _COUNTED
    return _family_cycling(flow_table(G), family, statuses, chosen)


def cycling_report(
    G: nx.MultiDiGraph[str],
    *,
    family: str | None = None,
    include_potential: bool = False,
    backend: Backend = "auto",
) -> CyclingResult:
    """Finn's cycling index for every unit family with quantified flows (or one family).

    See :func:`finn_cycling_index` for the method. Families whose flows never enter an
    actor of the territory are skipped; flows without quantity are counted in
    ``flows_without_quantity``.

    Raises
    ------
    AnalysisError
        When no family (or not the one asked) has quantified inflows.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> r = cycling_report(example_graph())
    >>> [(f.family, round(f.fci, 4)) for f in r.families], r.flows_without_quantity
    ([('energy', 0.1141), ('mass', 0.0)], 1)
    """
    check_family(family)
    chosen = resolve_backend(G, backend)
    statuses = _SCENARIO if include_potential else _COUNTED
    ft = flow_table(G)
    results: list[FamilyCycling] = []
    if family is not None:
        results.append(_family_cycling(ft, family, statuses, chosen))
    else:
        present = sorted(set(np.unique(ft.fam_code[~np.isnan(ft.qty)]).tolist()) - {-1})
        for code in present:
            try:
                results.append(_family_cycling(ft, FAMILIES[code], statuses, chosen))
            except AnalysisError:
                continue
    if not results:
        msg = "La toile n'a aucun flux quantifié entrant chez un acteur : pas d'indice de cyclage."
        raise AnalysisError(msg)
    missing = _flows_without_quantity(ft, statuses)
    ok = np.asarray([s in statuses for s in ft.status], dtype=np.bool_)
    lam = _spectral_radius(ft.n, *_internal_pairs(ft, ok), chosen)
    explanation = " ".join(r.explanation for r in results)
    explanation += (
        f" Toutes familles confondues, cyclicité structurelle λmax = {fr_number(lam, 2)}."
    )
    if missing:
        explanation += f" {missing} flux sans quantité ont été laissés de côté."
    return CyclingResult(
        **toile_ref(G),
        explanation=explanation,
        backend=chosen,
        include_potential=include_potential,
        flows_without_quantity=missing,
        cyclicity=rounded(lam, 9),
        families=results,
        assumptions=list(CYCLING_ASSUMPTIONS),
    )
