"""Each unit counted once: what a toile's flows bring in, produce, use and send out.

A unit of energy that goes national grid -> RTE -> Enedis -> factory is three flows; summing
the flows counts it three times. :func:`family_balances` counts it once, per unit family:
where it enters the territory (or is produced) and where it is used (or leaves). The Sankey
diagram states its totals this way, and the headline figures of pages and posters too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from toiles.analysis._common import flow_table, weighted_count
from toiles.models.units import BASE_UNITS
from toiles.models.vocab import ActorKind, UnitFamily

if TYPE_CHECKING:
    import networkx as nx

    from toiles.analysis._common import FlowTable

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


def family_balances(G: nx.MultiDiGraph[str], *, ft: FlowTable | None = None) -> list[FamilyBalance]:
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
    ft
        The graph's flows as arrays, when the caller has read them already
        (:func:`toiles.analysis._common.flow_table`).

    Returns
    -------
    list of FamilyBalance
        In unit-family order, only families with quantified flows.

    Notes
    -----
    Linear in the number of flows, vectorised once the flows are read into arrays (pass
    ``ft`` to share them). The balance is a bookkeeping of the flows described: an actor
    whose supplies are not in the toile looks like a producer.

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
    table = ft if ft is not None else flow_table(G)
    if not table.keys:
        return []
    n = table.n
    qty = table.qty
    known = ~np.isnan(qty) & (np.nan_to_num(qty) > 0)
    existing = np.asarray([s == "existant" for s in table.status], dtype=np.bool_)
    outside = table.outside
    kinds = G.nodes(data="kind")
    networks = np.fromiter((kinds[v] == _NETWORK for v in table.nodes), np.bool_, count=n)
    balances = []
    for member in UnitFamily:
        family_mask = table.family_mask(member.value)
        if not (family_mask & known).any():
            continue
        done = family_mask & known & existing
        q, src, dst = qty[done], table.src[done], table.dst[done]
        out_src, out_dst = outside[src], outside[dst]
        sent = weighted_count(src[~out_src], q[~out_src], n)
        received = weighted_count(dst[~out_dst], q[~out_dst], n)
        net = sent - received
        balances.append(
            FamilyBalance(
                member.value,
                BASE_UNITS[member],
                entered=float(q[out_src & ~out_dst].sum()),
                produced=float(net[(net > 0) & ~networks].sum()),
                undescribed=float(net[(net > 0) & networks].sum()),
                consumed=float(-net[net < 0].sum()),
                left=float(q[~out_src & out_dst].sum()),
                hops=float(q.sum()),
                planned=float(qty[family_mask & known & ~existing].sum()),
                missing=int((family_mask & ~known).sum()),
            )
        )
    return balances
