"""Gaps of a toile: resources leaving unused, and imports a local actor could supply."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

from toiles.analysis._common import (
    FAMILIES,
    FAMILY_FR,
    ReportResult,
    actor_name,
    base_unit,
    flow_table,
    fr_number,
    haversine_km,
    rounded,
    toile_ref,
)
from toiles.models.vocab import FLOW_KINDS, FlowKind, label

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GapsResult", "Substitution", "UnusedOutput", "gaps_report"]

UNUSED_KINDS = ("sous_produit", "dechets", "chaleur_fatale")
MAX_SUPPLIERS = 5


class UnusedOutput(BaseModel):
    """A by-product, waste or waste heat leaving the territory unused."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flow: str
    actor: str
    name: str
    kind: str
    to: str
    quantity: float | None
    unit: str | None
    family: str | None
    quantity_base: float | None
    reason: str


class Substitution(BaseModel):
    """An import of a kind that actors of the territory also supply."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flow: str
    importer: str
    importer_name: str
    kind: str
    family: str | None
    quantity_base: float | None
    local_suppliers: list[str]
    local_supplier_count: int
    reason: str


class GapsResult(ReportResult):
    """Result of :func:`gaps_report`."""

    report: str = "gaps"
    unused: list[UnusedOutput]
    unused_totals: dict[str, dict[str, float]]
    substitutions: list[Substitution]
    substitution_totals: dict[str, dict[str, float]]


def _sort_key(quantity: float | None, family: str | None, ident: str) -> tuple[int, float, str]:
    rank = FAMILIES.index(family) if family in FAMILIES else len(FAMILIES)
    return (rank, -(quantity if quantity is not None else -1.0), ident)


def gaps_report(G: nx.MultiDiGraph[str]) -> GapsResult:
    """List the resources a toile lets go and the imports it could replace locally.

    Unused resources are existing flows of by-products (``sous_produit``), waste
    (``dechets``) and waste heat (``chaleur_fatale``) from an actor of the territory to an
    ``exterieur`` actor. Local substitution potential: existing imports (from an
    ``exterieur`` actor) of a flow kind that another actor of the territory already
    supplies (an existing outgoing flow of that kind); the nearest suppliers are named.
    Totals are per flow kind and unit family, in base units.

    Parameters
    ----------
    G
        Toile graph.

    Returns
    -------
    GapsResult
        Unused outputs and substitution candidates, largest first within each family.

    References
    ----------
    .. [1] Chertow, M. R. (2000). Industrial symbiosis: literature and taxonomy. Annu. Rev.
       Energy Environ. 25, 313-337. https://doi.org/10.1146/annurev.energy.25.1.313
    .. [2] Kalundborg Symbiosis: a local exchange of by-products, the reference case.
       https://www.symbiosis.dk/en/

    Examples
    --------
    The glassworks' 3,000 MWh of waste heat and the sawmill's 120 t of waste leave the
    territory; the dairy imports 400 MWh of biomass that the sawmill also supplies.

    >>> from toiles.synthetic import example_graph
    >>> r = gaps_report(example_graph())
    >>> [(u.actor, u.kind, u.quantity_base) for u in r.unused]
    [('verrerie', 'chaleur_fatale', 3000.0), ('scierie', 'dechets', 120.0)]
    >>> [(s.importer, s.kind, s.local_suppliers) for s in r.substitutions]
    [('laiterie', 'biomasse', ['scierie'])]
    """
    ft = flow_table(G)
    existing = np.asarray([s == "existant" for s in ft.status], dtype=np.bool_)
    src_out, dst_out = ft.outside[ft.src], ft.outside[ft.dst]
    unused: list[UnusedOutput] = []
    unused_totals: dict[str, dict[str, float]] = {}
    for i in np.flatnonzero(existing & ~src_out & dst_out & ft.kind_mask(UNUSED_KINDS)).tolist():
        data = ft.data[i]
        actor = ft.nodes[int(ft.src[i])]
        kind = str(data.get("kind"))
        family = data.get("family")
        base = data.get("quantity_base")
        what = label(FlowKind(kind)).lower()
        amount = (
            "" if base is None or family is None else f" ({fr_number(base)} {base_unit(family)}/an)"
        )
        unused.append(
            UnusedOutput(
                flow=str(ft.keys[i]),
                actor=str(actor),
                name=actor_name(G, actor),
                kind=kind,
                to=str(ft.nodes[int(ft.dst[i])]),
                quantity=data.get("quantity"),
                unit=data.get("unit"),
                family=family,
                quantity_base=None if base is None else rounded(float(base)),
                reason=f"{actor_name(G, actor)} laisse partir hors du territoire {what}{amount}.",
            )
        )
        if base is not None and family is not None:
            per = unused_totals.setdefault(kind, {})
            per[family] = rounded(per.get(family, 0.0) + float(base))
    unused.sort(key=lambda u: _sort_key(u.quantity_base, u.family, u.flow))

    local_supply = existing & ~src_out
    suppliers_of: dict[str, list[int]] = {}
    for i in np.flatnonzero(local_supply).tolist():
        suppliers_of.setdefault(ft.kind[i], []).append(int(ft.src[i]))
    substitutions: list[Substitution] = []
    totals: dict[str, dict[str, float]] = {}
    lat = np.asarray([_coord(G.nodes[n].get("lat")) for n in ft.nodes])
    lon = np.asarray([_coord(G.nodes[n].get("lon")) for n in ft.nodes])
    for i in np.flatnonzero(existing & src_out & ~dst_out).tolist():
        kind = ft.kind[i]
        importer = int(ft.dst[i])
        local = sorted(set(suppliers_of.get(kind, [])) - {importer})
        if not local:
            continue
        cand = np.asarray(local, dtype=np.int64)
        km = haversine_km(lat[importer], lon[importer], lat[cand], lon[cand])
        order = sorted(
            range(len(local)),
            key=lambda k: (math.inf if math.isnan(km[k]) else km[k], str(ft.nodes[local[k]])),
        )
        names = [str(ft.nodes[local[k]]) for k in order[:MAX_SUPPLIERS]]
        data = ft.data[i]
        family = data.get("family")
        base = data.get("quantity_base")
        what = label(FlowKind(kind)).lower() if kind in FLOW_KINDS else kind
        amount = (
            "" if base is None or family is None else f" ({fr_number(base)} {base_unit(family)}/an)"
        )
        nearest = actor_name(G, ft.nodes[local[order[0]]])
        substitutions.append(
            Substitution(
                flow=str(ft.keys[i]),
                importer=str(ft.nodes[importer]),
                importer_name=actor_name(G, ft.nodes[importer]),
                kind=kind,
                family=family,
                quantity_base=None if base is None else rounded(float(base)),
                local_suppliers=names,
                local_supplier_count=len(local),
                reason=(
                    f"{actor_name(G, ft.nodes[importer])} importe {what}{amount} alors que "
                    f"{len(local)} acteur(s) du territoire en fournissent, dont {nearest}."
                ),
            )
        )
        if base is not None and family is not None:
            per = totals.setdefault(kind, {})
            per[family] = rounded(per.get(family, 0.0) + float(base))
    substitutions.sort(key=lambda s: _sort_key(s.quantity_base, s.family, s.flow))
    explanation = (
        f"{len(unused)} ressource(s) quittent le territoire sans usage "
        f"({_totals_fr(unused_totals)}) ; {len(substitutions)} import(s) pourraient être "
        f"fournis par des acteurs locaux ({_totals_fr(totals)})."
    )
    return GapsResult(
        **toile_ref(G),
        explanation=explanation,
        unused=unused,
        unused_totals=unused_totals,
        substitutions=substitutions,
        substitution_totals=totals,
    )


def _coord(value: object) -> float:
    return float(value) if isinstance(value, int | float) else math.nan


def _totals_fr(totals: dict[str, dict[str, float]]) -> str:
    per_family: dict[str, float] = {}
    for per in totals.values():
        for family, value in per.items():
            per_family[family] = per_family.get(family, 0.0) + value
    if not per_family:
        return "quantités inconnues"
    return ", ".join(
        f"{fr_number(v)} {base_unit(f)} en {FAMILY_FR[f]}" for f, v in sorted(per_family.items())
    )
