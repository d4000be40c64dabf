"""Proposed heat networks: minimum spanning tree, maximum flow, pruning, costs.

The method of the Hotmaps excess-heat module, on the sources and sinks of one ZAE or of a
cluster of neighbours: join them by the minimum spanning tree of their distances, route
the recoverable heat by a maximum flow from the sources to the sinks, remove the lines that
cost more than a threshold per MWh they carry (routing again until none goes), size every
line by the heat it carries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from toiles.analysis._common import haversine_km
from toiles.analysis._costs import (
    CARNOT_EFFICIENCY,
    HEAT_PUMP_EUR_PER_MW,
    HEAT_PUMP_MAX_C,
    HEAT_PUMP_MAX_COP,
    PIPE_LOSS_W_PER_M,
    PUMP_EUR_PER_MW,
    SINK_EXCHANGER_EUR_PER_MW,
    SOURCE_EXCHANGER_EUR_PER_MW,
    ZAE_DEFAULT_KM,
    HeatEconomics,
    line_cost_per_mwh,
    pipe_cost_per_m,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray


@dataclass(frozen=True)
class Node:
    """A source or a sink of a proposed network."""

    actor: str
    lat: float
    lon: float
    supply: float  # MWh a year (0 for a sink)
    demand: float  # MWh a year (0 for a source)
    temperature: float  # °C: of the reject, or required by the need
    is_source: bool


@dataclass(frozen=True)
class Line:
    """A line of the tree, between two nodes (indices), with the heat it carries."""

    a: int
    b: int
    length_km: float
    flow: float
    peak_mw: float
    investment: float


@dataclass(frozen=True)
class Network:
    """A costed network: its lines and totals (NaN costs when nothing is delivered)."""

    nodes: list[Node]
    lines: list[Line]
    length_km: float
    supply: float
    demand: float
    recoverable: float
    losses: float
    delivered: float
    electricity: float
    investment: float
    levelised: float
    payback: float
    pruned: list[tuple[str, str, PrunedLine]] = field(default_factory=list)
    dropped: list[Node] = field(default_factory=list)


def distance_matrix(nodes: list[Node], detour: float) -> NDArray[np.float64]:
    """Line lengths between every two nodes, km: great-circle distance times the detour.

    A node without position is :data:`ZAE_DEFAULT_KM` from every other (same park).
    """
    lat = np.asarray([n.lat for n in nodes])
    lon = np.asarray([n.lon for n in nodes])
    km = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    km = np.where(np.isnan(km), ZAE_DEFAULT_KM, km)
    np.fill_diagonal(km, 0.0)
    return np.asarray(km * detour, dtype=np.float64)


def minimum_spanning_tree(dist: NDArray[np.float64]) -> list[tuple[int, int]]:
    """Edges of the minimum spanning tree of a complete graph (Prim, dense, O(n²)).

    Ties go to the lower index, so the tree is the same on every run.

    Examples
    --------
    >>> d = np.asarray([[0, 1, 4], [1, 0, 2], [4, 2, 0]], dtype=float)
    >>> minimum_spanning_tree(d)
    [(0, 1), (1, 2)]
    """
    n = len(dist)
    if n < 2:  # noqa: PLR2004
        return []
    inside = np.zeros(n, dtype=np.bool_)
    inside[0] = True
    best = dist[0].copy()
    parent = np.zeros(n, dtype=np.int64)
    edges: list[tuple[int, int]] = []
    for _ in range(n - 1):
        candidates = np.where(inside, np.inf, best)
        j = int(np.argmin(candidates))
        edges.append((min(int(parent[j]), j), max(int(parent[j]), j)))
        inside[j] = True
        closer = ~inside & (dist[j] < best)
        best = np.where(closer, dist[j], best)
        parent = np.where(closer, j, parent)
    return sorted(edges)


def _forest_order(n: int, edges: list[tuple[int, int]]) -> tuple[list[int], list[int], list[int]]:
    """Depth-first order, parent and component of every node of a forest."""
    adjacency: dict[int, list[int]] = {i: [] for i in range(n)}
    for a, b in edges:
        adjacency[a].append(b)
        adjacency[b].append(a)
    parent = [-1] * n
    component = [-1] * n
    order: list[int] = []
    for root in range(n):
        if component[root] >= 0:
            continue
        stack = [root]
        component[root] = root
        while stack:
            u = stack.pop()
            order.append(u)
            for v in adjacency[u]:
                if component[v] < 0:
                    component[v] = root
                    parent[v] = u
                    stack.append(v)
    return order, parent, component


@dataclass(frozen=True)
class Flows:
    """A maximum flow on a forest: its value, the heat each line carries, each node's part."""

    value: float
    carried: list[float]
    given: NDArray[np.float64]  # heat each source gives
    taken: NDArray[np.float64]  # heat each sink takes


def forest_flows(
    n: int, edges: list[tuple[int, int]], supply: NDArray[np.float64], demand: NDArray[np.float64]
) -> Flows:
    """A maximum flow from the sources to the sinks of a forest with unbounded lines.

    In each tree every source reaches every sink, so the tree's maximum flow is the smaller
    of its supply and its demand; each source gives and each sink takes its share of it in
    proportion, and the heat a line carries is the imbalance of the subtree it cuts off.
    Trees do not exchange heat.

    Examples
    --------
    Two sources of 3 and 1 on either side of a sink of 2 (a path 0 - 1 - 2):

    >>> f = forest_flows(3, [(0, 1), (1, 2)], np.asarray([3.0, 0, 1]), np.asarray([0, 2.0, 0]))
    >>> f.value, f.carried
    (2.0, [1.5, 0.5])

    Cut the second line: the source 2 is alone, the tree 0 - 1 balances by itself.

    >>> f = forest_flows(3, [(0, 1)], np.asarray([3.0, 0, 1]), np.asarray([0, 2.0, 0]))
    >>> f.value, f.carried, f.given.tolist()
    (2.0, [2.0], [2.0, 0.0, 0.0])
    """
    order, parent, component = _forest_order(n, edges)
    comp = np.asarray(component, dtype=np.int64)
    total_s = np.bincount(comp, weights=supply, minlength=n)
    total_d = np.bincount(comp, weights=demand, minlength=n)
    value_c = np.minimum(total_s, total_d)
    with np.errstate(divide="ignore", invalid="ignore"):
        s_share = np.where(total_s > 0, value_c / total_s, 0.0)
        d_share = np.where(total_d > 0, value_c / total_d, 0.0)
    given = supply * s_share[comp]
    taken = demand * d_share[comp]
    subtree = (given - taken).astype(np.float64)
    carried: dict[tuple[int, int], float] = {}
    for u in reversed(order):
        p = parent[u]
        if p >= 0:
            carried[(min(u, p), max(u, p))] = abs(float(subtree[u]))
            subtree[p] += subtree[u]
    roots = np.unique(comp)
    return Flows(
        value=float(value_c[roots].sum()),
        carried=[carried.get((min(a, b), max(a, b)), 0.0) for a, b in edges],
        given=np.asarray(given, dtype=np.float64),
        taken=np.asarray(taken, dtype=np.float64),
    )


def tree_flows(
    n: int, edges: list[tuple[int, int]], supply: NDArray[np.float64], demand: NDArray[np.float64]
) -> tuple[float, list[float]]:
    """A maximum flow on a tree: its value and the heat each edge carries (see forest_flows).

    Examples
    --------
    >>> tree_flows(3, [(0, 1), (1, 2)], np.asarray([3.0, 0, 1]), np.asarray([0, 2.0, 0]))
    (2.0, [1.5, 0.5])
    """
    f = forest_flows(n, edges, supply, demand)
    return f.value, f.carried


def _size_lines(
    edges: list[tuple[int, int]], dist: NDArray[np.float64], flows: Flows, econ: HeatEconomics
) -> list[Line]:
    peaks = np.asarray(flows.carried, dtype=np.float64) / econ.full_load_hours
    per_m = pipe_cost_per_m(peaks).tolist()
    return [
        Line(a, b, float(dist[a, b]), flow, peak, float(dist[a, b]) * 1000.0 * price)
        for (a, b), flow, peak, price in zip(
            edges, flows.carried, peaks.tolist(), per_m, strict=True
        )
    ]


def prune_lines(  # noqa: PLR0913, PLR0917
    edges: list[tuple[int, int]],
    dist: NDArray[np.float64],
    supply: NDArray[np.float64],
    demand: NDArray[np.float64],
    econ: HeatEconomics,
    max_line_cost: float | None,
) -> tuple[list[tuple[int, int]], list[PrunedLine]]:
    """Drop the lines whose cost per MWh carried exceeds ``max_line_cost``, as Hotmaps does.

    Every line above the threshold (and every line that carries nothing) is removed, the
    flow is routed again on what is left (a line may now carry less), and so on until no
    line is removed. Returns the lines kept and those removed, each with the ratio that
    removed it (:func:`~toiles.analysis._costs.line_cost_per_mwh`).
    """
    pruned: list[PrunedLine] = []
    if max_line_cost is None:
        return edges, pruned
    n = len(supply)
    while edges:
        flows = forest_flows(n, edges, supply, demand)
        lines = _size_lines(edges, dist, flows, econ)
        invest = np.asarray([line.investment for line in lines], dtype=np.float64)
        ratio = line_cost_per_mwh(invest, np.asarray(flows.carried), econ.lifetime_years)
        over = ratio > max_line_cost
        if not over.any():
            break
        for line, r in zip(lines, ratio.tolist(), strict=True):
            if r > max_line_cost:
                pruned.append(PrunedLine(line.a, line.b, line.length_km, line.flow, r))
        edges = [e for e, o in zip(edges, over.tolist(), strict=True) if not o]
    return edges, pruned


@dataclass(frozen=True)
class PrunedLine:
    """A line removed for its cost, with the heat it carried and its cost per MWh carried.

    ``a`` and ``b`` index the nodes as designed, before the pruning.
    """

    a: int
    b: int
    length_km: float
    flow: float
    cost_per_mwh: float


def design_network(
    nodes: list[Node], econ: HeatEconomics, *, max_line_cost: float | None = None
) -> Network:
    """Join the nodes by a minimum spanning tree, route the heat, prune, size and cost.

    The network runs at the temperature of its coldest source; a sink that needs more gets
    a heat pump (electricity ``delivered / COP`` counted) up to the heat pump's limit, and
    sinks beyond it are left out. With ``max_line_cost`` (€/MWh), lines that cost more per
    MWh they carry are removed as Hotmaps does (:func:`prune_lines`): the network may
    become a forest, and actors left without a line leave it (``pruned`` names the lines,
    ``dropped`` the actors). Each line is sized for the heat it carries over
    ``full_load_hours``; exchangers and pumps are priced at each source and sink, losses
    run along the whole length all year.
    """
    t_net = min((n.temperature for n in nodes if n.is_source), default=math.nan)
    margin = econ.temperature_margin
    kept = [
        n
        for n in nodes
        if n.is_source or n.temperature + margin <= t_net or n.temperature <= HEAT_PUMP_MAX_C
    ]
    dist = distance_matrix(kept, econ.detour_factor)
    edges = minimum_spanning_tree(dist)
    supply = np.asarray([n.supply for n in kept])
    demand = np.asarray([n.demand for n in kept])
    edges, pruned_idx = prune_lines(edges, dist, supply, demand, econ, max_line_cost)
    pruned: list[tuple[str, str, PrunedLine]] = []
    dropped: list[Node] = []
    if max_line_cost is not None:
        names = [n.actor for n in kept]
        pruned = [(names[p.a], names[p.b], p) for p in pruned_idx]
        keep = sorted({i for e in edges for i in e})
        index = {old: new for new, old in enumerate(keep)}
        dropped = [n for i, n in enumerate(kept) if i not in index]
        edges = [(index[a], index[b]) for a, b in edges]
        kept = [kept[i] for i in keep]
        dist = dist[np.ix_(keep, keep)]
        supply, demand = supply[keep], demand[keep]
        # The network runs at its coldest source left.
        t_net = min((n.temperature for n in kept if n.is_source), default=t_net)
    return _costed(kept, edges, dist, supply, demand, econ, t_net, pruned, dropped)


def _costed(  # noqa: PLR0913, PLR0917
    kept: list[Node],
    edges: list[tuple[int, int]],
    dist: NDArray[np.float64],
    supply: NDArray[np.float64],
    demand: NDArray[np.float64],
    econ: HeatEconomics,
    t_net: float,
    pruned: list[tuple[str, str, PrunedLine]],
    dropped: list[Node],
) -> Network:
    margin = econ.temperature_margin
    flows = forest_flows(len(kept), edges, supply, demand)
    value = flows.value
    lines = _size_lines(edges, dist, flows, econ)
    length_km = sum(line.length_km for line in lines)
    losses = min(PIPE_LOSS_W_PER_M * length_km * 1000.0 * 8760.0 / 1e6, value)
    delivered = value - losses
    equipment = 0.0
    electricity = 0.0
    kept_share = delivered / value if value > 0 else 0.0
    for k, n in enumerate(kept):
        given = float(flows.given[k])
        if n.supply > 0 and given > 0:
            peak = given / econ.full_load_hours
            pump = PUMP_EUR_PER_MW[0] if peak < 1.0 else PUMP_EUR_PER_MW[1]
            equipment += peak * (SOURCE_EXCHANGER_EUR_PER_MW + pump)
        share = float(flows.taken[k]) * kept_share
        if not n.is_source and share > 0:
            peak = share / econ.full_load_hours
            small = peak < 1.0
            equipment += peak * SINK_EXCHANGER_EUR_PER_MW[0 if small else 1]
            if n.temperature + margin > t_net:
                lift = max(n.temperature - t_net, 1.0)
                cop = CARNOT_EFFICIENCY * (n.temperature + 273.15) / lift
                cop = min(max(cop, 1.0), HEAT_PUMP_MAX_COP)  # as heat_pump_cop, for one sink
                electricity += share / cop
                equipment += peak * HEAT_PUMP_EUR_PER_MW
    investment = sum(line.investment for line in lines) + equipment
    yearly = investment * (econ.annuity + econ.operation_share)
    yearly += electricity * econ.electricity_price
    levelised = yearly / delivered if delivered > 0 else math.nan
    saving = (
        delivered * econ.heat_price
        - electricity * econ.electricity_price
        - investment * econ.operation_share
    )
    payback = investment / saving if saving > 0 else math.nan
    return Network(
        nodes=kept,
        lines=lines,
        length_km=length_km,
        supply=float(supply.sum()),
        demand=float(demand.sum()),
        recoverable=value,
        losses=losses,
        delivered=delivered,
        electricity=electricity,
        investment=investment,
        levelised=levelised,
        payback=payback,
        pruned=pruned,
        dropped=dropped,
    )
