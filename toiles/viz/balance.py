"""Each unit counted once: what a toile's flows bring in, produce, use and send out.

A unit of energy that goes national grid -> RTE -> Enedis -> factory is three flows; summing
the flows counts it three times. :func:`family_balances` counts it once, per unit family:
where it enters the territory (or is produced) and where it is used (or leaves). The Sankey
diagram states its totals this way, and the headline figures of pages and posters too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from toiles.models.units import BASE_UNITS
from toiles.models.vocab import ActorKind, UnitFamily

if TYPE_CHECKING:
    import networkx as nx

_OUTSIDE = ActorKind.EXTERIEUR.value
_NETWORK = ActorKind.GESTIONNAIRE_RESEAU.value


@dataclass(frozen=True)
class FamilyBalance:
    """How much of one unit family the toile moves, each unit counted once.

    A flow that passes from the national grid to RTE, then Enedis, then a consumer is three
    flows of the same energy: the sum of the flows (:attr:`hops`) counts it three times. The
    balance counts it once, where it enters the territory or is produced, and once where it
    is used or leaves; what actors receive and pass on is :attr:`transit`.

    Attributes
    ----------
    family, unit
        Unit family and its base unit.
    entered
        Existing flows from the outside (actors of kind ``exterieur``) to actors inside.
    produced
        Net output of the actors inside: for each, what it sends beyond what it receives
        (network operators apart).
    undescribed
        Net output of network operators (``gestionnaire_reseau``): they produce nothing, so
        it is supply the toile does not describe (its entries are missing).
    consumed
        Net intake of the actors inside (use, conversion and losses): what each receives
        beyond what it sends.
    left
        Existing flows from actors inside to the outside.
    hops
        Sum of every existing flow, each hop counted (the Sankey's bands).
    planned
        Sum of the potential and planned flows, left out of every figure above.
    missing
        Flows of the family without a quantity.
    """

    family: str
    unit: str
    entered: float
    produced: float
    undescribed: float
    consumed: float
    left: float
    hops: float
    planned: float = 0.0
    missing: int = 0

    @property
    def supply(self) -> float:
        """What entered the territory or was produced in it, counted once."""
        return self.entered + self.produced + self.undescribed

    @property
    def use(self) -> float:
        """What was used (or lost) inside or left: equal to :attr:`supply`."""
        return self.consumed + self.left

    @property
    def transit(self) -> float:
        """What the bands count more than once: :attr:`hops` minus :attr:`supply`."""
        return max(self.hops - self.supply, 0.0)


def family_balances(G: nx.MultiDiGraph[str]) -> list[FamilyBalance]:
    """Count each unit of a toile's existing flows once, per unit family.

    For every actor inside the territory (not of kind ``exterieur``), compare what it
    receives and what it sends in one unit family: the excess it sends is its production,
    the excess it receives its consumption (including conversion and losses). Then

    ``entered + produced + undescribed = consumed + left``

    whatever the number of hops in between, and the sum of the flows is that total plus the
    transit. Potential and planned flows are summed apart (:attr:`FamilyBalance.planned`).

    Parameters
    ----------
    G
        Toile graph, actor by actor (a grouped graph would hide the flows inside groups).

    Returns
    -------
    list of FamilyBalance
        In unit-family order, only families with quantified flows.

    Notes
    -----
    Linear in the number of flows. The balance is a bookkeeping of the flows described:
    an actor whose supplies are not in the toile looks like a producer.

    Examples
    --------
    National grid -> RTE -> Enedis -> a consumer: 100 MWh entered, three hops of 100.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("nat", kind="exterieur")
    >>> for n in ("rte", "enedis", "usine"): G.add_node(n, kind="entreprise")
    >>> for u, v in (("nat", "rte"), ("rte", "enedis"), ("enedis", "usine")):
    ...     _ = G.add_edge(u, v, kind="electricite", family="energy", quantity_base=100.0)
    >>> b = family_balances(G)[0]
    >>> b.hops, b.entered, b.consumed, b.supply, b.transit
    (300.0, 100.0, 100.0, 100.0, 200.0)
    """
    inside_in: dict[str, dict[str, float]] = {}
    inside_out: dict[str, dict[str, float]] = {}
    sums: dict[str, dict[str, float]] = {}
    missing: dict[str, int] = {}
    outside = {n for n, d in G.nodes(data=True) if d.get("kind") == _OUTSIDE}
    networks = {n for n, d in G.nodes(data=True) if d.get("kind") == _NETWORK}
    for u, v, d in G.edges(data=True):
        family = d.get("family")
        if family is None:
            continue
        family = str(family)
        quantity = d.get("quantity_base")
        if quantity is None or quantity <= 0:
            missing[family] = missing.get(family, 0) + 1
            continue
        q = float(quantity)
        figures = sums.setdefault(family, dict.fromkeys(("hops", "planned", "in", "out"), 0.0))
        if str(d.get("status") or "existant") != "existant":
            figures["planned"] += q
            continue
        figures["hops"] += q
        if u in outside and v not in outside:
            figures["in"] += q
        elif v in outside and u not in outside:
            figures["out"] += q
        if u not in outside:
            out = inside_out.setdefault(family, {})
            out[u] = out.get(u, 0.0) + q
        if v not in outside:
            into = inside_in.setdefault(family, {})
            into[v] = into.get(v, 0.0) + q
    balances = []
    for member in UnitFamily:
        family = member.value
        if family not in sums:
            continue
        into = inside_in.get(family, {})
        out = inside_out.get(family, {})
        net = {n: out.get(n, 0.0) - into.get(n, 0.0) for n in set(into) | set(out)}
        balances.append(
            FamilyBalance(
                family,
                BASE_UNITS[member],
                entered=sums[family]["in"],
                produced=sum(x for n, x in net.items() if x > 0 and n not in networks),
                undescribed=sum(x for n, x in net.items() if x > 0 and n in networks),
                consumed=-sum(x for x in net.values() if x < 0),
                left=sums[family]["out"],
                hops=sums[family]["hops"],
                planned=sums[family]["planned"],
                missing=missing.get(family, 0),
            )
        )
    return balances
