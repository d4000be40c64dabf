"""Shared pieces of the analysis reports: result base, backend choice, flow tables, checks."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from toiles.errors import ActorNotFound, AnalysisError
from toiles.models.units import BASE_UNITS
from toiles.models.vocab import ActorKind, FlowKind, UnitFamily, closest
from toiles.settings import get_settings
from toiles.text import format_number, format_percent

if TYPE_CHECKING:
    from collections.abc import Iterable

    import networkx as nx
    from numpy.typing import NDArray

#: Which library computes a report: chosen by size with ``"auto"``.
Backend = Literal["auto", "networkx", "igraph"]
#: Unit family names, as they appear on the graph's edges.
FamilyName = Literal["energy", "volume", "mass", "power", "count", "money"]

OUTSIDE = ActorKind.EXTERIEUR.value

#: French names of unit families with their base unit, for explanations.
FAMILY_FR: dict[str, str] = {
    "energy": "énergie",
    "volume": "volume",
    "mass": "masse",
    "power": "puissance",
    "count": "nombre",
    "money": "montant",
}


#: Integer codes of unit families and flow kinds in :class:`FlowTable`.
FAMILIES: tuple[str, ...] = tuple(f.value for f in UnitFamily)
FAMILY_CODE: dict[str | None, int] = {f: i for i, f in enumerate(FAMILIES)}
KINDS: tuple[str, ...] = tuple(k.value for k in FlowKind)
KIND_CODE: dict[str | None, int] = {k: i for i, k in enumerate(KINDS)}


_SUGGEST_MAX = 50_000  # above, no "did you mean" (it compares every id)


def base_unit(family: str) -> str:
    """Return the base unit of a unit family (``"energy"`` -> ``"MWh"``)."""
    return BASE_UNITS[UnitFamily(family)]


class ReportResult(BaseModel):
    """Common fields of every report result: which report, on which toile version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    report: str
    toile_id: str | None = None
    version: str | None = None
    explanation: str = ""


def toile_ref(G: nx.MultiDiGraph[str]) -> dict[str, str | None]:
    """Return the ``toile_id`` and ``version`` fields of a result, read from ``G.graph``."""
    toile_id = G.graph.get("id")
    version = G.graph.get("version")
    return {
        "toile_id": None if toile_id is None else str(toile_id),
        "version": None if version is None else str(version),
    }


def resolve_backend(G: nx.MultiDiGraph[str], backend: Backend) -> Literal["networkx", "igraph"]:
    """Pick the backend: igraph above ``get_settings().igraph_threshold`` actors with ``auto``."""
    if backend == "auto":
        return "igraph" if G.number_of_nodes() > get_settings().igraph_threshold else "networkx"
    if backend not in {"networkx", "igraph"}:
        msg = (
            f"moteur de calcul inconnu « {backend} » (valeurs possibles : auto, networkx, igraph)."
        )
        raise AnalysisError(msg)
    return backend


def is_outside(data: dict[str, object]) -> bool:
    """Tell whether node attributes describe an ``exterieur`` actor."""
    return data.get("kind") == OUTSIDE


def check_actors(G: nx.MultiDiGraph[str], actors: Iterable[str]) -> list[str]:
    """Return the actor ids, or raise :class:`ActorNotFound` naming the first unknown one."""
    ids = list(dict.fromkeys(actors))
    for actor in ids:
        if actor not in G:
            small = G.number_of_nodes() < _SUGGEST_MAX
            hint = closest(actor, [str(n) for n in G]) if small else None
            suggestion = f" (vouliez-vous dire « {hint} » ?)" if hint else ""
            msg = f"L'acteur « {actor} » n'existe pas dans cette toile{suggestion}."
            raise ActorNotFound(msg)
    return ids


def check_family(family: str | None) -> str | None:
    """Validate a unit family name (``None`` passes through)."""
    if family is None:
        return None
    if family not in FAMILY_FR:
        msg = (
            f"famille d'unités inconnue « {family} » (valeurs possibles : {', '.join(FAMILY_FR)})."
        )
        raise AnalysisError(msg)
    return family


def actor_name(G: nx.MultiDiGraph[str], actor: str) -> str:
    """Return an actor's name, or its id when it has none."""
    name = G.nodes[actor].get("name")
    return str(actor) if name in (None, "") else str(name)


def rounded(value: float, digits: int = 6) -> float:
    """Round a figure for results (stable JSON, no float noise)."""
    if not math.isfinite(value):
        return value
    return round(value, digits)


@dataclass(frozen=True)
class FlowTable:
    """The flows of a graph as parallel arrays, for vectorised analyses.

    ``src``/``dst`` index ``nodes``; ``data`` holds each flow's attribute dictionary, from
    which the other columns are read on first use (``qty`` is ``quantity_base``, NaN when
    missing).
    """

    nodes: list[str]
    index: dict[str, int]
    outside: NDArray[np.bool_]
    keys: list[str]
    src: NDArray[np.int64]
    dst: NDArray[np.int64]
    data: list[dict[str, Any]]

    @property
    def n(self) -> int:
        """Number of actors."""
        return len(self.nodes)

    @functools.cached_property
    def qty(self) -> NDArray[np.float64]:
        """Quantity of each flow in its family's base unit (NaN when missing)."""
        nan = math.nan
        values = [nan if (q := d.get("quantity_base")) is None else q for d in self.data]
        return np.asarray(values, dtype=np.float64)

    @functools.cached_property
    def family(self) -> list[str | None]:
        """Unit family of each flow."""
        return [d.get("family") for d in self.data]

    @functools.cached_property
    def kind(self) -> list[str]:
        """Flow kind of each flow."""
        return [str(d.get("kind")) for d in self.data]

    @functools.cached_property
    def status(self) -> list[str]:
        """Status of each flow (``existant`` when missing)."""
        return [str(d.get("status") or "existant") for d in self.data]

    @functools.cached_property
    def fam_code(self) -> NDArray[np.int8]:
        """Index of each flow's family in :data:`FAMILIES` (-1 without family)."""
        code = FAMILY_CODE.get
        return np.asarray([code(d.get("family"), -1) for d in self.data], dtype=np.int8)

    @functools.cached_property
    def kind_code(self) -> NDArray[np.int16]:
        """Index of each flow's kind in :data:`KINDS` (-1 when unknown)."""
        code = KIND_CODE.get
        return np.asarray([code(d.get("kind"), -1) for d in self.data], dtype=np.int16)

    def family_mask(self, family: str) -> NDArray[np.bool_]:
        """Boolean mask of the flows of one unit family."""
        return np.asarray(self.fam_code == FAMILY_CODE.get(family, -2), dtype=np.bool_)

    def kind_mask(self, kinds: Iterable[str]) -> NDArray[np.bool_]:
        """Boolean mask of the flows of some flow kinds."""
        codes = [KIND_CODE[k] for k in kinds if k in KIND_CODE]
        return np.isin(self.kind_code, np.asarray(codes, dtype=np.int16))


def weighted_count(
    index: NDArray[np.int64], weights: NDArray[np.float64], size: int
) -> NDArray[np.float64]:
    """Sum of ``weights`` per value of ``index`` (``np.bincount`` typed as floats)."""
    return np.asarray(np.bincount(index, weights=weights, minlength=size), dtype=np.float64)


def flow_table(G: nx.MultiDiGraph[str]) -> FlowTable:
    """Read every flow of ``G`` once into a :class:`FlowTable`."""
    nodes = list(G.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    outside = np.fromiter(
        (d.get("kind") == OUTSIDE for _, d in G.nodes(data=True)), dtype=np.bool_, count=len(nodes)
    )
    keys: list[str] = []
    src: list[int] = []
    dst: list[int] = []
    data: list[dict[str, Any]] = []
    for u, nbrs in G.adjacency():
        iu = index[u]
        for v, keydict in nbrs.items():
            iv = index[v]
            for k, d in keydict.items():
                keys.append(k)
                src.append(iu)
                dst.append(iv)
                data.append(d)
    return FlowTable(
        nodes=nodes,
        index=index,
        outside=outside,
        keys=keys,
        src=np.asarray(src, dtype=np.int64),
        dst=np.asarray(dst, dtype=np.int64),
        data=data,
    )


def haversine_km(
    lat1: float | NDArray[np.float64],
    lon1: float | NDArray[np.float64],
    lat2: float | NDArray[np.float64],
    lon2: float | NDArray[np.float64],
) -> NDArray[np.float64]:
    """Great-circle distance in km (haversine formula, mean Earth radius 6371.0088 km).

    Examples
    --------
    >>> round(float(haversine_km(50.0, 2.0, 50.0, 3.0)), 1)
    71.5
    """
    radius = 6371.0088
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2.0) ** 2
    return np.asarray(2.0 * radius * np.arcsin(np.sqrt(np.minimum(a, 1.0))), dtype=np.float64)


def fr_number(value: float, digits: int = 0) -> str:
    """Write a number the French way, as everywhere in the package (:mod:`toiles.text`).

    Examples
    --------
    >>> fr_number(25200.5, 1).replace("\u202f", " ")
    '25 200,5'
    """
    return format_number(value, digits=digits)


def fr_percent(share: float, digits: int = 1) -> str:
    """Write a share as a French percentage (:func:`toiles.text.format_percent`).

    Examples
    --------
    >>> fr_percent(0.11409).replace("\u202f", " ")
    '11,4 %'
    """
    return format_percent(share, digits=digits)
