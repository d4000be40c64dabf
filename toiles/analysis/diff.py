"""What changed between two versions of a toile: actors and flows, field by field."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, JsonValue

from toiles.analysis._common import ReportResult, rounded
from toiles.models.units import BASE_UNITS
from toiles.models.vocab import UnitFamily
from toiles.text import FIELD_LABELS, format_number

if TYPE_CHECKING:
    from collections.abc import Mapping

    import networkx as nx

__all__ = ["ActorChange", "DiffResult", "FieldChange", "FlowChange", "FlowRef", "toile_diff"]

_DERIVED = frozenset({"family", "quantity_base"})

_FAMILY_VALUES = frozenset(f.value for f in UnitFamily)


class FieldChange(BaseModel):
    """One field whose value changed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: str
    old: JsonValue
    new: JsonValue


class ActorChange(BaseModel):
    """An actor present in both versions with changed fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: str
    name: str
    changes: list[FieldChange]


class FlowRef(BaseModel):
    """A flow added or removed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flow: str
    source: str
    target: str
    kind: str
    status: str | None
    family: str | None
    quantity_base: float | None


class FlowChange(BaseModel):
    """A flow present in both versions with changed fields, its quantity and status change."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flow: str
    source: str
    target: str
    kind: str
    changes: list[FieldChange]
    family: str | None
    quantity_delta: float | None
    status_change: str | None
    explanation: str


class DiffResult(ReportResult):
    """Result of :func:`toile_diff`."""

    report: str = "diff"
    old_version: str | None
    new_version: str | None
    actors_added: list[str]
    actors_removed: list[str]
    actors_changed: list[ActorChange]
    flows_added: list[FlowRef]
    flows_removed: list[FlowRef]
    flows_changed: list[FlowChange]


def _json(value: object) -> JsonValue:
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    if isinstance(value, list):
        return [_json(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _changes(old: Mapping[str, object], new: Mapping[str, object]) -> list[FieldChange]:
    out: list[FieldChange] = []
    for field in sorted((set(old) | set(new)) - _DERIVED):
        a, b = _json(old.get(field)), _json(new.get(field))
        if a != b:
            out.append(FieldChange(field=field, old=a, new=b))
    return out


def field_names(fields: list[str]) -> str:
    """Fields named in French for a reader (``year`` reads « année »).

    Examples
    --------
    >>> field_names(["year", "confidence", "commune_insee", "other"])
    'année, fiabilité, commune, other'
    """
    return ", ".join(FIELD_LABELS[f][0].lower() if f in FIELD_LABELS else f for f in fields)


def _ref(key: str, u: str, v: str, data: Mapping[str, object]) -> FlowRef:
    base = data.get("quantity_base")
    return FlowRef(
        flow=key,
        source=u,
        target=v,
        kind=str(data.get("kind")),
        status=None if data.get("status") is None else str(data.get("status")),
        family=None if data.get("family") is None else str(data.get("family")),
        quantity_base=None if not isinstance(base, int | float) else rounded(float(base)),
    )


def _edges(G: nx.MultiDiGraph[str]) -> dict[str, tuple[str, str, dict[str, object]]]:
    return {str(k): (str(u), str(v), d) for u, v, k, d in G.edges(keys=True, data=True)}


def _flow_change(
    key: str,
    old: tuple[str, str, dict[str, object]],
    new: tuple[str, str, dict[str, object]],
) -> FlowChange | None:
    (u0, v0, d0), (u1, v1, d1) = old, new
    changes = _changes({**d0, "source": u0, "target": v0}, {**d1, "source": u1, "target": v1})
    if not changes:
        return None
    family = d1.get("family")
    q0, q1 = d0.get("quantity_base"), d1.get("quantity_base")
    delta = None
    parts: list[str] = []
    if (
        family is not None
        and family == d0.get("family")
        and isinstance(q0, int | float)
        and isinstance(q1, int | float)
        and not math.isclose(q0, q1)
    ):
        delta = rounded(float(q1) - float(q0))
        # Four significant digits (``+2,5``, not ``+2``) and the family's base unit by name.
        unit = BASE_UNITS.get(UnitFamily(family), "") if family in _FAMILY_VALUES else ""
        sign = "+" if delta > 0 else ""
        parts.append(f"quantité {sign}{format_number(delta)} {unit}".rstrip())
    status = None
    if d0.get("status") != d1.get("status"):
        status = f"{d0.get('status')} → {d1.get('status')}"
        parts.append(f"statut {status}")
    others = [c.field for c in changes if c.field not in {"quantity", "unit", "status"}]
    if others:
        parts.append("champs modifiés : " + field_names(others))
    return FlowChange(
        flow=key,
        source=u1,
        target=v1,
        kind=str(d1.get("kind")),
        changes=changes,
        family=None if family is None else str(family),
        quantity_delta=delta,
        status_change=status,
        explanation="; ".join(parts) if parts else "unité réécrite, même quantité",
    )


def toile_diff(G_old: nx.MultiDiGraph[str], G_new: nx.MultiDiGraph[str]) -> DiffResult:
    """Compare two versions of a toile: what was added, removed and changed.

    Actors are matched by id, flows by flow id. For each actor or flow in both versions,
    every changed field is listed with its old and new value; a flow also gets its quantity
    delta in the family's base unit (so ``1 GWh`` -> ``1000 MWh`` is no change of quantity)
    and its status change (``potentiel → existant`` when a candidate came true).

    Parameters
    ----------
    G_old
        Graph of the earlier version.
    G_new
        Graph of the later version.

    Returns
    -------
    DiffResult
        Added, removed and changed actors and flows.

    References
    ----------
    .. [1] Myers, E. W. (1986). An O(ND) difference algorithm and its variations.
       Algorithmica 1, 251-266. https://doi.org/10.1007/BF01840446 (the notion of a
       difference between versions; here records are matched by identifier).

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> old, new = example_graph(), example_graph()
    >>> new.graph["version"] = "T1"
    >>> new.edges["verrerie", "ext-air", "f03"].update(quantity=2000.0, quantity_base=2000.0)
    >>> new.remove_node("laiterie")
    >>> d = toile_diff(old, new)
    >>> d.actors_removed, [f.flow for f in d.flows_removed]
    (['laiterie'], ['f10', 'f11', 'f14'])
    >>> d.flows_changed[0].quantity_delta, d.flows_changed[0].explanation.replace("\u202f", " ")
    (-1000.0, 'quantité -1 000 MWh')
    """
    old_nodes: dict[str, dict[str, object]] = dict(G_old.nodes(data=True))  # type: ignore[arg-type]
    new_nodes: dict[str, dict[str, object]] = dict(G_new.nodes(data=True))  # type: ignore[arg-type]
    added = sorted(str(n) for n in new_nodes.keys() - old_nodes.keys())
    removed = sorted(str(n) for n in old_nodes.keys() - new_nodes.keys())
    changed: list[ActorChange] = []
    for node in sorted(old_nodes.keys() & new_nodes.keys(), key=str):
        diffs = _changes(old_nodes[node], new_nodes[node])
        if diffs:
            name = new_nodes[node].get("name") or node
            changed.append(ActorChange(actor=str(node), name=str(name), changes=diffs))
    old_edges, new_edges = _edges(G_old), _edges(G_new)
    flows_added = [_ref(k, *new_edges[k]) for k in sorted(new_edges.keys() - old_edges.keys())]
    flows_removed = [_ref(k, *old_edges[k]) for k in sorted(old_edges.keys() - new_edges.keys())]
    flows_changed = [
        c
        for k in sorted(old_edges.keys() & new_edges.keys())
        if (c := _flow_change(k, old_edges[k], new_edges[k])) is not None
    ]
    came_true = sum(1 for c in flows_changed if c.status_change == "potentiel → existant")
    explanation = (
        f"Acteurs : {len(added)} ajouté(s), {len(removed)} retiré(s), {len(changed)} modifié(s) ; "
        f"flux : {len(flows_added)} ajouté(s), {len(flows_removed)} retiré(s), "
        f"{len(flows_changed)} modifié(s), dont {came_true} potentiel(s) devenu(s) existant(s)."
    )
    old_version, new_version = G_old.graph.get("version"), G_new.graph.get("version")
    toile_id = G_new.graph.get("id")
    return DiffResult(
        toile_id=None if toile_id is None else str(toile_id),
        version=None if new_version is None else str(new_version),
        explanation=explanation,
        old_version=None if old_version is None else str(old_version),
        new_version=None if new_version is None else str(new_version),
        actors_added=added,
        actors_removed=removed,
        actors_changed=changed,
        flows_added=flows_added,
        flows_removed=flows_removed,
        flows_changed=flows_changed,
    )
