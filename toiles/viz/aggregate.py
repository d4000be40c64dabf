"""The aggregated view of a toile: one node per group of actors, with summed flows.

A toile of thousands of actors cannot be read actor by actor. Grouping the actors by EPCI,
commune, business park (ZAE), kind or NAF division draws one node per group; the flows
between two groups are summed by flow kind, status and unit family (quantities of
different families are never added). Actors of kind ``exterieur`` always form their own
group, the outside of the territory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from toiles.models.units import BASE_UNITS
from toiles.models.vocab import ActorKind, Confidentiality, UnitFamily
from toiles.viz.style import GROUP_KIND, Lang, VisualError, field_labels, ui_text, vocab_label

GroupBy = Literal["epci", "commune", "zae", "kind", "naf"]
#: Attributes a toile can be aggregated by.
GROUP_BY: tuple[str, ...] = ("epci", "commune", "zae", "kind", "naf")

_OUTSIDE = ActorKind.EXTERIEUR.value
_FIELD = {"epci": "epci", "commune": "commune_insee", "zae": "zae", "kind": "kind", "naf": "naf"}


def group_of(data: dict[str, object], by: GroupBy | str, *, lang: Lang = "fr") -> tuple[str, str]:
    """Return the group key and label of an actor from its node attributes.

    Examples
    --------
    >>> group_of({"kind": "entreprise", "commune_insee": "62119"}, "commune")
    ('62119', 'Béthune')
    >>> group_of({"kind": "entreprise", "epci": "200072460"}, "epci")
    ('200072460', 'CABBALR')
    >>> group_of({"kind": "entreprise", "naf": "10.81Z"}, "naf")
    ('10', 'NAF 10')
    >>> group_of({"kind": "exterieur"}, "epci")
    ('exterieur', 'Extérieur du territoire')
    """
    kind = str(data.get("kind"))
    if kind == _OUTSIDE or by == "kind":
        return kind, vocab_label("actor_kind", kind, lang)
    raw = data.get(_FIELD[by])
    if raw in (None, ""):
        label = field_labels(lang)[_FIELD[by]]
        return "_", f"{label} {ui_text('unknown', lang)}"
    value = str(raw)
    if by == "epci":
        from toiles.territory import EPCI_SHORT_NAMES, epci_of  # noqa: PLC0415  # reads a file

        siren = epci_of(value)
        return (siren, EPCI_SHORT_NAMES.get(siren, value)) if siren else (value, value)
    if by == "commune":
        from toiles.territory import communes  # noqa: PLC0415  # reads a file on first use

        commune = communes().get(value)
        return value, commune.name if commune else value
    if by == "naf":
        division = value[:2]
        return division, f"NAF {division}"
    return value, value


def aggregate_graph(
    G: nx.MultiDiGraph[str], *, by: GroupBy | str, lang: Lang = "fr"
) -> nx.MultiDiGraph[str]:
    """Group the actors of a toile and sum the flows between groups.

    Parameters
    ----------
    G
        Toile graph.
    by
        ``epci``, ``commune``, ``zae``, ``kind`` or ``naf`` (NAF division, two digits).
    lang
        Language of the group names.

    Returns
    -------
    networkx.MultiDiGraph
        One node per group (``name``, ``kind`` = ``groupe`` or the actors' kind,
        ``members`` (actor ids), ``count``, summed ``employees``, mean ``lat``/``lon``);
        one edge per (source group, target group, flow kind, status, unit family) with
        ``quantity_base`` summed (``None`` when no member flow has a quantity), ``unit`` the
        family's base unit, ``count`` and ``flows`` (flow ids). Flows inside a group are
        self-loops. ``G.graph`` is copied with ``grouped_by`` added.

    Raises
    ------
    VisualError
        For an unknown grouping.

    Notes
    -----
    Linear in the numbers of actors and flows.

    Examples
    --------
    >>> G = nx.MultiDiGraph(name="T")
    >>> G.add_node("a", kind="entreprise", zae="z1", employees=10)
    >>> G.add_node("b", kind="entreprise", zae="z1", employees=5)
    >>> G.add_node("c", kind="entreprise", zae="z2")
    >>> _ = G.add_edge("a", "c", key="f1", kind="chaleur", status="existant",
    ...                family="energy", quantity_base=2.0)
    >>> _ = G.add_edge("b", "c", key="f2", kind="chaleur", status="existant",
    ...                family="energy", quantity_base=3.0)
    >>> H = aggregate_graph(G, by="zae")
    >>> H.nodes["groupe:zae:z1"]["employees"], H.number_of_edges()
    (15, 1)
    >>> [d["quantity_base"] for _, _, d in H.edges(data=True)]
    [5.0]
    """
    if by not in GROUP_BY:
        msg = f"regroupement inconnu « {by} » (valeurs possibles : {', '.join(GROUP_BY)})"
        raise VisualError(msg)
    H: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.graph["grouped_by"] = by
    node_group: dict[str, str] = {}
    groups: dict[str, _Group] = {}
    for node, data in G.nodes(data=True):
        key, label = group_of(data, by, lang=lang)
        gid = f"groupe:{by}:{key}"
        node_group[node] = gid
        kind = str(data.get("kind"))
        group = groups.get(gid)
        if group is None:
            group = groups[gid] = _Group(
                label, kind if (by == "kind" or kind == _OUTSIDE) else GROUP_KIND
            )
        group.members.append(str(node))
        group.employees += int(data.get("employees") or 0)
        if data.get("lat") is not None and data.get("lon") is not None:
            group.points.append((float(data["lat"]), float(data["lon"])))
    H.add_nodes_from((gid, group.attributes()) for gid, group in groups.items())
    sums: dict[tuple[str, str, str, str, str], _Sum] = {}
    for u, v, k, data in G.edges(keys=True, data=True):
        kind = str(data.get("kind"))
        status = str(data.get("status") or "existant")
        family = "" if data.get("family") is None else str(data["family"])
        key4 = (node_group[u], node_group[v], kind, status, family)
        entry = sums.get(key4)
        if entry is None:
            entry = sums[key4] = _Sum(kind, status, family)
        entry.flows.append(str(k))
        q = data.get("quantity_base")
        if q is not None:
            entry.quantity = (entry.quantity or 0.0) + float(q)
    for (gu, gv, kind, status, family), entry in sums.items():
        H.add_edge(gu, gv, key=f"{gu}>{gv}:{kind}:{status}:{family}", **entry.attributes())
    return H


@dataclass
class _Group:
    name: str
    kind: str
    members: list[str] = field(default_factory=list)
    employees: int = 0
    points: list[tuple[float, float]] = field(default_factory=list)

    def attributes(self) -> dict[str, object]:
        data: dict[str, object] = {
            "name": self.name,
            "kind": self.kind,
            "members": tuple(self.members),
            "count": len(self.members),
            "employees": self.employees,
            "confidentiality": Confidentiality.PUBLIC.value,
        }
        if self.points:
            data["lat"] = sum(p[0] for p in self.points) / len(self.points)
            data["lon"] = sum(p[1] for p in self.points) / len(self.points)
        return data


@dataclass
class _Sum:
    kind: str
    status: str
    family: str
    flows: list[str] = field(default_factory=list)
    quantity: float | None = None

    def attributes(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "status": self.status,
            "family": self.family or None,
            "unit": BASE_UNITS[UnitFamily(self.family)] if self.family else None,
            "quantity": self.quantity,
            "quantity_base": self.quantity,
            "flows": tuple(self.flows),
            "count": len(self.flows),
        }
