"""Potential loops: waste heat and treated wastewater that a neighbour could use.

Leads that hold up: sinks with a real heat need, temperatures matched (or a heat pump
counted), each lead costed and ranked by the cost of the heat it delivers, and proposed
networks per business park (ZAE) and between neighbours of different parks, pruned of the
lines that cost too much per MWh they carry (Hotmaps).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from toiles.analysis._clusters import radius_clusters
from toiles.analysis._common import (
    FAMILIES,
    FlowTable,
    ReportResult,
    base_unit,
    flow_table,
    fr_number,
    haversine_km,
    rounded,
    toile_ref,
)
from toiles.analysis._costs import (
    HEAT_PUMP_MAX_C,
    HEAT_SOURCES_FR,
    LINE_COST_THRESHOLD_EUR_PER_MWH,
    PIPE_COSTS,
    HeatEconomics,
    WaterEconomics,
    equipment_floor,
    heat_lead_costs,
    typical_need,
    typical_reject,
    water_lead_costs,
)
from toiles.analysis._networks import Network, Node, design_network
from toiles.errors import AnalysisError
from toiles.models.flow import Flow, flow_id
from toiles.models.vocab import FlowKind, Status

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import networkx as nx
    from numpy.typing import NDArray

    from toiles.models.toile import Toile

    _Pairs = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_], NDArray[np.float64]]

__all__ = [
    "Candidate",
    "CandidatesResult",
    "NetworkEdge",
    "PrunedEdge",
    "ZaeNetwork",
    "apply_candidates",
    "candidates_report",
    "waste_heat_candidates",
    "water_reuse_candidates",
]

HEAT_SUPPLY = ("chaleur_fatale",)
#: What an actor buys for a heat need: heat, steam, or fuel it burns for heat itself.
HEAT_DEMAND = ("chaleur", "vapeur", "gaz_naturel", "biogaz", "combustible", "biomasse")
#: What a heat network delivers (its need is the heat it sells).
HEAT_DELIVERED = ("chaleur", "vapeur")
WATER_SUPPLY = ("rejet",)
WATER_DEMAND = ("eau_industrielle", "prelevement", "eau_refroidissement", "eau_potable")
TREATMENT_NAF = "37.00Z"
_FAMILY_PREFERENCE = ("energy", "volume", "mass", "power", "count", "money")
#: Actors that are never the source or the sink of a lead: the outside, business parks and
#: groupings (an EPCI's purchases stand for a whole territory's, not for one site's).
NEVER_ENDS = frozenset({"exterieur", "zae", "epci", "syndicat"})
#: Network operators: transit, never a source or a sink, unless they run a heat network.
NETWORK_OPERATORS = frozenset({"gestionnaire_reseau"})
#: A heat network delivers heat or steam to at least this many actors of the territory.
HEAT_NETWORK_MIN_CUSTOMERS = 2


class Candidate(BaseModel):
    """A potential flow: a resource released unused that a nearby actor could take.

    Heat leads carry the temperatures they rest on (declared on the flows or typical of the
    activity), whether a heat pump is needed, and a first costing (line, losses, investment,
    levelised cost, payback); water leads their volume and cost per m³.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rank: int
    kind: Literal["chaleur", "reutilisation"]
    flow_kind: str
    source: str
    source_name: str
    target: str
    target_name: str
    family: str | None
    unit: str | None
    supply: float | None
    demand: float | None
    recoverable: float | None
    distance_km: float | None
    same_zae: bool
    zae: str | None
    source_temperature: float | None = None
    sink_temperature: float | None = None
    typical_temperatures: bool = False
    temperature_basis: str | None = None
    heat_pump: bool = False
    cop: float | None = None
    electricity_mwh: float | None = None
    pipe_length_km: float | None = None
    peak_mw: float | None = None
    losses: float | None = None
    delivered: float | None = None
    investment_eur: float | None = None
    levelised_cost: float | None = None
    cost_unit: str | None = None
    payback_years: float | None = None
    reason: str


class NetworkEdge(BaseModel):
    """One line of a proposed network: two actors, its length and the heat it carries."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    target: str
    length_km: float
    flow_mwh: float
    peak_mw: float
    investment_eur: float


class PrunedEdge(BaseModel):
    """A line left out of a proposed network: it costs too much per MWh it would carry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    target: str
    length_km: float
    flow_mwh: float
    cost_per_mwh: float | None


class ZaeNetwork(BaseModel):
    """A proposed heat network: « potentielle boucle énergétique ».

    ``scope`` ``zae``: the sources and sinks of one business park; ``voisinage``: a cluster
    of sources and sinks within the search radius of each other that spans several parks
    or actors outside any park (``zae`` is then the cluster's id, ``zaes`` the parks it
    touches). They are joined by the minimum spanning tree of their distances, the
    recoverable heat routed by a maximum flow, the lines sized and costed like single
    leads; lines above the cost threshold are left out (``pruned``), as Hotmaps does.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    zae: str
    zae_name: str
    scope: Literal["zae", "voisinage"] = "zae"
    zaes: list[str] = Field(default_factory=list)
    sources: list[str]
    sinks: list[str]
    edges: list[NetworkEdge]
    length_km: float
    supply_mwh: float
    demand_mwh: float
    recoverable_mwh: float
    losses_mwh: float
    delivered_mwh: float
    electricity_mwh: float
    investment_eur: float
    levelised_cost: float | None
    payback_years: float | None
    typical_temperatures: bool
    pruned: list[PrunedEdge] = Field(default_factory=list)
    explanation: str


class CandidatesResult(ReportResult):
    """Result of :func:`candidates_report`."""

    report: str = "candidates"
    radius_km: float
    max_distance_km: float | None = None
    heat_price: float = 60.0
    electricity_price: float = 150.0
    discount_rate: float = 0.04
    lifetime_years: int = 30
    heat_count: int
    water_count: int
    max_line_cost: float | None = LINE_COST_THRESHOLD_EUR_PER_MWH
    network_count: int = 0
    cluster_count: int = 0
    discarded_networks: list[str] = Field(default_factory=list)
    candidates: list[Candidate]
    networks: list[ZaeNetwork] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)


def _check_radius(radius_km: float) -> None:
    if not math.isfinite(radius_km) or radius_km < 0:
        msg = f"Le rayon de recherche doit être un nombre positif de kilomètres (reçu {radius_km})."
        raise AnalysisError(msg)


def _existing_mask(ft: FlowTable, kinds: Iterable[str]) -> NDArray[np.bool_]:
    existing = np.asarray([s == "existant" for s in ft.status], dtype=np.bool_)
    return existing & ft.kind_mask(kinds)


@dataclass(frozen=True)
class _Actors:
    """Attributes of every actor, in the flow table's order, read once."""

    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    zae: list[str | None]
    naf: list[str | None]
    kind: NDArray[np.object_]


def _actor_table(G: nx.MultiDiGraph[str]) -> _Actors:
    lat, lon, zae, naf, kind = [], [], [], [], []
    for _, data in G.nodes(data=True):
        lat.append(_coord(data.get("lat")))
        lon.append(_coord(data.get("lon")))
        zae.append(data.get("zae") or None)
        naf.append(data.get("naf") or None)
        kind.append(data.get("kind"))
    return _Actors(
        np.asarray(lat, dtype=np.float64),
        np.asarray(lon, dtype=np.float64),
        zae,
        naf,
        np.asarray(kind, dtype=object),
    )


def _coords(table: _Actors, actors: NDArray[np.int64]) -> _Places:
    return _Places(table.lat[actors], table.lon[actors], [table.zae[i] for i in actors.tolist()])


@dataclass(frozen=True)
class _Places:
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    zae: list[str | None]


_EARTH_KM = 6371.0088


def _unit_vectors(places: _Places) -> NDArray[np.float64]:
    lat, lon = np.radians(places.lat), np.radians(places.lon)
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _spatial_blocks(
    sp: _Places, dp: _Places, radius_km: float, order: NDArray[np.float64]
) -> Iterator[_Pairs]:
    """Supplier/demander pairs within the radius, block by block of a radius-wide grid.

    Two points are within ``r`` of each other on the sphere exactly when the dot product of
    their unit vectors is at least ``cos(r / R)``: one matrix product per block, whose dot
    products are yielded with the mask (they also bound the distance of each pair).
    """
    s_ok = np.flatnonzero(~np.isnan(sp.lat))
    d_ok = np.flatnonzero(~np.isnan(dp.lat))
    if radius_km <= 0 or not len(s_ok) or not len(d_ok):
        return
    top_lat = float(np.max(np.abs(np.concatenate([sp.lat[s_ok], dp.lat[d_ok]]))))
    dlat = radius_km / 111.0
    dlon = radius_km / max(111.32 * math.cos(math.radians(min(top_lat, 89.0))), 1e-6)
    cells: dict[tuple[int, int], list[int]] = {}
    d_cy = np.floor(dp.lat[d_ok] / dlat).astype(np.int64).tolist()
    d_cx = np.floor(dp.lon[d_ok] / dlon).astype(np.int64).tolist()
    for j, cy, cx in zip(d_ok.tolist(), d_cy, d_cx, strict=True):
        cells.setdefault((cy, cx), []).append(j)
    groups: dict[tuple[int, int], list[int]] = {}
    s_cy = np.floor(sp.lat[s_ok] / dlat).astype(np.int64).tolist()
    s_cx = np.floor(sp.lon[s_ok] / dlon).astype(np.int64).tolist()
    for i, cy, cx in zip(s_ok.tolist(), s_cy, s_cx, strict=True):
        groups.setdefault((cy, cx), []).append(i)
    s_xyz, d_xyz = _unit_vectors(sp), _unit_vectors(dp)
    limit = math.cos(radius_km / _EARTH_KM)
    for (cy, cx), members in sorted(groups.items()):
        block = [
            j for dy in (-1, 0, 1) for dx in (-1, 0, 1) for j in cells.get((cy + dy, cx + dx), ())
        ]
        if not block:
            continue
        s_arr = np.asarray(members, dtype=np.int64)
        d_arr = np.asarray(block, dtype=np.int64)
        d_arr = d_arr[np.argsort(order[d_arr], kind="stable")]
        dot = s_xyz[s_arr] @ d_xyz[d_arr].T
        yield s_arr, d_arr, dot >= limit, dot


def _zae_blocks(
    sp: _Places, dp: _Places, radius_km: float, order: NDArray[np.float64]
) -> Iterator[_Pairs]:
    """Pairs in the same ZAE that the radius does not already give (far or without a point)."""
    by_zae: dict[str, list[int]] = {}
    for j, zae in enumerate(dp.zae):
        if zae:
            by_zae.setdefault(zae, []).append(j)
    suppliers: dict[str, list[int]] = {}
    for i, zae in enumerate(sp.zae):
        if zae and zae in by_zae:
            suppliers.setdefault(zae, []).append(i)
    s_xyz, d_xyz = _unit_vectors(sp), _unit_vectors(dp)
    limit = math.cos(radius_km / _EARTH_KM)
    for zae, members in sorted(suppliers.items()):
        s_arr = np.asarray(members, dtype=np.int64)
        d_arr = np.asarray(by_zae[zae], dtype=np.int64)
        d_arr = d_arr[np.argsort(order[d_arr], kind="stable")]
        dot = s_xyz[s_arr] @ d_xyz[d_arr].T
        near = (dot >= limit) if radius_km > 0 else np.zeros(dot.shape, dtype=np.bool_)
        yield s_arr, d_arr, ~near, dot  # NaN dots (no point) compare False: kept


_COLUMNS = (
    "src",
    "dst",
    "fam",
    "sup",
    "dem",
    "rec",
    "km",
    "cost",
    "pump",
    "cop",
    "length",
    "delivered",
    "losses",
    "elec",
    "peak",
    "invest",
    "payback",
)


@dataclass
class _Pool:
    """The best pairs seen so far (all of them when ``top`` is ``None``)."""

    top: int | None
    cols: dict[str, NDArray[Any]]

    def add(self, part: dict[str, NDArray[Any]], id_rank: NDArray[np.int64]) -> None:
        merged = {k: np.concatenate([self.cols[k], part[k]]) for k in self.cols}
        if self.top is not None and len(merged["rec"]) > self.top:
            order = _ranking(merged, id_rank)[: self.top]
            merged = {k: v[order] for k, v in merged.items()}
        self.cols = merged

    def threshold(self) -> float:
        """Cost a pair must not exceed to enter a full pool (+inf while not full)."""
        if self.top is None or len(self.cols["rec"]) < self.top:
            return math.inf
        last = float(self.cols["cost"][-1])
        return math.inf if math.isnan(last) else last


def _empty_pool(top: int | None) -> _Pool:
    cols: dict[str, NDArray[Any]] = {}
    for name in _COLUMNS:
        if name in {"src", "dst", "fam"}:
            cols[name] = np.zeros(0, np.int64)
        elif name == "pump":
            cols[name] = np.zeros(0, np.bool_)
        else:
            cols[name] = np.zeros(0)
    return _Pool(top, cols)


def _ranking(cols: dict[str, NDArray[Any]], id_rank: NDArray[np.int64]) -> NDArray[np.int64]:
    """Cheapest first (no cost last), then the larger recoverable quantity, the shorter."""
    rec, km, cost = cols["rec"], cols["km"], cols["cost"]
    return np.lexsort(
        (
            id_rank[cols["dst"]],
            id_rank[cols["src"]],
            np.where(np.isnan(km), np.inf, km),
            np.where(np.isnan(rec), np.inf, -rec),
            np.where(np.isnan(cost), np.inf, cost),
        )
    )


def _scores(
    ps: NDArray[np.int64],
    pd: NDArray[np.int64],
    s_q: dict[str, NDArray[np.float64]],
    d_q: dict[str, NDArray[np.float64]],
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Family, supply, demand and recoverable quantity (the smaller) of each pair."""
    family = np.full(len(ps), -1, dtype=np.int64)
    supply = np.full(len(ps), np.nan)
    demand = np.full(len(ps), np.nan)
    for f in _FAMILY_PREFERENCE:
        if f in s_q and f in d_q:
            sv, dv = s_q[f][ps], d_q[f][pd]
            both = (family < 0) & ~np.isnan(sv) & ~np.isnan(dv)
            family[both] = FAMILIES.index(f)
            supply[both] = sv[both]
            demand[both] = dv[both]
    recoverable = np.minimum(supply, demand)
    for f in _FAMILY_PREFERENCE:
        if f in s_q:
            sv = s_q[f][ps]
            alone = (family < 0) & ~np.isnan(sv)
            family[alone] = FAMILIES.index(f)
            supply[alone] = sv[alone]
    return family, supply, demand, recoverable


@dataclass(frozen=True)
class _Side:
    """The suppliers or the demanders of a kind of lead: who, how much, where, how hot."""

    actors: NDArray[np.int64]
    qty: dict[str, NDArray[np.float64]]
    places: _Places
    temp: NDArray[np.float64]
    typical: NDArray[np.bool_]
    basis: list[str]

    def family(self, name: str) -> NDArray[np.float64]:
        """Quantity of one family per actor (NaN when none)."""
        return self.qty.get(name, np.full(len(self.actors), np.nan))


@dataclass(frozen=True)
class _Screen:
    """What a matching screens with: kind of lead, distances and economics."""

    kind: Literal["chaleur", "reutilisation"]
    radius_km: float
    max_km: float | None
    heat: HeatEconomics
    water: WaterEconomics
    max_line_cost: float | None = LINE_COST_THRESHOLD_EUR_PER_MWH


def _costs(
    screen: _Screen,
    sup: NDArray[np.float64],
    dem: NDArray[np.float64],
    km: NDArray[np.float64],
    temps: tuple[NDArray[np.float64], NDArray[np.float64]],
) -> dict[str, NDArray[Any]]:
    """The figures of each pair (NaN where the quantities do not allow them)."""
    if screen.kind == "chaleur":
        c = heat_lead_costs(sup, dem, km, temps[0], temps[1], screen.heat)
        return {
            "cost": c.levelised,
            "pump": c.heat_pump,
            "cop": c.cop,
            "length": c.length_km,
            "delivered": c.delivered,
            "losses": c.losses,
            "elec": c.electricity,
            "peak": c.peak_mw,
            "invest": c.investment,
            "payback": c.payback,
        }
    length, volume, invest, per_m3, payback = water_lead_costs(
        sup, dem, km, screen.heat, screen.water
    )
    nan = np.full(len(sup), np.nan)
    return {
        "cost": per_m3,
        "pump": np.zeros(len(sup), np.bool_),
        "cop": nan,
        "length": length,
        "delivered": volume,
        "losses": nan,
        "elec": nan,
        "peak": nan,
        "invest": invest,
        "payback": payback,
    }


def _hot_start(screen: _Screen, d: _Side, d_arr: NDArray[np.int64]) -> int:
    """First column of a block (sorted by need) that a heat pump cannot serve."""
    if screen.kind != "chaleur":
        return len(d_arr)
    return int(np.searchsorted(d.temp[d_arr], HEAT_PUMP_MAX_C, side="right"))


@dataclass(frozen=True)
class _Twins:
    """The demander index of each supplier that is also a demander (-1 otherwise)."""

    of_supplier: NDArray[np.int64]
    position: NDArray[np.int64]  # scratch: column of each demander in the current block

    @classmethod
    def of(cls, sides: tuple[_Side, _Side]) -> _Twins:
        s, d = sides
        twin = np.full(len(s.actors), -1, dtype=np.int64)
        _, i, j = np.intersect1d(s.actors, d.actors, return_indices=True)
        twin[i] = j
        return cls(twin, np.full(len(d.actors), -1, dtype=np.int64))

    def pairs(self, s_arr: NDArray[np.int64], d_arr: NDArray[np.int64]) -> list[tuple[int, int]]:
        """Positions (row, column) of a block where the same actor is on both sides."""
        rows = np.flatnonzero(self.of_supplier[s_arr] >= 0)
        if not len(rows):
            return []
        self.position[d_arr] = np.arange(len(d_arr))
        cols = self.position[self.of_supplier[s_arr[rows]]]
        self.position[d_arr] = -1
        return [(r, c) for r, c in zip(rows.tolist(), cols.tolist(), strict=True) if c >= 0]


def _lead_mask(  # noqa: PLR0913, PLR0917
    screen: _Screen,
    sides: tuple[_Side, _Side],
    s_arr: NDArray[np.int64],
    d_arr: NDArray[np.int64],
    near: NDArray[np.bool_],
    dot: NDArray[np.float64],
    twins: list[tuple[int, int]],
) -> NDArray[np.bool_]:
    """Pairs of a block that make a lead: near, not the same actor, hot enough, not too far.

    Columns are sorted by need: those a heat pump can serve (up to 150 °C) are met by any
    source; only the hotter ones, a contiguous slice, are compared with each source.
    """
    s, d = sides
    mask = near.copy()
    hot = _hot_start(screen, d, d_arr)
    if hot < len(d_arr):
        limit = s.temp[s_arr] - screen.heat.temperature_margin
        mask[:, hot:] &= d.temp[d_arr[hot:]][None, :] <= limit[:, None]
    if screen.max_km is not None:
        mask &= ~(dot < math.cos(screen.max_km / _EARTH_KM))  # unknown distance kept
    for r, c in twins:
        mask[r, c] = False
    return mask


def _lead_count(  # noqa: PLR0913, PLR0917
    screen: _Screen,
    sides: tuple[_Side, _Side],
    s_arr: NDArray[np.int64],
    d_arr: NDArray[np.int64],
    near: NDArray[np.bool_],
    dot: NDArray[np.float64],
    twins: list[tuple[int, int]],
) -> int:
    """Number of leads of a block, counted without building the full mask when possible."""
    if screen.max_km is not None:
        mask = _lead_mask(screen, sides, s_arr, d_arr, near, dot, twins)
        return int(np.count_nonzero(mask))
    s, d = sides
    count = int(np.count_nonzero(near))
    hot = _hot_start(screen, d, d_arr)
    limit = s.temp[s_arr] - screen.heat.temperature_margin
    if hot < len(d_arr):
        too_cold = d.temp[d_arr[hot:]][None, :] > limit[:, None]
        count -= int(np.count_nonzero(near[:, hot:] & too_cold))
    for r, c in twins:
        cold = c >= hot and d.temp[d_arr[c]] > limit[r]
        count -= int(bool(near[r, c]) and not cold)
    return count


def _distance_factor(screen: _Screen, tau: float) -> tuple[float, float]:
    """``K`` and the boost of :func:`_prune`.

    A pair can cost at most ``tau`` only when ``km <= K min(boost s_i, d_j)`` (``K < 0``:
    no pair can).
    """
    factor = screen.heat.annuity + screen.heat.operation_share
    if screen.kind == "chaleur":
        room = tau / factor - equipment_floor(screen.heat)
        return room / (PIPE_COSTS[0][1] * screen.heat.detour_factor * 1000.0), 3.0
    room = (tau - screen.water.treatment_per_m3) / factor
    return room / (screen.water.pipe_per_m * screen.heat.detour_factor * 1000.0), 1.0


def _cosine(limit_km: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cosine of a distance limit on the sphere (2, which no dot product reaches, for NaN)."""
    angle = np.minimum(limit_km / _EARTH_KM, math.pi)
    return np.asarray(np.where(np.isnan(angle), 2.0, np.cos(angle)), dtype=np.float64)


def _prune_rows(
    screen: _Screen, s: _Side, s_arr: NDArray[np.int64], dot: NDArray[np.float64], tau: float
) -> NDArray[np.bool_]:
    """Suppliers of a block with at least one demander within their own distance limit.

    One pass (each row's largest dot product) spares the full test to the rows that cannot
    enter: once the pool holds cheap leads, most rows drop here.
    """
    k, boost = _distance_factor(screen, tau)
    if k < 0:
        return np.zeros(len(s_arr), dtype=np.bool_)
    family = "energy" if screen.kind == "chaleur" else "volume"
    row = _cosine(k * boost * s.family(family)[s_arr])
    if not len(dot) or not dot.shape[1]:
        return np.zeros(len(s_arr), dtype=np.bool_)
    unknown = np.isnan(s.places.lat[s_arr])
    if unknown.any() or np.isnan(dot[0]).any():  # a position missing: the ZAE blocks
        best = np.where(np.isnan(dot), -2.0, dot).max(axis=1)
        return np.asarray(np.isnan(dot).any(axis=1) | (best >= row))
    return np.asarray(dot.max(axis=1) >= row)


def _prune(  # noqa: PLR0913, PLR0917
    screen: _Screen,
    sides: tuple[_Side, _Side],
    s_arr: NDArray[np.int64],
    d_arr: NDArray[np.int64],
    dot: NDArray[np.float64],
    tau: float,
) -> NDArray[np.bool_]:
    """Pairs whose lower bound of cost can still enter a pool whose worst cost is ``tau``.

    The bound grows with the distance over the largest quantity a pair can deliver
    (``km / min(f s_i, d_j)``, see :func:`heat_lower_bound`), so it is under ``tau`` exactly
    when ``km <= K min(f s_i, d_j)``: a distance limit per supplier and per demander, hence
    two comparisons of the block's dot products with the cosines of those limits.
    """
    s, d = sides
    family = "energy" if screen.kind == "chaleur" else "volume"
    s_q, d_q = s.family(family), d.family(family)
    k, boost = _distance_factor(screen, tau)
    if k < 0:
        return np.zeros(dot.shape, dtype=np.bool_)
    row = _cosine(k * boost * s_q[s_arr])
    col = _cosine(k * d_q[d_arr])
    close = dot >= row[:, None]
    close &= dot >= col[None, :]
    unknown = np.isnan(dot)
    if unknown.any():  # same ZAE, no position: distance unknown, bound by quantities only
        known = ~np.isnan(s_q[s_arr])[:, None] & ~np.isnan(d_q[d_arr])[None, :]
        close |= unknown & known
    return close


def _match(  # noqa: PLR0913, PLR0915
    G: nx.MultiDiGraph[str],
    ft: FlowTable,
    sides: tuple[_Side, _Side],
    screen: _Screen,
    *,
    link_kinds: Iterable[str],
    top: int | None,
) -> tuple[int, list[Candidate]]:
    """Pair each supplier with the demanders of the same ZAE or within the radius.

    Returns the number of leads and the ``top`` cheapest as candidates. Pairs are screened
    block by block; once ``top`` leads are held, a block's pairs whose lower bound of cost
    cannot beat the worst of them are dropped before they are costed, so the time follows
    the answer as much as the number of pairs, and the memory stays that of the answer.
    """
    s, d = sides
    if not len(s.actors) or not len(d.actors):
        return 0, []
    link = ft.kind_mask(link_kinds)
    linked = np.unique(ft.src[link] * ft.n + ft.dst[link])
    names = np.asarray([str(n) for n in ft.nodes], dtype=object)
    id_rank = np.empty(ft.n, dtype=np.int64)
    id_rank[np.argsort(names, kind="stable")] = np.arange(ft.n)
    pool = _empty_pool(top)
    count = 0
    sp, dp = s.places, d.places
    by_need = d.temp if screen.kind == "chaleur" else np.zeros(len(d.actors))
    blocks = itertools.chain(
        _spatial_blocks(sp, dp, screen.radius_km, by_need),
        _zae_blocks(sp, dp, screen.radius_km, by_need),
    )
    twins = _Twins.of(sides)
    for s_arr, d_arr, near, dot in blocks:
        same = twins.pairs(s_arr, d_arr)
        count += _lead_count(screen, sides, s_arr, d_arr, near, dot, same)
        tau = pool.threshold()
        if math.isfinite(tau):
            rows = _prune_rows(screen, s, s_arr, dot, tau)
            kept, near_kept, dot_kept = s_arr[rows], near[rows], dot[rows]
            renumber = np.cumsum(rows) - 1
            same = [(int(renumber[r]), c) for r, c in same if rows[r]]
        else:
            kept, near_kept, dot_kept = s_arr, near, dot
        if not len(kept):
            continue
        mask = _lead_mask(screen, sides, kept, d_arr, near_kept, dot_kept, same)
        if math.isfinite(tau):
            mask &= _prune(screen, sides, kept, d_arr, dot_kept, tau)
        rows_kept = kept
        hit_s, hit_d = np.nonzero(mask)
        if not len(hit_s):
            continue
        ps, pd = rows_kept[hit_s], d_arr[hit_d]
        src, dst = s.actors[ps], d.actors[pd]
        fresh = ~_sorted_contains(linked, src * ft.n + dst)
        ps, pd, src, dst = ps[fresh], pd[fresh], src[fresh], dst[fresh]
        if not len(ps):
            continue
        fam, sup, dem, rec = _scores(ps, pd, s.qty, d.qty)
        km = haversine_km(sp.lat[ps], sp.lon[ps], dp.lat[pd], dp.lon[pd])
        costed = fam == FAMILIES.index("energy" if screen.kind == "chaleur" else "volume")
        figures = _costs(
            screen,
            np.where(costed, sup, np.nan),
            np.where(costed, dem, np.nan),
            km,
            (s.temp[ps], d.temp[pd]),
        )
        part = {"src": src, "dst": dst, "fam": fam, "sup": sup, "dem": dem, "rec": rec, "km": km}
        pool.add(part | figures, id_rank)
    count -= _linked_leads(sides, screen, linked, ft.n)
    cols = pool.cols
    order = _ranking(cols, id_rank)
    if top is not None:
        order = order[:top]
    index = {int(a): k for k, a in enumerate(s.actors.tolist())}
    d_index = {int(a): k for k, a in enumerate(d.actors.tolist())}
    out: list[Candidate] = []
    for rank, k in enumerate(order.tolist(), start=1):
        fam_code = int(cols["fam"][k])
        i, j = int(cols["src"][k]), int(cols["dst"][k])
        out.append(
            _candidate(
                G,
                rank=rank,
                kind=screen.kind,
                ends=(ft.nodes[i], ft.nodes[j]),
                family=None if fam_code < 0 else FAMILIES[fam_code],
                row={c: cols[c][k] for c in _COLUMNS},
                temps=(s, index[i], d, d_index[j]),
                screen=screen,
            )
        )
    return count, out


def _linked_leads(
    sides: tuple[_Side, _Side], screen: _Screen, linked: NDArray[np.int64], n: int
) -> int:
    """Number of pairs already joined by a flow that the blocks counted as leads."""
    s, d = sides
    if not len(linked):
        return 0
    src, dst = linked // n, linked % n
    i = np.minimum(np.searchsorted(s.actors, src), len(s.actors) - 1)
    j = np.minimum(np.searchsorted(d.actors, dst), len(d.actors) - 1)
    ok = (s.actors[i] == src) & (d.actors[j] == dst) & (src != dst)
    i, j = i[ok], j[ok]
    sp, dp = s.places, d.places
    km = haversine_km(sp.lat[i], sp.lon[i], dp.lat[j], dp.lon[j])
    s_zae = np.asarray([sp.zae[k] or "" for k in i.tolist()], dtype=object)
    d_zae = np.asarray([dp.zae[k] or "" for k in j.tolist()], dtype=object)
    same = (s_zae == d_zae) & (s_zae != "")
    radius = screen.radius_km
    near = ~np.isnan(km) & (km <= radius) if radius > 0 else np.zeros(len(km), np.bool_)
    lead = same | near
    if screen.max_km is not None:
        lead &= ~(km > screen.max_km)
    if screen.kind == "chaleur":
        limit = np.maximum(s.temp[i] - screen.heat.temperature_margin, HEAT_PUMP_MAX_C)
        lead &= d.temp[j] <= limit
    return int(lead.sum())


def _sorted_contains(
    sorted_codes: NDArray[np.int64], codes: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Which ``codes`` are in ``sorted_codes`` (a sorted array), by binary search."""
    if not len(sorted_codes):
        return np.zeros(len(codes), dtype=np.bool_)
    pos = np.minimum(np.searchsorted(sorted_codes, codes), len(sorted_codes) - 1)
    return np.asarray(sorted_codes[pos] == codes, dtype=np.bool_)


def _num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _coord(value: object) -> float:
    return float(value) if isinstance(value, int | float) else math.nan


def _opt(value: object, digits: int = 3) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else rounded(number, digits)


def _heat_reason(
    c: dict[str, Any],
    names: tuple[str, str],
    temps: tuple[_Side, int, _Side, int],
    *,
    network: bool,
) -> tuple[str, str]:
    """The supply and need clauses of a heat lead, with their temperatures."""
    s_name, t_name = names
    s, i, d, j = temps
    unit = c["unit"]
    what = f"{s_name} rejette de la chaleur fatale"
    if c["supply"] is not None:
        what += f" ({fr_number(c['supply'])} {unit}/an"
    else:
        what += " ("
    what += f"{', ' if c['supply'] is not None else ''}{fr_number(s.temp[i])} °C {s.basis[i]})"
    if network:
        need = f"{t_name} exploite un réseau de chaleur qui peut la reprendre ("
        need += "" if c["demand"] is None else f"{fr_number(c['demand'])} {unit}/an livrés, "
    else:
        need = f"{t_name} a un besoin de chaleur ("
        need += "" if c["demand"] is None else f"{fr_number(c['demand'])} {unit}/an de "
        need += "chaleur, vapeur ou combustible brûlé sur place, "
    need += f"{fr_number(d.temp[j])} °C {d.basis[j]})"
    return what, need


def _cost_sentence(c: dict[str, Any], screen: _Screen) -> str:
    """The costing of a lead in one French sentence (empty when it cannot be costed)."""
    if c["levelised_cost"] is None:
        return " Coût non estimé : quantités absentes ou d'une autre famille d'unités."
    heat = screen.kind == "chaleur"
    parts = []
    if heat:
        parts.append(
            f"Avec pompe à chaleur (COP {fr_number(c['cop'], 1)}, "
            f"{fr_number(c['electricity_mwh'])} MWh d'électricité par an)"
            if c["heat_pump"]
            else "Liaison directe (source assez chaude)"
        )
    unit = "MWh" if heat else "m³"
    parts.append(
        f"canalisation de {fr_number(c['pipe_length_km'], 1)} km, "
        f"{fr_number(c['delivered'])} {unit}/an livrés, "
        f"investissement {fr_number(c['investment_eur'])} €, "
        f"coût {fr_number(c['levelised_cost'], 1 if heat else 2)} {c['cost_unit']}"
    )
    price = screen.heat.heat_price if heat else screen.water.water_price
    price_unit = "€/MWh" if heat else "€/m³"
    if c["payback_years"] is None:
        parts.append(f"pas de retour sur investissement au prix de {fr_number(price)} {price_unit}")
    else:
        parts.append(
            f"retour sur investissement {fr_number(c['payback_years'], 1)} ans au prix de "
            f"{fr_number(price, 2 if not heat else 0)} {price_unit}"
        )
    return " " + ", ".join(parts) + "."


def _candidate(  # noqa: PLR0913
    G: nx.MultiDiGraph[str],
    *,
    rank: int,
    kind: Literal["chaleur", "reutilisation"],
    ends: tuple[str, str],
    family: str | None,
    row: dict[str, Any],
    temps: tuple[_Side, int, _Side, int],
    screen: _Screen,
) -> Candidate:
    source, target = ends
    supply, demand, recoverable = _num(row["sup"]), _num(row["dem"]), _num(row["rec"])
    distance = _num(row["km"])
    s_data, t_data = G.nodes[source], G.nodes[target]
    s_name = str(s_data.get("name") or source)
    t_name = str(t_data.get("name") or target)
    zae = s_data.get("zae")
    same = bool(zae) and zae == t_data.get("zae")
    unit = None if family is None else base_unit(family)
    zae_name = str(G.nodes[str(zae)].get("name") or zae) if same and zae in G else zae
    where = [f"dans la même ZAE ({zae_name})"] if same else []
    if distance is not None:
        where.append(f"à {fr_number(distance, 1)} km")
    s, i, d, j = temps
    cost = _opt(row["cost"], 2)
    figures: dict[str, Any] = {
        "supply": None if supply is None else rounded(supply),
        "demand": None if demand is None else rounded(demand),
        "unit": unit,
        "heat_pump": bool(row["pump"]) and cost is not None,
        "cop": _opt(row["cop"], 2) if cost is not None else None,
        "electricity_mwh": _opt(row["elec"]) if kind == "chaleur" and cost is not None else None,
        "pipe_length_km": _opt(row["length"]) if cost is not None else None,
        "peak_mw": _opt(row["peak"], 4) if cost is not None else None,
        "losses": _opt(row["losses"]) if cost is not None else None,
        "delivered": _opt(row["delivered"]) if cost is not None else None,
        "investment_eur": _opt(row["invest"], 0) if cost is not None else None,
        "levelised_cost": cost,
        "cost_unit": None if cost is None else ("€/MWh" if kind == "chaleur" else "€/m³"),
        "payback_years": _opt(row["payback"], 2) if cost is not None else None,
    }
    if kind == "chaleur":
        network = bool(d.basis[j].startswith("réseau"))
        what, need = _heat_reason(figures, (s_name, t_name), temps, network=network)
        figures |= {
            "source_temperature": rounded(float(s.temp[i]), 1),
            "sink_temperature": rounded(float(d.temp[j]), 1),
            "typical_temperatures": bool(s.typical[i] or d.typical[j]),
            "temperature_basis": (
                "typiques"
                if s.typical[i] and d.typical[j]
                else "déclarées"
                if not (s.typical[i] or d.typical[j])
                else "mixtes"
            ),
        }
    else:
        what = f"{s_name} rejette des eaux usées traitées"
        need = f"{t_name} consomme de l'eau pour ses procédés"
        if supply is not None:
            what += f" ({fr_number(supply)} {unit}/an)"
        if demand is not None:
            need += f" ({fr_number(demand)} {unit}/an)"
    reason = f"{what} ; {need}, {', '.join(where)}."
    if recoverable is not None:
        reason += f" Quantité valorisable : {fr_number(recoverable)} {unit}/an."
    reason += _cost_sentence(figures, screen)
    if kind == "chaleur" and figures["typical_temperatures"]:
        reason += " Piste fondée sur des températures typiques, à vérifier auprès des sites."
    return Candidate(
        rank=rank,
        kind=kind,
        flow_kind="chaleur_fatale" if kind == "chaleur" else "reutilisation",
        source=str(source),
        source_name=s_name,
        target=str(target),
        target_name=t_name,
        family=family,
        recoverable=None if recoverable is None else rounded(recoverable),
        distance_km=None if distance is None else rounded(distance, 3),
        same_zae=same,
        zae=str(zae) if same else None,
        reason=reason,
        **figures,
    )


def _quantities(
    ft: FlowTable, mask: NDArray[np.bool_], actors: NDArray[np.int64], by: Literal["src", "dst"]
) -> dict[str, NDArray[np.float64]]:
    """Quantity per family of the selected flows of each of ``actors`` (NaN when none)."""
    ends = ft.src if by == "src" else ft.dst
    member = np.zeros(ft.n, dtype=np.bool_)
    member[actors] = True
    sel = np.flatnonzero(mask & member[ends])
    pos = np.searchsorted(actors, ends[sel])
    per: dict[str, NDArray[np.float64]] = {}
    qty, codes = ft.qty[sel], ft.fam_code[sel]
    for family in _FAMILY_PREFERENCE:
        fmask = (codes == FAMILIES.index(family)) & ~np.isnan(qty)
        if fmask.any():
            total = np.bincount(pos[fmask], weights=qty[fmask], minlength=len(actors))
            present = np.bincount(pos[fmask], minlength=len(actors)) > 0
            per[family] = np.where(present, total, np.nan)
    return per


def _max_temperature(
    ft: FlowTable, mask: NDArray[np.bool_], actors: NDArray[np.int64], by: Literal["src", "dst"]
) -> NDArray[np.float64]:
    """Highest declared temperature of the selected flows of each actor (NaN when none)."""
    ends = ft.src if by == "src" else ft.dst
    temps = np.asarray(
        [
            math.nan if (t := ft.data[k].get("temperature")) is None else t
            for k in np.flatnonzero(mask).tolist()
        ],
        dtype=np.float64,
    )
    out = np.full(len(actors), np.nan)
    sel = np.flatnonzero(mask)
    if len(sel):
        pos = np.searchsorted(actors, ends[sel])
        ok = (pos < len(actors)) & ~np.isnan(temps)
        ok[ok] &= actors[pos[ok]] == ends[sel][ok]
        np.fmax.at(out, pos[ok], temps[ok])
    return out


def _heat_sides(  # noqa: PLR0915  # one pass over sources, networks and buyers
    G: nx.MultiDiGraph[str], ft: FlowTable
) -> tuple[_Side, _Side]:
    """Waste-heat sources and heat sinks (see :func:`waste_heat_candidates`)."""
    table = _actor_table(G)
    kinds = table.kind
    excluded = np.isin(kinds, list(NEVER_ENDS | NETWORK_OPERATORS))
    never = np.isin(kinds, list(NEVER_ENDS)) | ft.outside
    to_outside = ft.outside[ft.dst] & ~ft.outside[ft.src]
    release = _existing_mask(ft, HEAT_SUPPLY) & to_outside & ~excluded[ft.src]
    s_act = np.unique(ft.src[release])
    s_qty = _quantities(ft, release, s_act, "src")
    declared = _max_temperature(ft, release, s_act, "src")
    s_temp, s_typ, s_basis = [], [], []
    for k, a in enumerate(s_act.tolist()):
        if not math.isnan(declared[k]):
            s_temp.append(float(declared[k]))
            s_typ.append(False)
            s_basis.append("déclarée")
        else:
            value, what = typical_reject(table.naf[a])
            s_temp.append(value)
            s_typ.append(True)
            s_basis.append(f"typique : {what}")
    # Heat networks: deliver heat or steam to enough actors of the territory.
    delivered = _existing_mask(ft, HEAT_DELIVERED) & ~ft.outside[ft.dst] & (ft.src != ft.dst)
    pairs = np.unique(ft.src[delivered] * ft.n + ft.dst[delivered])
    customers = np.bincount(pairs // ft.n, minlength=ft.n)
    network = (customers >= HEAT_NETWORK_MIN_CUSTOMERS) & ~never
    # Other sinks: what they buy for heat, net of what they pass on (transit is no need).
    buys = _existing_mask(ft, HEAT_DEMAND) & ~ft.outside[ft.dst] & (ft.src != ft.dst)
    buyer = np.zeros(ft.n, dtype=np.bool_)
    buyer[ft.dst[buys]] = True
    buyer &= ~excluded & ~network
    d_act = np.flatnonzero(buyer | network).astype(np.int64)
    d_in = _quantities(ft, buys & (buyer | network)[ft.dst], d_act, "dst")
    resold = _quantities(ft, buys & buyer[ft.src], d_act, "src")
    sold = _quantities(ft, delivered & network[ft.src], d_act, "src")
    is_net = network[d_act]
    d_qty: dict[str, NDArray[np.float64]] = {}
    for fam in _FAMILY_PREFERENCE:
        bought = d_in.get(fam, np.full(len(d_act), np.nan))
        net = bought - np.nan_to_num(resold.get(fam, np.zeros(len(d_act))))
        net = np.where(net > 0, net, np.nan)
        amount = np.where(is_net, sold.get(fam, np.full(len(d_act), np.nan)), net)
        if not np.isnan(amount).all():
            d_qty[fam] = amount
    # A buyer that passes on all it buys is transit: no quantified need left, no sink.
    keep = is_net | ~(_any_quantity(d_in, len(d_act)) & ~_any_quantity(d_qty, len(d_act)))
    d_act = d_act[keep]
    d_qty = {f: v[keep] for f, v in d_qty.items()}
    is_net = is_net[keep]
    declared_need = _max_temperature(ft, _existing_mask(ft, HEAT_DEMAND), d_act, "dst")
    steam = np.zeros(ft.n, dtype=np.bool_)
    steam_flows = _existing_mask(ft, ("vapeur",))
    steam[ft.dst[steam_flows]] = True
    steam[ft.src[steam_flows] * network[ft.src[steam_flows]]] |= network[ft.src[steam_flows]]
    d_temp, d_typ, d_basis = [], [], []
    for k, a in enumerate(d_act.tolist()):
        if not math.isnan(declared_need[k]):
            d_temp.append(float(declared_need[k]))
            d_typ.append(False)
            d_basis.append("réseau de chaleur, déclarée" if is_net[k] else "déclarée")
        else:
            value = typical_need(
                table.naf[a], kind=table.kind[a], steam=bool(steam[a]), network=bool(is_net[k])
            )
            d_temp.append(value)
            d_typ.append(True)
            d_basis.append("réseau de chaleur, typique" if is_net[k] else "typique")
    s_side = _Side(
        s_act,
        s_qty,
        _coords(table, s_act),
        np.asarray(s_temp, dtype=np.float64),
        np.asarray(s_typ, dtype=np.bool_),
        s_basis,
    )
    d_side = _Side(
        d_act,
        d_qty,
        _coords(table, d_act),
        np.asarray(d_temp, dtype=np.float64),
        np.asarray(d_typ, dtype=np.bool_),
        d_basis,
    )
    return s_side, d_side


def _any_quantity(per: dict[str, NDArray[np.float64]], size: int) -> NDArray[np.bool_]:
    """Which actors have a quantity in some family."""
    out = np.zeros(size, dtype=np.bool_)
    for values in per.values():
        out |= ~np.isnan(values)
    return out


def _water_sides(G: nx.MultiDiGraph[str], ft: FlowTable) -> tuple[_Side, _Side]:
    """Treatment plants' releases and companies' water uses (see :func:`water_reuse_candidates`)."""
    table = _actor_table(G)
    receives_wastewater = set(ft.dst[ft.kind_mask(("eaux_usees",))].tolist())
    plants = {
        i
        for i in range(ft.n)
        if not ft.outside[i] and (i in receives_wastewater or table.naf[i] == TREATMENT_NAF)
    }
    to_outside = ft.outside[ft.dst] & ~ft.outside[ft.src]
    release = _existing_mask(ft, WATER_SUPPLY) & to_outside
    release &= np.isin(ft.src, np.asarray(sorted(plants), dtype=np.int64))
    s_act = np.unique(ft.src[release])
    companies = np.asarray(
        [i not in plants and kind == "entreprise" for i, kind in enumerate(table.kind.tolist())],
        dtype=np.bool_,
    )
    users = _existing_mask(ft, WATER_DEMAND) & companies[ft.dst]
    d_act = np.unique(ft.dst[users])
    nan_s, nan_d = np.full(len(s_act), np.nan), np.full(len(d_act), np.nan)
    return (
        _Side(
            s_act,
            _quantities(ft, release, s_act, "src"),
            _coords(table, s_act),
            nan_s,
            np.zeros(len(s_act), np.bool_),
            [""] * len(s_act),
        ),
        _Side(
            d_act,
            _quantities(ft, users, d_act, "dst"),
            _coords(table, d_act),
            nan_d,
            np.zeros(len(d_act), np.bool_),
            [""] * len(d_act),
        ),
    )


def _heat(
    G: nx.MultiDiGraph[str], ft: FlowTable, screen: _Screen, top: int | None
) -> tuple[int, list[Candidate], tuple[_Side, _Side]]:
    sides = _heat_sides(G, ft)
    count, found = _match(
        G, ft, sides, screen, link_kinds=(*HEAT_SUPPLY, "chaleur", "vapeur"), top=top
    )
    return count, found, sides


def _water(
    G: nx.MultiDiGraph[str], ft: FlowTable, screen: _Screen, top: int | None
) -> tuple[int, list[Candidate]]:
    water = _Screen("reutilisation", screen.radius_km, screen.max_km, screen.heat, screen.water)
    return _match(
        G,
        ft,
        _water_sides(G, ft),
        water,
        link_kinds=("reutilisation", "eau_industrielle"),
        top=top,
    )


def _node(actor: str, side: _Side, k: int, energy: float, *, source: bool) -> Node:
    energy = 0.0 if math.isnan(energy) else energy
    return Node(
        actor=str(actor),
        lat=float(side.places.lat[k]),
        lon=float(side.places.lon[k]),
        supply=energy if source else 0.0,
        demand=0.0 if source else energy,
        temperature=float(side.temp[k]),
        is_source=source,
    )


@dataclass(frozen=True)
class _Designed:
    """A designed network before it becomes a model: where it is and what it rests on."""

    key: str  # the ZAE, or the cluster's first actor
    scope: Literal["zae", "voisinage"]
    net: Network
    typical: bool

    def order(self) -> tuple[float, float, str]:
        """Cheapest first, then the larger recoverable heat."""
        cost = self.net.levelised
        return (math.inf if math.isnan(cost) else cost, -self.net.recoverable, self.key)


#: Clusters of more actors than this are not designed as one network (dense spanning tree).
MAX_CLUSTER_ACTORS = 2000


def _network_nodes(
    ft: FlowTable,
    sides: tuple[_Side, _Side],
    screen: _Screen,
    s_arr: NDArray[np.int64],
    d_arr: NDArray[np.int64],
) -> tuple[list[Node], bool] | None:
    """Sources and sinks of a would-be network, those that some source can serve."""
    s, d = sides
    # A sink is served when some source is hot enough, with a heat pump if need be.
    limit = np.maximum(s.temp[s_arr] - screen.heat.temperature_margin, HEAT_PUMP_MAX_C)
    served = d.temp[d_arr] <= limit.max()
    used_s = s_arr[limit >= d.temp[d_arr].min()].tolist()
    givers = {int(s.actors[i]) for i in used_s}
    used_d = [j for j in d_arr[served].tolist() if int(d.actors[j]) not in givers]
    if not used_s or not used_d:  # a site's own heat for its own need is no network
        return None
    e_s, e_d = s.family("energy"), d.family("energy")
    nodes = [_node(ft.nodes[s.actors[i]], s, i, float(e_s[i]), source=True) for i in used_s]
    nodes += [_node(ft.nodes[d.actors[j]], d, j, float(e_d[j]), source=False) for j in used_d]
    typical = bool(s.typical[used_s].any() or d.typical[used_d].any())
    return nodes, typical


def _zae_networks(ft: FlowTable, sides: tuple[_Side, _Side], screen: _Screen) -> list[_Designed]:
    """A network for every ZAE where some source has a lead to some sink (maybe pruned)."""
    s, d = sides
    by_zae_s: dict[str, list[int]] = {}
    for i, zae in enumerate(s.places.zae):
        if zae:
            by_zae_s.setdefault(zae, []).append(i)
    by_zae_d: dict[str, list[int]] = {}
    for j, zae in enumerate(d.places.zae):
        if zae and zae in by_zae_s:
            by_zae_d.setdefault(zae, []).append(j)
    out: list[_Designed] = []
    for zae in sorted(by_zae_d):
        s_arr = np.asarray(by_zae_s[zae], dtype=np.int64)
        d_arr = np.asarray(by_zae_d[zae], dtype=np.int64)
        found = _network_nodes(ft, sides, screen, s_arr, d_arr)
        if found is None:
            continue
        net = design_network(found[0], screen.heat, max_line_cost=screen.max_line_cost)
        out.append(_Designed(zae, "zae", net, found[1]))
    return out


def _cluster_networks(
    ft: FlowTable, sides: tuple[_Side, _Side], screen: _Screen, taken: set[str]
) -> tuple[list[_Designed], list[tuple[str, int]]]:
    """Networks of the clusters of sources and sinks within the radius of each other.

    Only actors with coordinates that no ZAE network takes (``taken``) are clustered; a
    cluster is proposed when, once designed and pruned, it joins actors of different ZAE
    or actors outside any ZAE (the network of one park is the ZAE network's business).
    Returns the networks and the clusters too large to design (first actor, size).
    """
    s, d = sides
    if screen.radius_km <= 0 or not len(s.actors) or not len(d.actors):
        return [], []
    names = np.asarray([str(a) for a in ft.nodes], dtype=object)
    is_taken = np.asarray([n in taken for n in names.tolist()], dtype=np.bool_)
    free_s, free_d = ~is_taken[s.actors], ~is_taken[d.actors]
    lat = np.concatenate(
        [np.where(free_s, s.places.lat, np.nan), np.where(free_d, d.places.lat, np.nan)]
    )
    lon = np.concatenate(
        [np.where(free_s, s.places.lon, np.nan), np.where(free_d, d.places.lon, np.nan)]
    )
    labels = radius_clusters(lat, lon, screen.radius_km)
    ns = len(s.actors)
    points = np.flatnonzero(labels >= 0)
    points = points[np.argsort(labels[points], kind="stable")]
    cuts = np.flatnonzero(np.diff(labels[points])) + 1
    zae_of = [*s.places.zae, *d.places.zae]
    out: list[_Designed] = []
    too_large: list[tuple[str, int]] = []
    for group in np.split(points, cuts):
        s_arr, d_arr = group[group < ns], group[group >= ns] - ns
        if not len(s_arr) or not len(d_arr):
            continue
        if len({zae_of[k] for k in group.tolist()}) == 1 and zae_of[int(group[0])] is not None:
            continue  # one park only
        if len(group) > MAX_CLUSTER_ACTORS:
            actors = np.union1d(s.actors[s_arr], d.actors[d_arr])
            too_large.append((str(names[s.actors[s_arr[0]]]), len(actors)))
            continue
        found = _network_nodes(ft, sides, screen, s_arr, d_arr)
        if found is None:
            continue
        net = design_network(found[0], screen.heat, max_line_cost=screen.max_line_cost)
        zae_by_actor = {str(names[s.actors[i]]): s.places.zae[i] for i in s_arr.tolist()}
        zae_by_actor |= {str(names[d.actors[j]]): d.places.zae[j] for j in d_arr.tolist()}
        members = net.nodes if net.lines else found[0]
        spans = {zae_by_actor[n.actor] for n in members}
        if len(spans) == 1 and None not in spans:
            continue
        out.append(_Designed(found[0][0].actor, "voisinage", net, found[1]))
    return out, too_large


def _actor_zae(G: nx.MultiDiGraph[str]) -> dict[str, str | None]:
    return {str(n): (data.get("zae") or None) for n, data in G.nodes(data=True)}


def _zae_label(G: nx.MultiDiGraph[str], zae: str | None) -> str:
    if zae is None:
        return "hors ZAE"
    return str(G.nodes[zae].get("name") or zae) if zae in G else zae


def _actor_name(G: nx.MultiDiGraph[str], actor: str) -> str:
    return str(G.nodes[actor].get("name") or actor) if actor in G else actor


def _pruned_text(net: Network, G: nx.MultiDiGraph[str], screen: _Screen) -> str:
    if not net.pruned:
        return ""
    threshold = fr_number(screen.max_line_cost or 0.0, 1)
    shown = sorted(net.pruned, key=lambda p: -p[2].cost_per_mwh)[:3]
    parts = [
        f"{_actor_name(G, a)} – {_actor_name(G, b)} "
        + (
            "(ne transporterait rien)"
            if math.isinf(p.cost_per_mwh)
            else f"({fr_number(p.cost_per_mwh, 1)} €/MWh)"
        )
        for a, b, p in shown
    ]
    more = len(net.pruned) - len(shown)
    text = (
        f" {len(net.pruned)} canalisation(s) écartée(s) : leur investissement dépasse "
        f"{threshold} € par MWh transporté sur leur durée de vie (seuil du module Hotmaps) : "
        + ", ".join(parts)
    )
    if more > 0:
        text += f" et {more} autre(s)"
    return text + "."


def _discarded_text(item: _Designed, G: nx.MultiDiGraph[str], screen: _Screen) -> str:
    where = (
        f"{_zae_label(G, item.key)} (ZAE)"
        if item.scope == "zae"
        else f"Voisinage de {_actor_name(G, item.key)}"
    )
    ratios = [p.cost_per_mwh for _, _, p in item.net.pruned]
    finite = [r for r in ratios if math.isfinite(r)]
    text = (
        f"{where} : réseau écarté, chacune de ses canalisations coûterait plus de "
        f"{fr_number(screen.max_line_cost or 0.0, 1)} € par MWh transporté sur sa durée de vie "
        "(seuil du module Hotmaps)"
    )
    if finite:
        text += f" ; la moins chère : {fr_number(min(finite), 1)} €/MWh"
    return text + "."


def _zae_network(
    G: nx.MultiDiGraph[str],
    item: _Designed,
    *,
    ident: str,
    screen: _Screen,
    zaes: list[str | None],
) -> ZaeNetwork:
    net, typical = item.net, item.typical
    if item.scope == "zae":
        name = _zae_label(G, item.key)
        where = f"dans la ZAE {name}"
    else:
        labels = sorted({_zae_label(G, z) for z in zaes if z is not None})
        if any(z is None for z in zaes):
            labels.append("hors ZAE")
        name = f"Voisinage de {_actor_name(G, item.key)} ({', '.join(labels)})"
        where = (
            f"entre voisins à moins de {fr_number(screen.radius_km, 1)} km les uns des autres "
            f"({', '.join(labels)})"
        )
    sources = [n.actor for n in net.nodes if n.is_source]
    sinks = [n.actor for n in net.nodes if not n.is_source]
    edges = [
        NetworkEdge(
            source=net.nodes[line.a].actor,
            target=net.nodes[line.b].actor,
            length_km=rounded(line.length_km, 3),
            flow_mwh=rounded(line.flow, 3),
            peak_mw=rounded(line.peak_mw, 4),
            investment_eur=rounded(line.investment, 0),
        )
        for line in net.lines
    ]
    pruned = [
        PrunedEdge(
            source=a,
            target=b,
            length_km=rounded(p.length_km, 3),
            flow_mwh=rounded(p.flow, 3),
            cost_per_mwh=None if math.isinf(p.cost_per_mwh) else rounded(p.cost_per_mwh, 2),
        )
        for a, b, p in net.pruned
    ]
    levelised = None if math.isnan(net.levelised) else rounded(net.levelised, 2)
    payback = None if math.isnan(net.payback) else rounded(net.payback, 2)
    text = (
        f"Potentielle boucle énergétique {where} : {len(sources)} source(s) de "
        f"chaleur fatale et {len(sinks)} preneur(s) reliés par {fr_number(net.length_km, 1)} km "
        f"de canalisations (arbre couvrant minimal) ; {fr_number(net.recoverable)} MWh/an "
        f"valorisables (flot maximal), {fr_number(net.delivered)} MWh/an livrés après pertes"
    )
    if net.electricity > 0:
        text += f", dont une part relevée par pompe à chaleur ({fr_number(net.electricity)} MWh "
        text += "d'électricité)"
    text += f" ; investissement {fr_number(net.investment)} €"
    if levelised is not None:
        text += f", coût {fr_number(levelised, 1)} €/MWh"
    text += (
        f", retour sur investissement {fr_number(payback, 1)} ans"
        if payback is not None
        else f", pas de retour sur investissement au prix de {fr_number(screen.heat.heat_price)} "
        "€/MWh"
    )
    text += "."
    text += _pruned_text(net, G, screen)
    if typical:
        text += " Certaines températures sont des valeurs typiques de l'activité."
    return ZaeNetwork(
        zae=ident,
        zae_name=name,
        scope=item.scope,
        zaes=sorted({z for z in zaes if z is not None}),
        sources=sources,
        sinks=sinks,
        edges=edges,
        length_km=rounded(net.length_km, 3),
        supply_mwh=rounded(net.supply, 3),
        demand_mwh=rounded(net.demand, 3),
        recoverable_mwh=rounded(net.recoverable, 3),
        losses_mwh=rounded(net.losses, 3),
        delivered_mwh=rounded(net.delivered, 3),
        electricity_mwh=rounded(net.electricity, 3),
        investment_eur=rounded(net.investment, 0),
        levelised_cost=levelised,
        payback_years=payback,
        typical_temperatures=typical,
        pruned=pruned,
        explanation=text,
    )


def _screen_of(  # noqa: PLR0913
    radius_km: float,
    *,
    max_distance_km: float | None,
    heat_price: float,
    electricity_price: float,
    discount_rate: float,
    lifetime_years: int,
    water_price: float,
) -> _Screen:
    _check_radius(radius_km)
    checks = (
        (max_distance_km is None or max_distance_km > 0, "la distance maximale (km)"),
        (heat_price >= 0, "le prix de la chaleur (€/MWh)"),
        (electricity_price >= 0, "le prix de l'électricité (€/MWh)"),
        (0 <= discount_rate < 1, "le taux d'actualisation (entre 0 et 1)"),
        (lifetime_years >= 1, "la durée de vie (années)"),
        (water_price >= 0, "le prix de l'eau (€/m³)"),
    )
    bad = [what for ok, what in checks if not ok]
    if bad:
        msg = f"Valeur impossible pour {', '.join(bad)}."
        raise AnalysisError(msg)
    return _Screen(
        "chaleur",
        radius_km,
        max_distance_km,
        HeatEconomics(
            heat_price=heat_price,
            electricity_price=electricity_price,
            discount_rate=discount_rate,
            lifetime_years=lifetime_years,
        ),
        WaterEconomics(water_price=water_price),
    )


def _assumptions(screen: _Screen) -> list[str]:
    """Every figure the leads rest on, in French."""
    h, w = screen.heat, screen.water
    pruning = (
        "aucune canalisation écartée pour son coût (pas de seuil)"
        if screen.max_line_cost is None
        else (
            f"canalisation écartée si son investissement dépasse "
            f"{fr_number(screen.max_line_cost, 1)} € par MWh transporté sur sa durée de vie "
            "(seuil par défaut du module Hotmaps : 0,5 c€/kWh), puis flot recalculé"
        )
    )
    return [
        *HEAT_SOURCES_FR,
        (
            "Réseaux proposés : par ZAE, et entre voisins à moins de "
            f"{fr_number(screen.radius_km, 1)} km de proche en proche (ZAE différentes ou hors "
            "ZAE, acteurs localisés que n'a pas pris un réseau de ZAE) ; arbre couvrant minimal "
            f"et flot maximal (méthode Hotmaps) ; {pruning}."
        ),
        (
            f"Économie : durée de vie {h.lifetime_years} ans, taux d'actualisation "
            f"{fr_number(100 * h.discount_rate, 1)} %, exploitation "
            f"{fr_number(100 * h.operation_share, 1)} % de l'investissement par an, "
            f"{fr_number(h.full_load_hours)} heures à pleine puissance "
            f"par an, facteur de détour {fr_number(h.detour_factor, 2)}."
        ),
        (
            f"Prix : chaleur actuelle du preneur {fr_number(h.heat_price)} €/MWh, électricité "
            f"{fr_number(h.electricity_price)} €/MWh, eau {fr_number(w.water_price, 2)} €/m³ "
            "(options)."
        ),
        (
            f"Température : liaison directe si la source dépasse le besoin d'au moins "
            f"{fr_number(h.temperature_margin)} °C ; sinon pompe à chaleur jusqu'à "
            f"{fr_number(HEAT_PUMP_MAX_C)} °C ; au-delà, pas de piste."
        ),
        (
            f"Eau : traitement complémentaire {fr_number(w.treatment_per_m3, 2)} €/m³ et "
            f"canalisation {fr_number(w.pipe_per_m)} €/m (hypothèses, ordres de grandeur)."
        ),
        (
            "Puits de chaleur : acteurs qui achètent chaleur, vapeur ou combustible brûlé sur "
            "place, nets de ce qu'ils revendent ; gestionnaires de réseau (transit), extérieur, "
            "ZAE et EPCI exclus, sauf les exploitants de réseau de chaleur (chaleur livrée à au "
            "moins deux acteurs), qui peuvent reprendre la chaleur fatale."
        ),
    ]


def waste_heat_candidates(  # noqa: PLR0913
    G: nx.MultiDiGraph[str],
    *,
    radius_km: float = 5.0,
    top: int | None = None,
    max_distance_km: float | None = None,
    heat_price: float = 60.0,
    electricity_price: float = 150.0,
    discount_rate: float = 0.04,
    lifetime_years: int = 30,
) -> list[Candidate]:
    """Match actors releasing waste heat to the outside with nearby heat needs, costed.

    Sources are actors with existing ``chaleur_fatale`` flows to ``exterieur`` actors
    (waste heat nobody uses). Sinks are actors with a heat need: they buy ``chaleur``,
    ``vapeur`` or a fuel they burn (``gaz_naturel``, ``biogaz``, ``combustible``,
    ``biomasse``), net of what they pass on to others (gas bought by a transmission
    operator is transit, not a need). Network operators (``gestionnaire_reseau``), the
    outside, business parks and EPCI are never sources or sinks, except an operator of a
    heat network (an actor delivering heat or steam to at least two actors of the
    territory), which can take waste heat into its network: its need is the heat it
    delivers. A pair is a lead when both are in the same ZAE or within ``radius_km``
    (great-circle distance), no heat flow already joins them, it is no longer than
    ``max_distance_km``, and the source is hot enough for the need (with a 10 °C margin),
    or a heat pump can lift it (needs up to 150 °C; its electricity is counted).

    Temperatures come from the flows' ``temperature`` column (the highest declared on the
    source's waste heat, on the sink's purchases), otherwise from typical values per
    activity (NAF) and kind of reject (see ``toiles/analysis/_costs.py``): the lead says so.
    Each lead is costed: line length (distance x detour factor), peak power, investment
    (Hotmaps pipe-cost table, exchangers, pump, heat pump), losses, levelised cost of the
    heat delivered (€/MWh) and simple payback against ``heat_price``. Leads are ranked by
    levelised cost (those that cannot be costed last), then by recoverable quantity.

    Parameters
    ----------
    G
        Toile graph.
    radius_km
        Largest distance between two actors outside a common ZAE.
    top
        Candidates returned at most (``None``: all).
    max_distance_km
        Longest lead, ZAE included (``None``: no limit beyond the radius).
    heat_price
        The sink's current price of heat, €/MWh (for the payback).
    electricity_price
        Price of the heat pumps' electricity, €/MWh.
    discount_rate
        Discount rate of the investment (0.04 for 4 %).
    lifetime_years
        Lifetime of the installation, years.

    Returns
    -------
    list of Candidate
        Ranked candidates, each with its temperatures, costs and the reason it is proposed.

    Raises
    ------
    AnalysisError
        When the radius is negative or an economic parameter impossible.

    Notes
    -----
    Quantities of different families are never compared: gas bought in m3 has no
    recoverable quantity against waste heat in MWh (no calorific value is assumed): such
    a lead is listed without cost, after the costed ones. Pairs are screened block by block
    of a grid; once ``top`` leads are held, pairs whose lower bound of cost cannot beat the
    worst of them are not costed.

    References
    ----------
    .. [1] ADEME (2017). La chaleur fatale, édition 2017. https://librairie.ademe.fr/
       energies/3417-chaleur-fatale.html
    .. [2] Hotmaps project (2019). CM Excess heat transport potential (pipe costs,
       exchangers, minimum spanning tree, maximum flow). https://www.hotmaps-project.eu/
    .. [3] Arpagaus, C., Bless, F., Uhlmann, M., Schiffmann, J., & Bertsch, S. S. (2018).
       High temperature heat pumps: market overview, state of the art, research status,
       refrigerants, and application potentials. Energy 152, 985-1010.
       https://doi.org/10.1016/j.energy.2018.03.166
    .. [4] Chertow, M. R. (2000). Industrial symbiosis: literature and taxonomy. Annu. Rev.
       Energy Environ. 25, 313-337. https://doi.org/10.1146/annurev.energy.25.1.313

    Examples
    --------
    The glassworks releases 3,000 MWh; the greenhouses of its ZAE burn 1,500 MWh of gas.
    Neither has a temperature nor a NAF code: the prudent typical values (a 40 °C reject,
    a 90 °C need) call for a heat pump, whose electricity is counted.

    >>> from toiles.synthetic import example_graph
    >>> [c] = waste_heat_candidates(example_graph())
    >>> (c.source, c.target, c.recoverable, c.source_temperature, c.sink_temperature)
    ('verrerie', 'serres', 1500.0, 40.0, 90.0)
    >>> c.typical_temperatures, c.heat_pump, c.cop, c.cost_unit
    (True, True, 3.63, '€/MWh')
    """
    screen = _screen_of(
        radius_km,
        max_distance_km=max_distance_km,
        heat_price=heat_price,
        electricity_price=electricity_price,
        discount_rate=discount_rate,
        lifetime_years=lifetime_years,
        water_price=WaterEconomics().water_price,
    )
    return _heat(G, flow_table(G), screen, top)[1]


def water_reuse_candidates(
    G: nx.MultiDiGraph[str],
    *,
    radius_km: float = 5.0,
    top: int | None = None,
    max_distance_km: float | None = None,
    water_price: float = 2.0,
) -> list[Candidate]:
    """Match wastewater treatment plants' releases with nearby industrial water users.

    Suppliers are treatment plants (NAF 37.00Z, or actors receiving ``eaux_usees``) with
    existing ``rejet`` flows to ``exterieur`` actors; demanders are companies drawing
    ``eau_industrielle``, ``prelevement``, ``eau_refroidissement`` or ``eau_potable``.
    Same matching rules as :func:`waste_heat_candidates`; each lead is costed (pipe,
    complementary treatment, cost per m³, payback against ``water_price``) and the
    candidates are ``reutilisation`` flows.

    References
    ----------
    .. [1] Règlement (UE) 2020/741 relatif aux exigences minimales applicables à la
       réutilisation de l'eau. https://eur-lex.europa.eu/eli/reg/2020/741/oj

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> water_reuse_candidates(example_graph())
    []
    """
    screen = _screen_of(
        radius_km,
        max_distance_km=max_distance_km,
        heat_price=60.0,
        electricity_price=150.0,
        discount_rate=0.04,
        lifetime_years=30,
        water_price=water_price,
    )
    return _water(G, flow_table(G), screen, top)[1]


def candidates_report(  # noqa: PLR0913
    G: nx.MultiDiGraph[str],
    *,
    radius_km: float = 5.0,
    top: int | None = 50,
    max_distance_km: float | None = None,
    heat_price: float = 60.0,
    electricity_price: float = 150.0,
    discount_rate: float = 0.04,
    lifetime_years: int = 30,
    water_price: float = 2.0,
    max_line_cost: float | None = LINE_COST_THRESHOLD_EUR_PER_MWH,
) -> CandidatesResult:
    """Waste-heat and water-reuse leads, costed and ranked, and a network per business park.

    See :func:`waste_heat_candidates` and :func:`water_reuse_candidates` for the leads.
    For every ZAE where some source has a heat lead to some sink, the report proposes a
    network (« potentielle boucle énergétique dans une ZAE »), as the Hotmaps excess-heat
    module does: the minimum spanning tree of the distances between the park's sources and
    sinks, a maximum flow of their recoverable heat along it, each line sized by the heat
    it carries and costed with the same table; total length, investment, energy delivered,
    levelised cost and payback. Sources and sinks with coordinates that no ZAE network
    takes are also clustered (chained within ``radius_km`` of each other), and a cluster
    that joins actors of different ZAE or outside any ZAE gets a network too (``scope``
    ``voisinage``). Every network is pruned as Hotmaps does: a line whose investment per
    MWh it carries over its lifetime exceeds ``max_line_cost`` is removed and the flow
    routed again; ``discarded_networks`` says which networks lost every line, and why.
    ``assumptions`` lists, in French, every figure the costs rest on.

    Parameters
    ----------
    G
        Toile graph.
    radius_km
        Largest distance between two actors outside a common ZAE.
    top
        Leads (and networks) listed at most (``None``: all); counts cover every one.
    max_distance_km, heat_price, electricity_price, discount_rate, lifetime_years
        See :func:`waste_heat_candidates`.
    water_price
        The water users' current price of water, €/m³ (for the payback).
    max_line_cost
        Highest investment of a network's line per MWh it carries over its lifetime, €/MWh
        (default: Hotmaps' 0.5 ct/kWh); ``None``: no pruning.

    Raises
    ------
    AnalysisError
        When the radius is negative, ``top`` below 1, ``max_line_cost`` not positive or an
        economic parameter impossible.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> r = candidates_report(example_graph())
    >>> r.heat_count, r.water_count, r.network_count
    (1, 0, 1)
    >>> r.candidates[0].reason.split(" ; ")[0].replace("\u202f", " ")  # doctest: +ELLIPSIS
    'Verrerie du Nord rejette de la chaleur fatale (3 000 MWh/an, 40 °C typique : rejet ...)'
    >>> r.networks[0].sources, r.networks[0].sinks
    (['verrerie'], ['serres'])
    """
    screen = _screen_of(
        radius_km,
        max_distance_km=max_distance_km,
        heat_price=heat_price,
        electricity_price=electricity_price,
        discount_rate=discount_rate,
        lifetime_years=lifetime_years,
        water_price=water_price,
    )
    if top is not None and top < 1:
        msg = "Le nombre de candidats à lister (top) doit être au moins 1."
        raise AnalysisError(msg)
    if max_line_cost is not None and not (math.isfinite(max_line_cost) and max_line_cost > 0):
        msg = "Le seuil de coût d'une canalisation (€/MWh) doit être un nombre positif."
        raise AnalysisError(msg)
    screen = dataclasses.replace(screen, max_line_cost=max_line_cost)
    ft = flow_table(G)
    heat_count, heat, sides = _heat(G, ft, screen, top)
    water_count, water = _water(G, ft, screen, top)
    listed = heat + water if top is None else (heat + water)[:top]
    listed = [c.model_copy(update={"rank": i}) for i, c in enumerate(listed, start=1)]
    zae_designed = _zae_networks(ft, sides, screen)
    taken = {n.actor for item in zae_designed if item.net.lines for n in item.net.nodes}
    clusters, too_large = _cluster_networks(ft, sides, screen, taken)
    every = zae_designed + clusters
    designed = sorted((item for item in every if item.net.lines), key=_Designed.order)
    discarded = [_discarded_text(item, G, screen) for item in every if not item.net.lines]
    discarded += [
        f"Voisinage de {_actor_name(G, first)} : {fr_number(size)} acteurs à moins de "
        f"{fr_number(radius_km, 1)} km de proche en proche, trop pour un seul réseau (plus de "
        f"{fr_number(MAX_CLUSTER_ACTORS)}) ; réduire le rayon de recherche pour l'étudier."
        for first, size in too_large
    ]
    zae_of = _actor_zae(G)
    networks: list[ZaeNetwork] = []
    n_cluster = 0
    for item in designed if top is None else designed[:top]:
        if item.scope == "voisinage":
            n_cluster += 1
        ident = item.key if item.scope == "zae" else f"voisinage-{n_cluster}"
        zaes = [zae_of.get(n.actor) for n in item.net.nodes]
        networks.append(_zae_network(G, item, ident=ident, screen=screen, zaes=zaes))
    cluster_count = sum(item.scope == "voisinage" for item in designed)
    costed = [c for c in listed if c.levelised_cost is not None and c.kind == "chaleur"]
    typical = sum(c.typical_temperatures for c in listed if c.kind == "chaleur")
    explanation = (
        f"{heat_count} piste(s) de récupération de chaleur fatale et {water_count} piste(s) de "
        f"réutilisation d'eaux usées traitées, dans une même ZAE ou à moins de "
        f"{fr_number(radius_km, 1)} km, classées par coût de la chaleur livrée"
    )
    if costed:
        best = costed[0]
        explanation += (
            f" (la moins chère : {best.source_name} → {best.target_name}, "
            f"{fr_number(best.levelised_cost or 0.0, 1)} €/MWh)"
        )
    explanation += (
        f" ; {len(designed) - cluster_count} boucle(s) énergétique(s) potentielle(s) de ZAE et "
        f"{cluster_count} entre voisins de ZAE différentes ou hors ZAE"
    )
    if max_line_cost is not None:
        explanation += (
            f", sans canalisation de plus de {fr_number(max_line_cost, 1)} € d'investissement "
            "par MWh transporté sur sa durée de vie (seuil Hotmaps)"
        )
    explanation += "."
    if discarded:
        explanation += f" {len(discarded)} réseau(x) écarté(s) (voir discarded_networks)."
    if typical:
        explanation += (
            f" {typical} piste(s) listée(s) reposent sur des températures typiques de "
            "l'activité (rapport ADEME 2017), à vérifier."
        )
    explanation += (
        f" Hypothèses : prix de la chaleur {fr_number(heat_price)} €/MWh, taux "
        f"d'actualisation {fr_number(100 * discount_rate, 1)} %, durée de vie "
        f"{lifetime_years} ans, coûts de canalisation Hotmaps."
    )
    return CandidatesResult(
        **toile_ref(G),
        explanation=explanation,
        radius_km=radius_km,
        max_distance_km=max_distance_km,
        heat_price=heat_price,
        electricity_price=electricity_price,
        discount_rate=discount_rate,
        lifetime_years=lifetime_years,
        heat_count=heat_count,
        water_count=water_count,
        max_line_cost=max_line_cost,
        network_count=len(designed),
        cluster_count=cluster_count,
        discarded_networks=discarded,
        candidates=listed,
        networks=networks,
        assumptions=_assumptions(screen),
    )


def apply_candidates(toile: Toile, candidates: Iterable[Candidate], *, version: str) -> Toile:
    """Write candidates back as ``potentiel`` flows, in a new version of the toile.

    Each candidate becomes a flow of kind ``chaleur_fatale`` or ``reutilisation`` from the
    supplier to the demander, with the recoverable quantity (in the family's base unit)
    when known, status ``potentiel`` and the candidate's reason as notes. Flow ids are
    derived with :func:`toiles.models.flow.flow_id`, made unique against existing flows.

    Raises
    ------
    AnalysisError
        When the new version has the same name as the toile's.

    Examples
    --------
    >>> from toiles.synthetic import example_toile, example_graph
    >>> t = apply_candidates(example_toile(), waste_heat_candidates(example_graph()),
    ...                      version="T1")
    >>> f = t.flows[-1]
    >>> t.version, f.source, f.target, f.kind.value, f.quantity, f.unit, f.status.value
    ('T1', 'verrerie', 'serres', 'chaleur_fatale', 1500.0, 'MWh', 'potentiel')
    """
    if version == toile.version:
        msg = f"La nouvelle version doit porter un autre nom que « {toile.version} »."
        raise AnalysisError(msg)
    used = {f.id for f in toile.flows}
    new: list[Flow] = []
    for c in candidates:
        occurrence = 1
        ident = flow_id(c.source, c.target, c.flow_kind, None, occurrence)
        while ident in used:
            occurrence += 1
            ident = flow_id(c.source, c.target, c.flow_kind, None, occurrence)
        used.add(ident)
        new.append(
            Flow(
                id=ident,
                source=c.source,
                target=c.target,
                kind=FlowKind(c.flow_kind),
                quantity=c.recoverable,
                unit=c.unit if c.recoverable is not None else None,
                status=Status.POTENTIEL,
                provenance="toiles analyse --report candidates",
                notes=c.reason,
            )
        )
    data = toile.model_dump(exclude={"flows", "version"})
    return type(toile).model_validate({**data, "version": version, "flows": [*toile.flows, *new]})
