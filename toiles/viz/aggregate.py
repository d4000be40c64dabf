"""The aggregated view of a toile: one node per group of actors, with summed flows.

A toile of thousands of actors cannot be read actor by actor. Grouping the actors by EPCI,
commune, business park (ZAE), kind or NAF division draws one node per group; the flows
between two groups are summed by flow kind, status and unit family (quantities of
different families are never added). Actors of kind ``exterieur`` always form their own
group, the outside of the territory.

Groups carry their real names (the toile's ZAE actors for business parks, the EPCI's short
name, the commune's name, the NAF section), and the flows inside a group are not lost: they
are counted and summed on the group node (« 12 flux internes, 3 400 MWh ») instead of
being drawn as loops on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from toiles.models.units import BASE_UNITS
from toiles.models.vocab import ActorKind, Confidentiality, UnitFamily
from toiles.text import GROUP_KIND, Lang, format_quantity, plural, ui_text, vocab_label
from toiles.viz.balance import family_balances
from toiles.viz.style import VisualError

GroupBy = Literal["epci", "commune", "zae", "kind", "naf"]
#: Attributes a toile can be aggregated by.
GROUP_BY: tuple[str, ...] = ("epci", "commune", "zae", "kind", "naf")

_OUTSIDE = ActorKind.EXTERIEUR.value
_ZAE = ActorKind.ZAE.value
_FIELD = {"epci": "epci", "commune": "commune_insee", "zae": "zae", "kind": "kind", "naf": "naf"}


def group_by_label(by: GroupBy | str, lang: Lang = "fr") -> str:
    """Return what a grouping is called for the reader (``zae`` -> « zone d'activités »).

    Examples
    --------
    >>> group_by_label("zae"), group_by_label("naf", "en")
    ("zone d'activités", 'sector (NAF)')
    """
    return ui_text(f"by_{by}", lang) if by in GROUP_BY else str(by)


def group_of(
    data: dict[str, object],
    by: GroupBy | str,
    *,
    lang: Lang = "fr",
    node: str | None = None,
    zae_names: dict[str, str] | None = None,
) -> tuple[str, str]:
    """Return the group key and label of an actor from its node attributes.

    Parameters
    ----------
    data
        The actor's node attributes.
    by
        The grouping (see :data:`GROUP_BY`).
    lang
        Language of the label.
    node
        The actor's id: a business park (``zae`` actor) is the group of its own companies.
    zae_names
        Names of the toile's business parks by id, for their groups' labels.

    Examples
    --------
    >>> group_of({"kind": "entreprise", "commune_insee": "62119"}, "commune")
    ('62119', 'Béthune')
    >>> group_of({"kind": "entreprise", "epci": "200072460"}, "epci")
    ('200072460', 'CABBALR')
    >>> group_of({"kind": "entreprise", "naf": "10.81Z"}, "naf")
    ('10', 'Industrie manufacturière (NAF 10)')
    >>> group_of({"kind": "exterieur"}, "epci")
    ('exterieur', 'Extérieur du territoire')
    >>> names = {"zae-piaf": "Parc des industries Artois-Flandres"}
    >>> group_of({"kind": "entreprise", "zae": "zae-piaf"}, "zae", zae_names=names)
    ('zae-piaf', 'Parc des industries Artois-Flandres')
    >>> group_of({"kind": "zae"}, "zae", node="zae-piaf", zae_names=names)[1]
    'Parc des industries Artois-Flandres'
    >>> group_of({"kind": "entreprise"}, "zae")
    ('_', "Hors zone d'activités")
    """
    kind = str(data.get("kind"))
    if kind == _OUTSIDE or by == "kind":
        return kind, vocab_label("actor_kind", kind, lang)
    raw = node if (by == "zae" and kind == _ZAE and node is not None) else data.get(_FIELD[by])
    if raw in (None, ""):
        return "_", ui_text(f"no_{by}", lang)
    return _named(by, str(raw), lang, zae_names or {})


def _named(by: str, value: str, lang: Lang, zae_names: dict[str, str]) -> tuple[str, str]:
    """Key and real name of the group ``value`` of a grouping (EPCI, commune, NAF, ZAE)."""
    if by == "epci":
        from toiles.territory import EPCI_SHORT_NAMES, epci_of  # noqa: PLC0415  # reads a file

        siren = epci_of(value)
        return (siren, EPCI_SHORT_NAMES.get(siren, value)) if siren else (value, value)
    if by == "commune":
        from toiles.territory import communes  # noqa: PLC0415  # reads a file on first use

        commune = communes().get(value)
        return value, commune.name if commune else value
    if by == "naf":
        from toiles.viz.layout import naf_section  # noqa: PLC0415  # numpy on first use

        division = value[:2]
        section = naf_section(value)
        if section is None:
            return division, f"NAF {division}"
        return division, f"{ui_text(f'naf_{section}', lang)} (NAF {division})"
    return value, zae_names.get(value, value)


def group_nodes(
    G: nx.MultiDiGraph[str], by: GroupBy | str, *, lang: Lang = "fr"
) -> dict[str, tuple[str, str]]:
    """Return each actor's group key and label (see :func:`group_of`).

    Business parks are named after the toile's ``zae`` actors.

    Raises
    ------
    VisualError
        For an unknown grouping.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("zae-a", kind="zae", name="Zone A")
    >>> G.add_node("u", kind="entreprise", zae="zae-a")
    >>> group_nodes(G, "zae")
    {'zae-a': ('zae-a', 'Zone A'), 'u': ('zae-a', 'Zone A')}
    """
    if by not in GROUP_BY:
        msg = f"regroupement inconnu « {by} » (valeurs possibles : {', '.join(GROUP_BY)})"
        raise VisualError(msg)
    zae_names = {
        str(n): str(d.get("name") or n) for n, d in G.nodes(data=True) if d.get("kind") == _ZAE
    }
    return {
        str(n): group_of(d, by, lang=lang, node=str(n), zae_names=zae_names)
        for n, d in G.nodes(data=True)
    }


def aggregate_graph(
    G: nx.MultiDiGraph[str], *, by: GroupBy | str, lang: Lang = "fr"
) -> nx.MultiDiGraph[str]:
    r"""Group the actors of a toile and sum the flows between groups.

    Parameters
    ----------
    G
        Toile graph.
    by
        ``epci``, ``commune``, ``zae``, ``kind`` or ``naf`` (NAF division, two digits).
    lang
        Language of the group names and summaries.

    Returns
    -------
    networkx.MultiDiGraph
        One node per group: ``name`` (the group's real name), ``kind`` (``groupe``, or
        the actors' kind when grouping by kind or for the outside), ``members`` (actor ids),
        ``count``, summed ``employees``, mean ``lat``/``lon``, and the flows inside the
        group: ``internal_flows`` (their number), ``internal_quantities`` (existing flows
        summed by unit family, in base units), ``internal`` (two label lines: the count
        and the first family's sum, « 12 flux internes » / « 3 400 MWh ») and ``description`` (the
        number of actors and every family's sum).

        One edge per (source group, target group, flow kind, status, unit family) between
        two different groups: ``quantity_base`` summed (``None`` when no member flow has a
        quantity), ``unit`` the family's base unit, ``label`` the quantity written for the
        reader, ``count`` and ``flows`` (flow ids).

        ``G.graph`` is copied with ``grouped_by``, ``grouped_by_label`` and ``delivered``
        (each unit family's volume counted once on the actors, see
        :func:`toiles.viz.balance.family_balances`) added.

    Raises
    ------
    VisualError
        For an unknown grouping.

    Notes
    -----
    Linear in the numbers of actors and flows. Every flow is either on an edge or counted
    inside a group: the totals of the toile are kept.

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
    >>> _ = G.add_edge("a", "b", key="f3", kind="chaleur", status="existant",
    ...                family="energy", quantity_base=3400.0)
    >>> H = aggregate_graph(G, by="zae")
    >>> H.nodes["groupe:zae:z1"]["employees"], H.number_of_edges()
    (15, 1)
    >>> [(d["quantity_base"], d["label"]) for _, _, d in H.edges(data=True)]
    [(5.0, '5 MWh')]
    >>> H.nodes["groupe:zae:z1"]["internal"].split("\n")
    ['1 flux interne', '3\u202f400 MWh']
    """
    assigned = group_nodes(G, by, lang=lang)
    H: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.graph["grouped_by"] = by
    H.graph["grouped_by_label"] = group_by_label(by, lang)
    if not G.graph.get("grouped_by"):  # what the actors use, counted once before grouping
        H.graph["delivered"] = {b.family: b.use for b in family_balances(G)}
    node_group: dict[str, str] = {}
    groups: dict[str, _Group] = {}
    for node, data in G.nodes(data=True):
        key, label = assigned[str(node)]
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
    sums: dict[tuple[str, str, str, str, str], _Sum] = {}
    for u, v, k, data in G.edges(keys=True, data=True):
        family = "" if data.get("family") is None else str(data["family"])
        q = data.get("quantity_base")
        gu, gv = node_group[u], node_group[v]
        if gu == gv:
            existing = str(data.get("status") or "existant") == "existant"
            groups[gu].add_internal(str(k), family, q if existing else None)
            continue
        kind = str(data.get("kind"))
        status = str(data.get("status") or "existant")
        key4 = (gu, gv, kind, status, family)
        entry = sums.get(key4)
        if entry is None:
            entry = sums[key4] = _Sum(kind, status, family)
        entry.flows.append(str(k))
        if q is not None:
            entry.quantity = (entry.quantity or 0.0) + float(q)
    H.add_nodes_from((gid, group.attributes(lang)) for gid, group in groups.items())
    for (gu, gv, kind, status, family), entry in sums.items():
        H.add_edge(gu, gv, key=f"{gu}>{gv}:{kind}:{status}:{family}", **entry.attributes(lang))
    return H


def _unit(family: str) -> str:
    return BASE_UNITS[UnitFamily(family)] if family else ""


@dataclass
class _Group:
    name: str
    kind: str
    members: list[str] = field(default_factory=list)
    employees: int = 0
    points: list[tuple[float, float]] = field(default_factory=list)
    internal: list[str] = field(default_factory=list)
    internal_quantities: dict[str, float] = field(default_factory=dict)

    def add_internal(self, flow: str, family: str, quantity: object) -> None:
        self.internal.append(flow)
        if family and quantity is not None:
            value = float(quantity)  # type: ignore[arg-type]  # a number on the graph
            self.internal_quantities[family] = self.internal_quantities.get(family, 0.0) + value

    def summary(self, lang: Lang, *, most: int | None = None) -> str:
        """« 12 flux internes, 3 400 MWh »: the count, then the sums in family order."""
        order = [f.value for f in UnitFamily]
        families = sorted(self.internal_quantities, key=order.index)
        parts = [plural(len(self.internal), *_words("internal", lang), lang)]
        parts += [
            format_quantity(self.internal_quantities[family], _unit(family), lang)
            for family in families[:most]
        ]
        separator = ", " if most is None else "\n"  # label lines stay short on the picture
        return separator.join(parts) + ("…" if most is not None and len(families) > most else "")

    def attributes(self, lang: Lang) -> dict[str, object]:
        members = plural(len(self.members), *_words("member", lang), lang)
        data: dict[str, object] = {
            "name": self.name,
            "kind": self.kind,
            "members": tuple(self.members),
            "count": len(self.members),
            "employees": self.employees,
            "confidentiality": Confidentiality.PUBLIC.value,
            "internal_flows": len(self.internal),
            "internal_flow_ids": tuple(self.internal),
            "internal_quantities": dict(self.internal_quantities),
            "internal": self.summary(lang, most=1) if self.internal else "",
            "description": f"{members} · {self.summary(lang)}" if self.internal else members,
        }
        if self.points:
            data["lat"] = sum(p[0] for p in self.points) / len(self.points)
            data["lon"] = sum(p[1] for p in self.points) / len(self.points)
        return data


def _words(stem: str, lang: Lang) -> tuple[str, str]:
    return ui_text(f"{stem}_one", lang), ui_text(f"{stem}_many", lang)


@dataclass
class _Sum:
    kind: str
    status: str
    family: str
    flows: list[str] = field(default_factory=list)
    quantity: float | None = None

    def attributes(self, lang: Lang) -> dict[str, object]:
        unit = _unit(self.family) or None
        return {
            "kind": self.kind,
            "status": self.status,
            "family": self.family or None,
            "unit": unit,
            "quantity": self.quantity,
            "quantity_base": self.quantity,
            "label": "" if self.quantity is None else format_quantity(self.quantity, unit, lang),
            "flows": tuple(self.flows),
            "count": len(self.flows),
        }
