"""Finn's cycling index: how much of a toile's throughflow goes round in loops."""

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

__all__ = ["CyclingResult", "FamilyCycling", "cycling_report", "finn_cycling_index"]

#: Largest strongly connected component inverted as a dense matrix.
MAX_DENSE_COMPONENT = 6000

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
    throughflow: dict[str, float]
    cycled_share: dict[str, float]
    explanation: str


class CyclingResult(ReportResult):
    """Result of :func:`cycling_report`: one :class:`FamilyCycling` per unit family."""

    report: str = "cycling"
    backend: Literal["networkx", "igraph"]
    include_potential: bool
    flows_without_quantity: int
    families: list[FamilyCycling]


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
    explanation = (
        f"{FAMILY_FR[family].capitalize()} : {fr_percent(fci)} du débit total "
        f"({fr_number(tst)} {unit}) circule en boucle ; chaque unité entrée traverse en moyenne "
        + (
            "un nombre indéfini d'acteurs (aucune entrée depuis l'extérieur)."
            if apl is None
            else f"{fr_number(apl, 2)} acteurs."
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
    explanation = " ".join(r.explanation for r in results)
    if missing:
        explanation += f" {missing} flux sans quantité ont été laissés de côté."
    return CyclingResult(
        **toile_ref(G),
        explanation=explanation,
        backend=chosen,
        include_potential=include_potential,
        flows_without_quantity=missing,
        families=results,
    )
