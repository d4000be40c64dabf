"""Proposed heat networks of business parks: minimum spanning tree, maximum flow, costs.

The method of the Hotmaps excess-heat module, on the sources and sinks of one ZAE: join
them by the minimum spanning tree of their distances, route the recoverable heat by a
maximum flow from the sources to the sinks, size every line by the heat it carries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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


def tree_flows(
    n: int, edges: list[tuple[int, int]], supply: NDArray[np.float64], demand: NDArray[np.float64]
) -> tuple[float, list[float]]:
    """A maximum flow from the sources to the sinks of a tree with unbounded lines.

    Every source reaches every sink along the tree, so the maximum flow is the smaller of
    total supply and total demand; each source gives and each sink takes its share of it
    in proportion, and the heat a line carries is the imbalance of the subtree it cuts off.

    Returns
    -------
    tuple
        The flow's value and the heat carried by each edge, in the order of ``edges``.

    Examples
    --------
    Two sources of 3 and 1 on either side of a sink of 2 (a path 0 - 1 - 2):

    >>> tree_flows(3, [(0, 1), (1, 2)], np.asarray([3.0, 0, 1]), np.asarray([0, 2.0, 0]))
    (2.0, [1.5, 0.5])
    """
    total_s, total_d = float(supply.sum()), float(demand.sum())
    value = min(total_s, total_d)
    if value <= 0:
        return 0.0, [0.0] * len(edges)
    balance = supply * (value / total_s) - demand * (value / total_d)
    adjacency: dict[int, list[int]] = {i: [] for i in range(n)}
    for a, b in edges:
        adjacency[a].append(b)
        adjacency[b].append(a)
    parent = [-1] * n
    order: list[int] = []
    seen = [False] * n
    for root in range(n):
        if seen[root]:
            continue
        stack = [root]
        seen[root] = True
        while stack:
            u = stack.pop()
            order.append(u)
            for v in adjacency[u]:
                if not seen[v]:
                    seen[v] = True
                    parent[v] = u
                    stack.append(v)
    subtree = balance.astype(np.float64).copy()
    carried: dict[tuple[int, int], float] = {}
    for u in reversed(order):
        p = parent[u]
        if p >= 0:
            carried[(min(u, p), max(u, p))] = abs(float(subtree[u]))
            subtree[p] += subtree[u]
    return value, [carried.get(e, 0.0) for e in edges]


def design_network(nodes: list[Node], econ: HeatEconomics) -> Network:
    """Join the nodes by a minimum spanning tree, route the heat, size and cost the lines.

    The network runs at the temperature of its coldest source; a sink that needs more gets
    a heat pump (electricity ``delivered / COP`` counted) up to the heat pump's limit, and
    sinks beyond it are left out. Each line is sized for the heat it carries over
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
    value, carried = tree_flows(len(kept), edges, supply, demand)
    peaks = np.asarray(carried, dtype=np.float64) / econ.full_load_hours
    per_m = pipe_cost_per_m(peaks).tolist()
    lines: list[Line] = []
    for (a, b), flow, peak, price in zip(edges, carried, peaks.tolist(), per_m, strict=True):
        length = float(dist[a, b])
        lines.append(Line(a, b, length, flow, peak, length * 1000.0 * price))
    length_km = sum(line.length_km for line in lines)
    losses = min(PIPE_LOSS_W_PER_M * length_km * 1000.0 * 8760.0 / 1e6, value)
    delivered = value - losses
    equipment = 0.0
    electricity = 0.0
    total_s, total_d = float(supply.sum()), float(demand.sum())
    for n in kept:
        if n.supply > 0 and total_s > 0:
            peak = n.supply * (value / total_s) / econ.full_load_hours
            pump = PUMP_EUR_PER_MW[0] if peak < 1.0 else PUMP_EUR_PER_MW[1]
            equipment += peak * (SOURCE_EXCHANGER_EUR_PER_MW + pump)
        if not n.is_source and n.demand > 0 and total_d > 0:
            share = n.demand * (delivered / total_d)
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
        supply=total_s,
        demand=total_d,
        recoverable=value,
        losses=losses,
        delivered=delivered,
        electricity=electricity,
        investment=investment,
        levelised=levelised,
        payback=payback,
    )
