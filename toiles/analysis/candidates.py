"""Potential loops: waste heat and treated wastewater that a neighbour could use."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

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
from toiles.errors import AnalysisError
from toiles.models.flow import Flow, flow_id
from toiles.models.vocab import FlowKind, Status

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import networkx as nx
    from numpy.typing import NDArray

    from toiles.models.toile import Toile

    _Pairs = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]

__all__ = [
    "Candidate",
    "CandidatesResult",
    "apply_candidates",
    "candidates_report",
    "waste_heat_candidates",
    "water_reuse_candidates",
]

HEAT_SUPPLY = ("chaleur_fatale",)
HEAT_DEMAND = ("chaleur", "vapeur", "gaz_naturel")
WATER_SUPPLY = ("rejet",)
WATER_DEMAND = ("eau_industrielle", "prelevement", "eau_refroidissement", "eau_potable")
TREATMENT_NAF = "37.00Z"
_FAMILY_PREFERENCE = ("energy", "volume", "mass", "power", "count", "money")


class Candidate(BaseModel):
    """A potential flow: a resource released unused that a nearby actor could take."""

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
    reason: str


class CandidatesResult(ReportResult):
    """Result of :func:`candidates_report`."""

    report: str = "candidates"
    radius_km: float
    heat_count: int
    water_count: int
    candidates: list[Candidate]


def _check_radius(radius_km: float) -> None:
    if not math.isfinite(radius_km) or radius_km < 0:
        msg = f"Le rayon de recherche doit être un nombre positif de kilomètres (reçu {radius_km})."
        raise AnalysisError(msg)


def _per_actor(
    ft: FlowTable, mask: NDArray[np.bool_], *, by: Literal["src", "dst"]
) -> tuple[NDArray[np.int64], dict[str, NDArray[np.float64]]]:
    """Actors with selected flows, and their quantity per unit family (NaN when none)."""
    ends = ft.src if by == "src" else ft.dst
    sel = np.flatnonzero(mask)
    actors = np.unique(ends[sel])
    pos = np.searchsorted(actors, ends[sel])
    per: dict[str, NDArray[np.float64]] = {}
    qty = ft.qty[sel]
    codes = ft.fam_code[sel]
    for family in _FAMILY_PREFERENCE:
        fmask = (codes == FAMILIES.index(family)) & ~np.isnan(qty)
        if not fmask.any():
            continue
        total = np.bincount(pos[fmask], weights=qty[fmask], minlength=len(actors))
        present = np.bincount(pos[fmask], minlength=len(actors)) > 0
        per[family] = np.where(present, total, np.nan)
    return actors, per


def _existing_mask(ft: FlowTable, kinds: Iterable[str]) -> NDArray[np.bool_]:
    existing = np.asarray([s == "existant" for s in ft.status], dtype=np.bool_)
    return existing & ft.kind_mask(kinds)


def _coords(G: nx.MultiDiGraph[str], ft: FlowTable, actors: NDArray[np.int64]) -> _Places:
    lat, lon, zae = [], [], []
    for i in actors.tolist():
        data = G.nodes[ft.nodes[i]]
        lat.append(_coord(data.get("lat")))
        lon.append(_coord(data.get("lon")))
        zae.append(data.get("zae") or None)
    return _Places(np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64), zae)


@dataclass(frozen=True)
class _Places:
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    zae: list[str | None]


_EARTH_KM = 6371.0088


def _unit_vectors(places: _Places) -> NDArray[np.float64]:
    lat, lon = np.radians(places.lat), np.radians(places.lon)
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _spatial_blocks(sp: _Places, dp: _Places, radius_km: float) -> Iterator[_Pairs]:
    """Supplier/demander pairs within the radius, block by block of a radius-wide grid.

    Two points are within ``r`` of each other on the sphere exactly when the dot product of
    their unit vectors is at least ``cos(r / R)``: one matrix product per block.
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
        yield s_arr, d_arr, s_xyz[s_arr] @ d_xyz[d_arr].T >= limit


def _zae_blocks(sp: _Places, dp: _Places, radius_km: float) -> Iterator[_Pairs]:
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
        dot = s_xyz[s_arr] @ d_xyz[d_arr].T
        near = (dot >= limit) if radius_km > 0 else np.zeros(dot.shape, dtype=np.bool_)
        yield s_arr, d_arr, ~near  # NaN dots (no point) compare False: kept


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
        """Recoverable quantity a pair needs to enter a full pool (-inf while not full)."""
        if self.top is None or len(self.cols["rec"]) < self.top:
            return -math.inf
        last = float(self.cols["rec"][-1])
        return -math.inf if math.isnan(last) else last


def _ranking(cols: dict[str, NDArray[Any]], id_rank: NDArray[np.int64]) -> NDArray[np.int64]:
    rec, km = cols["rec"], cols["km"]
    return np.lexsort(
        (
            id_rank[cols["dst"]],
            id_rank[cols["src"]],
            np.where(np.isnan(km), np.inf, km),
            np.where(np.isnan(rec), np.inf, -rec),
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


def _match(  # noqa: PLR0913
    G: nx.MultiDiGraph[str],
    ft: FlowTable,
    supplies: tuple[NDArray[np.int64], dict[str, NDArray[np.float64]]],
    demands: tuple[NDArray[np.int64], dict[str, NDArray[np.float64]]],
    *,
    radius_km: float,
    kind: Literal["chaleur", "reutilisation"],
    link_kinds: Iterable[str],
    top: int | None,
) -> tuple[int, list[Candidate]]:
    """Pair each supplier with the demanders of the same ZAE or within the radius.

    Returns the number of pairs and the ``top`` best as candidates. Pairs are scored block
    by block and only those that can still enter the ``top`` are kept, so the memory stays
    that of the answer, whatever the number of pairs.
    """
    s_act, s_q = supplies
    d_act, d_q = demands
    if not len(s_act) or not len(d_act):
        return 0, []
    sp, dp = _coords(G, ft, s_act), _coords(G, ft, d_act)
    link = ft.kind_mask(link_kinds)
    linked = np.unique(ft.src[link] * ft.n + ft.dst[link])
    names = np.asarray([str(n) for n in ft.nodes], dtype=object)
    id_rank = np.empty(ft.n, dtype=np.int64)
    id_rank[np.argsort(names, kind="stable")] = np.arange(ft.n)
    empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0)
    pool = _Pool(
        top,
        {
            "src": empty_i,
            "dst": empty_i,
            "fam": empty_i,
            "sup": empty_f,
            "dem": empty_f,
            "rec": empty_f,
            "km": empty_f,
        },
    )
    s_best = _best(s_q, len(s_act))
    d_best = _best(d_q, len(d_act))
    count = -_self_pairs((s_act, sp), (d_act, dp), radius_km)
    blocks = itertools.chain(_spatial_blocks(sp, dp, radius_km), _zae_blocks(sp, dp, radius_km))
    for s_arr, d_arr, near in blocks:
        count += int(near.sum())
        tau = pool.threshold()
        rows_ok = s_best[s_arr] >= tau
        cols_ok = d_best[d_arr] >= tau
        if not rows_ok.any() or not cols_ok.any():
            continue
        hit_s, hit_d = np.nonzero(near[rows_ok][:, cols_ok])
        ps, pd = s_arr[rows_ok][hit_s], d_arr[cols_ok][hit_d]
        src, dst = s_act[ps], d_act[pd]
        fresh = src != dst
        if len(linked):
            fresh &= ~np.isin(src * ft.n + dst, linked)
        ps, pd, src, dst = ps[fresh], pd[fresh], src[fresh], dst[fresh]
        if not len(ps):
            continue
        fam, sup, dem, rec = _scores(ps, pd, s_q, d_q)
        km = haversine_km(sp.lat[ps], sp.lon[ps], dp.lat[pd], dp.lon[pd])
        part = {"src": src, "dst": dst, "fam": fam, "sup": sup, "dem": dem, "rec": rec, "km": km}
        pool.add(part, id_rank)
    count -= _linked_candidates(linked, (s_act, sp), (d_act, dp), ft.n, radius_km)
    cols = pool.cols
    order = _ranking(cols, id_rank)
    if top is not None:
        order = order[:top]
    out: list[Candidate] = []
    for rank, k in enumerate(order.tolist(), start=1):
        fam_code = int(cols["fam"][k])
        out.append(
            _candidate(
                G,
                rank=rank,
                kind=kind,
                source=ft.nodes[int(cols["src"][k])],
                target=ft.nodes[int(cols["dst"][k])],
                family=None if fam_code < 0 else FAMILIES[fam_code],
                quantities=(_num(cols["sup"][k]), _num(cols["dem"][k]), _num(cols["rec"][k])),
                distance=_num(cols["km"][k]),
            )
        )
    return count, out


def _self_pairs(
    suppliers: tuple[NDArray[np.int64], _Places],
    demanders: tuple[NDArray[np.int64], _Places],
    radius_km: float,
) -> int:
    """Actors both supplier and demander: the blocks pair each of them with itself once."""
    (s_act, sp), (d_act, dp) = suppliers, demanders
    both, i, j = np.intersect1d(s_act, d_act, return_indices=True)
    del both
    located = ~np.isnan(sp.lat[i]) if radius_km > 0 else np.zeros(len(i), dtype=np.bool_)
    zoned = np.asarray([bool(sp.zae[k]) for k in i.tolist()], dtype=np.bool_)
    del j, dp
    return int((located | zoned).sum())


def _best(per: dict[str, NDArray[np.float64]], size: int) -> NDArray[np.float64]:
    """Largest quantity of each actor over families (-inf when it has none)."""
    best = np.full(size, -math.inf)
    for values in per.values():
        best = np.fmax(best, np.where(np.isnan(values), -math.inf, values))
    return best


def _linked_candidates(
    linked: NDArray[np.int64],
    suppliers: tuple[NDArray[np.int64], _Places],
    demanders: tuple[NDArray[np.int64], _Places],
    n: int,
    radius_km: float,
) -> int:
    """Number of pairs already joined by a flow that the ZAE or radius rule would propose."""
    (s_act, sp), (d_act, dp) = suppliers, demanders
    if not len(linked):
        return 0
    src, dst = linked // n, linked % n
    i = np.minimum(np.searchsorted(s_act, src), len(s_act) - 1)
    j = np.minimum(np.searchsorted(d_act, dst), len(d_act) - 1)
    ok = (s_act[i] == src) & (d_act[j] == dst) & (src != dst)
    i, j = i[ok], j[ok]
    km = haversine_km(sp.lat[i], sp.lon[i], dp.lat[j], dp.lon[j])
    s_zae = np.asarray([sp.zae[k] or "" for k in i.tolist()], dtype=object)
    d_zae = np.asarray([dp.zae[k] or "" for k in j.tolist()], dtype=object)
    same = (s_zae == d_zae) & (s_zae != "")
    near = ~np.isnan(km) & (km <= radius_km) if radius_km > 0 else np.zeros(len(km), bool)
    return int((same | near).sum())


def _num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _coord(value: object) -> float:
    return float(value) if isinstance(value, int | float) else math.nan


def _candidate(  # noqa: PLR0913
    G: nx.MultiDiGraph[str],
    *,
    rank: int,
    kind: Literal["chaleur", "reutilisation"],
    source: str,
    target: str,
    family: str | None,
    quantities: tuple[float | None, float | None, float | None],
    distance: float | None,
) -> Candidate:
    supply, demand, recoverable = quantities
    s_data, t_data = G.nodes[source], G.nodes[target]
    s_name = str(s_data.get("name") or source)
    t_name = str(t_data.get("name") or target)
    zae = s_data.get("zae")
    same = bool(zae) and zae == t_data.get("zae")
    unit = None if family is None else base_unit(family)
    where = [f"dans la même ZAE ({zae})"] if same else []
    if distance is not None:
        where.append(f"à {fr_number(distance, 1)} km")
    if kind == "chaleur":
        what = f"{s_name} rejette de la chaleur fatale"
        need = f"{t_name} achète de la chaleur, de la vapeur ou du gaz"
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
    return Candidate(
        rank=rank,
        kind=kind,
        flow_kind="chaleur_fatale" if kind == "chaleur" else "reutilisation",
        source=str(source),
        source_name=s_name,
        target=str(target),
        target_name=t_name,
        family=family,
        unit=unit,
        supply=None if supply is None else rounded(supply),
        demand=None if demand is None else rounded(demand),
        recoverable=None if recoverable is None else rounded(recoverable),
        distance_km=None if distance is None else rounded(distance, 3),
        same_zae=same,
        zae=str(zae) if same else None,
        reason=reason,
    )


def _heat(
    G: nx.MultiDiGraph[str], ft: FlowTable, radius_km: float, top: int | None
) -> tuple[int, list[Candidate]]:
    to_outside = ft.outside[ft.dst] & ~ft.outside[ft.src]
    supplies = _per_actor(ft, _existing_mask(ft, HEAT_SUPPLY) & to_outside, by="src")
    demand_mask = _existing_mask(ft, HEAT_DEMAND) & ~ft.outside[ft.dst]
    demands = _per_actor(ft, demand_mask, by="dst")
    return _match(
        G,
        ft,
        supplies,
        demands,
        radius_km=radius_km,
        kind="chaleur",
        link_kinds=(*HEAT_SUPPLY, "chaleur", "vapeur"),
        top=top,
    )


def _water(
    G: nx.MultiDiGraph[str], ft: FlowTable, radius_km: float, top: int | None
) -> tuple[int, list[Candidate]]:
    receives_wastewater = set(ft.dst[ft.kind_mask(("eaux_usees",))].tolist())
    plants = {
        i
        for i in range(ft.n)
        if not ft.outside[i]
        and (i in receives_wastewater or G.nodes[ft.nodes[i]].get("naf") == TREATMENT_NAF)
    }
    to_outside = ft.outside[ft.dst] & ~ft.outside[ft.src]
    release = _existing_mask(ft, WATER_SUPPLY) & to_outside
    release &= np.isin(ft.src, np.asarray(sorted(plants), dtype=np.int64))
    supplies = _per_actor(ft, release, by="src")
    companies = np.asarray(
        [
            i not in plants and G.nodes[node].get("kind") == "entreprise"
            for i, node in enumerate(ft.nodes)
        ],
        dtype=np.bool_,
    )
    users = _existing_mask(ft, WATER_DEMAND) & companies[ft.dst]
    demands = _per_actor(ft, users, by="dst")
    return _match(
        G,
        ft,
        supplies,
        demands,
        radius_km=radius_km,
        kind="reutilisation",
        link_kinds=("reutilisation", "eau_industrielle"),
        top=top,
    )


def waste_heat_candidates(
    G: nx.MultiDiGraph[str], *, radius_km: float = 5.0, top: int | None = None
) -> list[Candidate]:
    """Match actors releasing waste heat to the outside with nearby heat buyers.

    Suppliers are actors with existing ``chaleur_fatale`` flows to ``exterieur`` actors
    (waste heat nobody uses); demanders are actors buying ``chaleur``, ``vapeur`` or
    ``gaz_naturel`` (gas burnt for heat). A pair is a candidate when both are in the same
    ZAE or within ``radius_km`` of each other (great-circle distance), unless a heat flow
    already joins them. Candidates are ranked by recoverable quantity (the smaller of
    supply and demand, in a common unit family), then by distance.

    Parameters
    ----------
    G
        Toile graph.
    radius_km
        Largest distance between two actors outside a common ZAE.
    top
        Candidates returned at most (``None``: all).

    Returns
    -------
    list of Candidate
        Ranked candidates, each with the reason it is proposed.

    Raises
    ------
    AnalysisError
        When the radius is negative.

    Notes
    -----
    Quantities of different families are never compared: gas bought in m3 has no
    recoverable quantity against waste heat in MWh (no calorific value is assumed), and
    ranks after the quantified pairs. Distances use the haversine formula.

    References
    ----------
    .. [1] ADEME (2017). La chaleur fatale, édition 2017. https://librairie.ademe.fr/
       energies/3417-chaleur-fatale.html
    .. [2] Chertow, M. R. (2000). Industrial symbiosis: literature and taxonomy. Annu. Rev.
       Energy Environ. 25, 313-337. https://doi.org/10.1146/annurev.energy.25.1.313

    Examples
    --------
    The glassworks releases 3,000 MWh; the greenhouses of its ZAE burn 1,500 MWh of gas,
    so 1,500 MWh could be recovered. Everyone else is more than 5 km away.

    >>> from toiles.synthetic import example_graph
    >>> [(c.source, c.target, c.recoverable) for c in waste_heat_candidates(example_graph())]
    [('verrerie', 'serres', 1500.0)]
    >>> len(waste_heat_candidates(example_graph(), radius_km=10))
    4
    """
    _check_radius(radius_km)
    return _heat(G, flow_table(G), radius_km, top)[1]


def water_reuse_candidates(
    G: nx.MultiDiGraph[str], *, radius_km: float = 5.0, top: int | None = None
) -> list[Candidate]:
    """Match wastewater treatment plants' releases with nearby industrial water users.

    Suppliers are treatment plants (NAF 37.00Z, or actors receiving ``eaux_usees``) with
    existing ``rejet`` flows to ``exterieur`` actors; demanders are companies drawing
    ``eau_industrielle``, ``prelevement``, ``eau_refroidissement`` or ``eau_potable``.
    Same matching and ranking rules as :func:`waste_heat_candidates`; each candidate is a
    ``reutilisation`` flow.

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
    _check_radius(radius_km)
    return _water(G, flow_table(G), radius_km, top)[1]


def candidates_report(
    G: nx.MultiDiGraph[str], *, radius_km: float = 5.0, top: int | None = 50
) -> CandidatesResult:
    """Waste-heat and water-reuse candidates of a toile, ranked (see the two functions).

    Parameters
    ----------
    G
        Toile graph.
    radius_km
        Largest distance between two actors outside a common ZAE.
    top
        Candidates listed at most (``None``: all); counts cover every candidate.

    Raises
    ------
    AnalysisError
        When the radius is negative or ``top`` below 1.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> r = candidates_report(example_graph())
    >>> r.heat_count, r.water_count, r.candidates[0].reason.split(" ; ")[0].replace("\u202f", " ")
    (1, 0, 'Verrerie du Nord rejette de la chaleur fatale (3 000 MWh/an)')
    """
    _check_radius(radius_km)
    if top is not None and top < 1:
        msg = "Le nombre de candidats à lister (top) doit être au moins 1."
        raise AnalysisError(msg)
    ft = flow_table(G)
    heat_count, heat = _heat(G, ft, radius_km, top)
    water_count, water = _water(G, ft, radius_km, top)
    merged = sorted(
        heat + water,
        key=lambda c: (
            -(c.recoverable if c.recoverable is not None else -1.0),
            c.distance_km if c.distance_km is not None else math.inf,
            c.source,
            c.target,
        ),
    )
    listed = merged if top is None else merged[:top]
    listed = [c.model_copy(update={"rank": i}) for i, c in enumerate(listed, start=1)]
    explanation = (
        f"{heat_count} piste(s) de récupération de chaleur fatale et {water_count} piste(s) de "
        f"réutilisation d'eaux usées traitées, dans une même ZAE ou à moins de "
        f"{fr_number(radius_km, 1)} km."
    )
    return CandidatesResult(
        **toile_ref(G),
        explanation=explanation,
        radius_km=radius_km,
        heat_count=heat_count,
        water_count=water_count,
        candidates=listed,
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
